"""Daily market briefs per market-cap segment: sources -> store -> metrics -> narrative -> site."""
