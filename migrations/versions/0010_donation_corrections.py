"""donation corrections: details, added lines and voids, each with its reason; voided donations

Revision ID: 0010
Revises: 0009
Create Date: 2026-11-25 16:59:54.693600

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '0010'
down_revision = '0009'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('donation_corrections',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('donation_id', sa.Integer(), nullable=False),
    sa.Column('kind', sa.Enum('details', 'line_added', 'voided', name='correctionkind', native_enum=False, create_constraint=True, length=32), nullable=False),
    sa.Column('reason', sa.String(length=500), nullable=False),
    sa.Column('changes', sa.JSON(), nullable=False),
    sa.Column('actor_id', sa.Integer(), nullable=False),
    sa.Column('at', sa.DateTime(timezone=True), nullable=False),
    sa.CheckConstraint('length(reason) > 0', name=op.f('ck_donation_corrections_reason_given')),
    sa.ForeignKeyConstraint(['actor_id'], ['users.id'], name=op.f('fk_donation_corrections_actor_id_users')),
    sa.ForeignKeyConstraint(['donation_id'], ['donations.id'], name=op.f('fk_donation_corrections_donation_id_donations')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_donation_corrections'))
    )
    with op.batch_alter_table('donation_corrections', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_donation_corrections_donation_id'), ['donation_id'], unique=False)

    with op.batch_alter_table('donations', schema=None) as batch_op:
        batch_op.add_column(sa.Column('voided_at', sa.DateTime(timezone=True), nullable=True))
        batch_op.add_column(sa.Column('void_reason', sa.String(length=500), nullable=True))
        batch_op.create_check_constraint('void_has_reason', '(voided_at IS NULL) = (void_reason IS NULL)')


def downgrade():
    with op.batch_alter_table('donations', schema=None) as batch_op:
        batch_op.drop_constraint(op.f('ck_donations_void_has_reason'), type_='check')
        batch_op.drop_column('void_reason')
        batch_op.drop_column('voided_at')

    with op.batch_alter_table('donation_corrections', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_donation_corrections_donation_id'))

    op.drop_table('donation_corrections')
