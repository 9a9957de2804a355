"""Figures about the whole operation: the accounting of copies, the pipeline at a glance."""
