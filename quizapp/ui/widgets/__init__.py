"""Widgets, one per module, each named for what it shows."""
