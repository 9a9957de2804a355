"""Donations arrive: donors, donations and their lines, titles (ISBN), lots."""
