"""donations kept offline on an intake device: their receipt number and when

Revision ID: 0019
Revises: 0018
Create Date: 2026-12-06 20:16:51.634649

"""
import sqlalchemy as sa
from alembic import op


# revision identifiers, used by Alembic.
revision = '0019'
down_revision = '0018'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('donations', schema=None) as batch_op:
        batch_op.add_column(sa.Column('offline_receipt', sa.String(length=9), nullable=True))
        batch_op.add_column(sa.Column('kept_offline_at', sa.DateTime(timezone=True), nullable=True))
        batch_op.create_index(batch_op.f('ix_donations_offline_receipt'), ['offline_receipt'], unique=False)
        batch_op.create_check_constraint(
            'offline_receipt_and_time', '(offline_receipt IS NULL) = (kept_offline_at IS NULL)'
        )


def downgrade():
    with op.batch_alter_table('donations', schema=None) as batch_op:
        batch_op.drop_constraint(batch_op.f('ck_donations_offline_receipt_and_time'), type_='check')
        batch_op.drop_index(batch_op.f('ix_donations_offline_receipt'))
        batch_op.drop_column('kept_offline_at')
        batch_op.drop_column('offline_receipt')
