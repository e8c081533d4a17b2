"""Did we get there? A verdict per metric, from its series (to be written)."""
