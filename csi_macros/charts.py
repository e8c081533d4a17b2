"""Charts drawn with matplotlib (to be written)."""
