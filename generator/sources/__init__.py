"""Providers of exchange files: each module's fetch() does I/O, parse(raw) is pure."""
