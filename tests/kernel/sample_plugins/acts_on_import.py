"""A plugin implementing no hook: it exists for what importing it does."""

IMPORTED = True
