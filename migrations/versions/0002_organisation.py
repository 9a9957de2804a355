"""organisation details

Revision ID: 0002
Revises: 0001
Create Date: 2026-11-25 03:31:26.399149

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '0002'
down_revision = '0001'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('organisation',
    sa.Column('id', sa.Integer(), autoincrement=False, nullable=False),
    sa.Column('name', sa.String(length=200), nullable=False),
    sa.Column('address', sa.Text(), nullable=True),
    sa.Column('country', sa.String(length=120), nullable=True),
    sa.Column('phone', sa.String(length=40), nullable=True),
    sa.Column('email', sa.String(length=254), nullable=True),
    sa.Column('website', sa.String(length=200), nullable=True),
    sa.Column('registration_number', sa.String(length=64), nullable=True),
    sa.Column('eori_number', sa.String(length=17), nullable=True),
    sa.Column('signatory_name', sa.String(length=120), nullable=True),
    sa.Column('signatory_title', sa.String(length=120), nullable=True),
    sa.Column('receipt_thanks', sa.Text(), nullable=True),
    sa.Column('created_at', sa.DateTime(timezone=True), server_default=sa.text('(CURRENT_TIMESTAMP)'), nullable=False),
    sa.CheckConstraint('id = 1', name=op.f('ck_organisation_single_row')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_organisation'))
    )


def downgrade():
    op.drop_table('organisation')
