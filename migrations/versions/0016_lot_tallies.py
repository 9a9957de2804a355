"""lots in each state counted among the running totals (the sorting queue's length without counting the lots)

Revision ID: 0016
Revises: 0015
Create Date: 2026-12-06 15:40:00

"""
import sqlalchemy as sa
from alembic import op

# revision identifiers, used by Alembic.
revision = '0016'
down_revision = '0015'
branch_labels = None
depends_on = None


def upgrade():
    # The totals worked out again by the app's own recount, which now counts lots too (plain columns only).
    from books2iraq.reports.tallies import rebuild

    rebuild(op.get_bind())


def downgrade():
    op.execute(sa.text("DELETE FROM tallies WHERE name = 'lots'"))
