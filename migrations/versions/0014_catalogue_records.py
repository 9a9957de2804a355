"""the local catalogue (catalogue_records: books by ISBN from Open Library dumps, MARC files,
spreadsheets and online lookups; catalogue_imports: each file imported; catalogue_lookups: what
looking an ISBN up online gave), where each title's details came from (titles.source), and the rules
that flag outdated books at sorting (outdated_rules, with the two Books For Africa gives as examples)

Revision ID: 0014
Revises: 0013
Create Date: 2026-12-06 06:04:48.430868

"""
from datetime import UTC, datetime

import sqlalchemy as sa
from alembic import op

# revision identifiers, used by Alembic.
revision = '0014'
down_revision = '0013'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('catalogue_imports',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('file_name', sa.String(length=200), nullable=False),
    sa.Column('source', sa.Enum('open_library', 'marc', 'csv', 'open_library_online', name='datasource', native_enum=False, create_constraint=True, length=32), nullable=False),
    sa.Column('started_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('finished_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('read', sa.Integer(), nullable=False),
    sa.Column('added', sa.Integer(), nullable=False),
    sa.Column('updated', sa.Integer(), nullable=False),
    sa.Column('unchanged', sa.Integer(), nullable=False),
    sa.Column('titles_filled', sa.Integer(), nullable=False),
    sa.Column('skipped', sa.JSON(), nullable=False),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_catalogue_imports'))
    )
    op.create_table('catalogue_lookups',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('isbn13', sa.String(length=13), nullable=False),
    sa.Column('provider', sa.String(length=40), nullable=False),
    sa.Column('outcome', sa.Enum('found', 'unknown', 'failed', name='lookupoutcome', native_enum=False, create_constraint=True, length=32), nullable=False),
    sa.Column('message', sa.String(length=500), nullable=True),
    sa.Column('attempts', sa.Integer(), nullable=False),
    sa.Column('looked_up_at', sa.DateTime(timezone=True), nullable=False),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_catalogue_lookups')),
    sa.UniqueConstraint('isbn13', name=op.f('uq_catalogue_lookups_isbn13'))
    )
    op.create_table('catalogue_records',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('isbn13', sa.String(length=13), nullable=False),
    sa.Column('title', sa.String(length=500), nullable=False),
    sa.Column('authors', sa.String(length=500), nullable=True),
    sa.Column('publisher', sa.String(length=200), nullable=True),
    sa.Column('year', sa.Integer(), nullable=True),
    sa.Column('language', sa.String(length=8), nullable=True),
    sa.Column('subjects', sa.String(length=1000), nullable=True),
    sa.Column('level', sa.Enum('children', 'secondary', 'university', 'general', name='readinglevel', native_enum=False, create_constraint=True, length=32), nullable=True),
    sa.Column('kind', sa.Enum('book', 'dictionary', 'childrens_picture', 'periodical', name='titlekind', native_enum=False, create_constraint=True, length=32), nullable=False),
    sa.Column('source', sa.Enum('open_library', 'marc', 'csv', 'open_library_online', name='datasource', native_enum=False, create_constraint=True, length=32), nullable=False),
    sa.Column('source_file', sa.String(length=200), nullable=True),
    sa.Column('updated_at', sa.DateTime(timezone=True), nullable=False),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_catalogue_records')),
    sa.UniqueConstraint('isbn13', name=op.f('uq_catalogue_records_isbn13'))
    )
    rules = op.create_table('outdated_rules',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('words', sa.String(length=60), nullable=False),
    sa.Column('years', sa.Integer(), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.CheckConstraint('years >= 1 AND years <= 100', name=op.f('ck_outdated_rules_years_range')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_outdated_rules')),
    sa.UniqueConstraint('words', name=op.f('uq_outdated_rules_words'))
    )
    op.bulk_insert(rules, [
        {'words': 'textbook', 'years': 10, 'created_at': datetime.now(UTC)},
        {'words': 'atlas', 'years': 5, 'created_at': datetime.now(UTC)},
    ])
    with op.batch_alter_table('titles', schema=None) as batch_op:
        batch_op.add_column(sa.Column('source', sa.Enum('open_library', 'marc', 'csv', 'open_library_online', name='datasource', native_enum=False, create_constraint=True, length=32), nullable=True))



def downgrade():
    with op.batch_alter_table('titles', schema=None) as batch_op:
        batch_op.drop_constraint(op.f('ck_titles_datasource'), type_='check')
        batch_op.drop_column('source')

    op.drop_table('outdated_rules')
    op.drop_table('catalogue_records')
    op.drop_table('catalogue_lookups')
    op.drop_table('catalogue_imports')
