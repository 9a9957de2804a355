"""covering indexes on lots for the dashboard

Revision ID: 0004
Revises: 0003
Create Date: 2026-11-25 04:56:19.257224

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '0004'
down_revision = '0003'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('lots', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_lots_crate_id'))
        batch_op.drop_index(batch_op.f('ix_lots_status'))
        batch_op.create_index('ix_lots_crate_id_quantity', ['crate_id', 'quantity'], unique=False)
        batch_op.create_index('ix_lots_status_crate_id_quantity', ['status', 'crate_id', 'quantity'], unique=False)



def downgrade():
    with op.batch_alter_table('lots', schema=None) as batch_op:
        batch_op.drop_index('ix_lots_status_crate_id_quantity')
        batch_op.drop_index('ix_lots_crate_id_quantity')
        batch_op.create_index(batch_op.f('ix_lots_status'), ['status'], unique=False)
        batch_op.create_index(batch_op.f('ix_lots_crate_id'), ['crate_id'], unique=False)

