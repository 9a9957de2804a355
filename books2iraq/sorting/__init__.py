"""Sorting at the warehouse: catalogue, accept or reject received lots, correct counts."""
