"""customs details of shipments and recipients (freight and insurance never negative)

Revision ID: 0008
Revises: 0007
Create Date: 2026-11-25 14:41:38.543247

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '0008'
down_revision = '0007'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('recipients', schema=None) as batch_op:
        batch_op.add_column(sa.Column('tax_number', sa.String(length=64), nullable=True))

    with op.batch_alter_table('shipments', schema=None) as batch_op:
        batch_op.add_column(sa.Column('incoterm_place', sa.String(length=120), nullable=True))
        batch_op.add_column(sa.Column('transport_doc_no', sa.String(length=60), nullable=True))
        batch_op.add_column(sa.Column('truck_plate', sa.String(length=20), nullable=True))
        batch_op.add_column(sa.Column('trailer_plate', sa.String(length=20), nullable=True))
        batch_op.add_column(sa.Column('tir_ref', sa.String(length=40), nullable=True))
        batch_op.add_column(sa.Column('freight', sa.Numeric(precision=12, scale=2), nullable=True))
        batch_op.add_column(sa.Column('insurance', sa.Numeric(precision=12, scale=2), nullable=True))
        batch_op.add_column(sa.Column('origin_country', sa.String(length=120), nullable=True))
        batch_op.add_column(sa.Column('notify_party', sa.Text(), nullable=True))
        batch_op.add_column(sa.Column('exemption_ref', sa.String(length=120), nullable=True))
        batch_op.create_check_constraint('freight_not_negative', 'freight IS NULL OR freight >= 0')
        batch_op.create_check_constraint('insurance_not_negative', 'insurance IS NULL OR insurance >= 0')



def downgrade():
    with op.batch_alter_table('shipments', schema=None) as batch_op:
        batch_op.drop_constraint(op.f('ck_shipments_insurance_not_negative'), type_='check')
        batch_op.drop_constraint(op.f('ck_shipments_freight_not_negative'), type_='check')
        batch_op.drop_column('exemption_ref')
        batch_op.drop_column('notify_party')
        batch_op.drop_column('origin_country')
        batch_op.drop_column('insurance')
        batch_op.drop_column('freight')
        batch_op.drop_column('tir_ref')
        batch_op.drop_column('trailer_plate')
        batch_op.drop_column('truck_plate')
        batch_op.drop_column('transport_doc_no')
        batch_op.drop_column('incoterm_place')

    with op.batch_alter_table('recipients', schema=None) as batch_op:
        batch_op.drop_column('tax_number')

