"""issued customs papers: invoice numbers and frozen revisions

Revision ID: 0007
Revises: 0006
Create Date: 2026-11-25 14:32:15.680590

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '0007'
down_revision = '0006'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('issued_documents',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('shipment_id', sa.Integer(), nullable=False),
    sa.Column('kind', sa.Enum('manifest', 'certificate_of_origin', 'certificate_of_donation', name='paperkind', native_enum=False, create_constraint=True, length=32), nullable=False),
    sa.Column('number', sa.String(length=20), nullable=False),
    sa.Column('revision', sa.Integer(), nullable=False),
    sa.Column('issued_on', sa.Date(), nullable=False),
    sa.Column('issued_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('issued_by_id', sa.Integer(), nullable=False),
    sa.Column('reason', sa.Text(), nullable=True),
    sa.Column('content', sa.JSON(), nullable=False),
    sa.Column('pdf', sa.LargeBinary(), nullable=False),
    sa.Column('sha256', sa.String(length=64), nullable=False),
    sa.CheckConstraint('revision = 1 OR reason IS NOT NULL', name=op.f('ck_issued_documents_revision_has_reason')),
    sa.CheckConstraint('revision >= 1', name=op.f('ck_issued_documents_revision_positive')),
    sa.ForeignKeyConstraint(['issued_by_id'], ['users.id'], name=op.f('fk_issued_documents_issued_by_id_users')),
    sa.ForeignKeyConstraint(['shipment_id'], ['shipments.id'], name=op.f('fk_issued_documents_shipment_id_shipments')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_issued_documents')),
    sa.UniqueConstraint('shipment_id', 'kind', 'revision', name=op.f('uq_issued_documents_shipment_id_kind_revision'))
    )
    with op.batch_alter_table('issued_documents', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_issued_documents_shipment_id'), ['shipment_id'], unique=False)

    with op.batch_alter_table('shipments', schema=None) as batch_op:
        batch_op.add_column(sa.Column('invoice_no', sa.String(length=20), nullable=True))
        batch_op.create_index(batch_op.f('ix_shipments_invoice_no'), ['invoice_no'], unique=True)



def downgrade():
    with op.batch_alter_table('shipments', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_shipments_invoice_no'))
        batch_op.drop_column('invoice_no')

    with op.batch_alter_table('issued_documents', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_issued_documents_shipment_id'))

    op.drop_table('issued_documents')
