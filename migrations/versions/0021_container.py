"""what carries a shipment (a container's size, or a semi-trailer) and how much it takes: its loading is kept against it

Revision ID: 0021
Revises: 0020
Create Date: 2026-12-07 00:19:09.885585

"""
import sqlalchemy as sa
from alembic import op


# revision identifiers, used by Alembic.
revision = '0021'
down_revision = '0020'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('shipments', schema=None) as batch_op:
        batch_op.add_column(sa.Column('container_size', sa.Enum('20ft', '40ft', '40ft_hc', 'trailer', name='containersize', native_enum=False, create_constraint=True, length=32), nullable=True))
        batch_op.add_column(sa.Column('capacity_kg', sa.Numeric(precision=10, scale=2), nullable=True))
        batch_op.add_column(sa.Column('capacity_m3', sa.Numeric(precision=8, scale=2), nullable=True))
        batch_op.create_check_constraint(
            'capacity_positive', '(capacity_kg IS NULL OR capacity_kg > 0) AND (capacity_m3 IS NULL OR capacity_m3 > 0)'
        )


def downgrade():
    with op.batch_alter_table('shipments', schema=None) as batch_op:
        batch_op.drop_constraint(batch_op.f('ck_shipments_capacity_positive'), type_='check')
        batch_op.drop_constraint(op.f('ck_shipments_containersize'), type_='check')
        batch_op.drop_column('capacity_m3')
        batch_op.drop_column('capacity_kg')
        batch_op.drop_column('container_size')
