"""Spreadsheets uploaded to add many records at once: read, checked row by row, previewed, imported once."""
