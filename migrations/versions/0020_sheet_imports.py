"""spreadsheets uploaded to import: the file kept as sent, and what it became, imported once

Revision ID: 0020
Revises: 0019
Create Date: 2026-12-06 23:19:11.808073

"""
import sqlalchemy as sa
from alembic import op


# revision identifiers, used by Alembic.
revision = '0020'
down_revision = '0019'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('sheet_imports',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('kind', sa.Enum('donation', 'recipients', 'sites', name='importkind', native_enum=False, create_constraint=True, length=32), nullable=False),
    sa.Column('file_name', sa.String(length=200), nullable=False),
    sa.Column('sha256', sa.String(length=64), nullable=False),
    sa.Column('content', sa.LargeBinary(), nullable=False),
    sa.Column('uploaded_by_id', sa.Integer(), nullable=False),
    sa.Column('uploaded_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('rows', sa.Integer(), nullable=False),
    sa.Column('imported_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('imported_rows', sa.Integer(), nullable=True),
    sa.Column('left_out', sa.JSON(), nullable=True),
    sa.Column('result_ref', sa.String(length=32), nullable=True),
    sa.CheckConstraint('(imported_at IS NULL) = (imported_rows IS NULL) AND (imported_at IS NULL) = (result_ref IS NULL)', name=op.f('ck_sheet_imports_imported_whole')),
    sa.ForeignKeyConstraint(['uploaded_by_id'], ['users.id'], name=op.f('fk_sheet_imports_uploaded_by_id_users')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_sheet_imports'))
    )
    with op.batch_alter_table('sheet_imports', schema=None) as batch_op:
        batch_op.create_index('ix_sheet_imports_once', ['kind', 'sha256'], unique=True, sqlite_where=sa.text('imported_at IS NOT NULL'), postgresql_where=sa.text('imported_at IS NOT NULL'))
        batch_op.create_index('ix_sheet_imports_sha256', ['sha256'], unique=False)



def downgrade():
    with op.batch_alter_table('sheet_imports', schema=None) as batch_op:
        batch_op.drop_index('ix_sheet_imports_sha256')
        batch_op.drop_index('ix_sheet_imports_once', sqlite_where=sa.text('imported_at IS NOT NULL'), postgresql_where=sa.text('imported_at IS NOT NULL'))

    op.drop_table('sheet_imports')
