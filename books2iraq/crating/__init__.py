"""Crates: open, pack accepted lots, seal with weight and dimensions, reopen."""
