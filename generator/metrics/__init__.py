"""Pure metric functions: DataFrames in, values and small frames out."""
