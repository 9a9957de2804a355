"""The title catalogue: every book the operation has seen, and where its copies are."""
