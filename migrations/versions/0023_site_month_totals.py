"""copies received at each site in each month kept among the running totals (a report over a period reads them)

Revision ID: 0023
Revises: 0022
Create Date: 2026-12-07 03:00:00

"""
import sqlalchemy as sa
from alembic import op

# revision identifiers, used by Alembic.
revision = '0023'
down_revision = '0022'
branch_labels = None
depends_on = None


def upgrade():
    # The totals worked out again by the app's own recount, which now counts each site's months too.
    from books2iraq.reports.tallies import rebuild

    rebuild(op.get_bind())


def downgrade():
    op.execute(sa.text("DELETE FROM tallies WHERE name = 'site_month'"))
