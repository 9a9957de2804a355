"""What each receiving institution wants to read, and how well stock and shipments fill it."""
