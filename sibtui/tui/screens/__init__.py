"""One screen per module, its CSS beside it."""
