"""Find anything: one search box over donations, titles, crates, shipments and recipients, on the
database's own full-text search (SQLite FTS5, PostgreSQL tsvector)."""
