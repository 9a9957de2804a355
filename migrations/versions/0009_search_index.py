"""the search index: FTS5 on SQLite, a tsvector with a GIN index on PostgreSQL

Revision ID: 0009
Revises: 0008
Create Date: 2026-11-25 17:20:00

"""
from alembic import op

# revision identifiers, used by Alembic.
revision = '0009'
down_revision = '0008'
branch_labels = None
depends_on = None


def upgrade():
    bind = op.get_bind()
    if bind.dialect.name == "sqlite":
        # The words are normalised by the app (books2iraq.search.index), so the tokenizer only splits.
        op.execute(
            "CREATE VIRTUAL TABLE search_index USING fts5("
            "kind UNINDEXED, record_id UNINDEXED, body, tokenize = 'unicode61 remove_diacritics 0')"
        )
    else:
        # The words go in as they are: no text parser, no locale, no stemming.
        op.execute(
            "CREATE TABLE search_index ("
            "id bigint PRIMARY KEY, kind smallint NOT NULL, record_id integer NOT NULL, body text NOT NULL, "
            "words tsvector GENERATED ALWAYS AS (array_to_tsvector(string_to_array(body, ' '))) STORED)"
        )
        op.execute("CREATE INDEX ix_search_index_words ON search_index USING gin (words)")
    # The records there are already, by the app's own indexer (which reads plain columns only).
    from books2iraq.search.index import rebuild

    rebuild(bind)


def downgrade():
    op.execute("DROP TABLE search_index")
