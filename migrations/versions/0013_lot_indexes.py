"""lots found from indexes alone: a crate's copies per title (crate_id, title_id, quantity replaces crate_id,
quantity), and the lots of one state in order (status, id) for the sorting queue

Revision ID: 0013
Revises: 0012
Create Date: 2026-12-06 04:25:00

"""
from alembic import op

# revision identifiers, used by Alembic.
revision = '0013'
down_revision = '0012'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('lots', schema=None) as batch_op:
        batch_op.create_index('ix_lots_crate_id_title_id_quantity', ['crate_id', 'title_id', 'quantity'], unique=False)
        batch_op.drop_index('ix_lots_crate_id_quantity')
        batch_op.create_index('ix_lots_status_id', ['status', 'id'], unique=False)


def downgrade():
    with op.batch_alter_table('lots', schema=None) as batch_op:
        batch_op.drop_index('ix_lots_status_id')
        batch_op.create_index('ix_lots_crate_id_quantity', ['crate_id', 'quantity'], unique=False)
        batch_op.drop_index('ix_lots_crate_id_title_id_quantity')
