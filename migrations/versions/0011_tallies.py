"""running totals of the dashboard: copies per stage, per site and per reject reason, kept as rows of differences

Revision ID: 0011
Revises: 0010
Create Date: 2026-11-25 18:20:00

"""
import sqlalchemy as sa
from alembic import op

# revision identifiers, used by Alembic.
revision = '0011'
down_revision = '0010'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table(
        'tallies',
        sa.Column('id', sa.BigInteger().with_variant(sa.Integer(), 'sqlite'), nullable=False),
        sa.Column('name', sa.String(length=16), nullable=False),
        sa.Column('key', sa.String(length=40), nullable=False),
        sa.Column('delta', sa.BigInteger(), nullable=False),
        sa.PrimaryKeyConstraint('id', name=op.f('pk_tallies')),
    )
    # The totals of the records there are already, by the app's own recount (plain columns only).
    from books2iraq.reports.tallies import rebuild

    rebuild(op.get_bind())


def downgrade():
    op.drop_table('tallies')
