"""pallets: sealed crates stacked and wrapped together, one package on the papers, loaded onto a shipment whole

Revision ID: 0022
Revises: 0021
Create Date: 2026-12-07 02:00:53.188209

"""
import sqlalchemy as sa
from alembic import op


# revision identifiers, used by Alembic.
revision = '0022'
down_revision = '0021'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('pallets',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('code', sa.String(length=32), nullable=False),
    sa.Column('sscc', sa.String(length=18), nullable=True),
    sa.Column('status', sa.Enum('open', 'sealed', name='palletstatus', native_enum=False, create_constraint=True, length=32), nullable=False),
    sa.Column('site_id', sa.Integer(), nullable=False),
    sa.Column('gross_kg', sa.Numeric(precision=10, scale=2), nullable=True),
    sa.Column('length_cm', sa.Integer(), nullable=True),
    sa.Column('width_cm', sa.Integer(), nullable=True),
    sa.Column('height_cm', sa.Integer(), nullable=True),
    sa.Column('sealed_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('shipment_id', sa.Integer(), nullable=True),
    sa.Column('created_at', sa.DateTime(timezone=True), server_default=sa.text('(CURRENT_TIMESTAMP)'), nullable=False),
    sa.CheckConstraint("status = 'open' OR (gross_kg IS NOT NULL AND sealed_at IS NOT NULL AND length_cm IS NOT NULL AND width_cm IS NOT NULL AND height_cm IS NOT NULL)", name=op.f('ck_pallets_sealed_weighed_measured')),
    sa.CheckConstraint("status = 'sealed' OR shipment_id IS NULL", name=op.f('ck_pallets_shipped_sealed')),
    sa.CheckConstraint('(length_cm IS NULL OR length_cm > 0) AND (width_cm IS NULL OR width_cm > 0) AND (height_cm IS NULL OR height_cm > 0)', name=op.f('ck_pallets_dimensions_positive')),
    sa.CheckConstraint('gross_kg IS NULL OR gross_kg > 0', name=op.f('ck_pallets_gross_kg_positive')),
    sa.ForeignKeyConstraint(['shipment_id'], ['shipments.id'], name=op.f('fk_pallets_shipment_id_shipments')),
    sa.ForeignKeyConstraint(['site_id'], ['sites.id'], name=op.f('fk_pallets_site_id_sites')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_pallets')),
    sa.UniqueConstraint('code', name=op.f('uq_pallets_code')),
    sa.UniqueConstraint('sscc', name=op.f('uq_pallets_sscc'))
    )
    with op.batch_alter_table('pallets', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_pallets_shipment_id'), ['shipment_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_pallets_site_id'), ['site_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_pallets_status'), ['status'], unique=False)

    with op.batch_alter_table('crates', schema=None) as batch_op:
        batch_op.add_column(sa.Column('pallet_id', sa.Integer(), nullable=True))
        batch_op.create_index(batch_op.f('ix_crates_pallet_id'), ['pallet_id'], unique=False)
        batch_op.create_foreign_key(batch_op.f('fk_crates_pallet_id_pallets'), 'pallets', ['pallet_id'], ['id'])



def downgrade():
    with op.batch_alter_table('crates', schema=None) as batch_op:
        batch_op.drop_constraint(batch_op.f('fk_crates_pallet_id_pallets'), type_='foreignkey')
        batch_op.drop_index(batch_op.f('ix_crates_pallet_id'))
        batch_op.drop_column('pallet_id')

    with op.batch_alter_table('pallets', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_pallets_status'))
        batch_op.drop_index(batch_op.f('ix_pallets_site_id'))
        batch_op.drop_index(batch_op.f('ix_pallets_shipment_id'))

    op.drop_table('pallets')
