"""documents drawn in the background: jobs and their files kept by content; the queue's tables on PostgreSQL

Revision ID: 0012
Revises: 0011
Create Date: 2026-12-06 02:53:54.211464

"""
import sqlalchemy as sa
from alembic import op


# revision identifiers, used by Alembic.
revision = '0012'
down_revision = '0011'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('document_files',
    sa.Column('key', sa.String(length=64), nullable=False),
    sa.Column('filename', sa.String(length=200), nullable=False),
    sa.Column('size', sa.Integer(), nullable=False),
    sa.Column('pdf', sa.LargeBinary(), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('used_at', sa.DateTime(timezone=True), nullable=False),
    sa.PrimaryKeyConstraint('key', name=op.f('pk_document_files'))
    )
    with op.batch_alter_table('document_files', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_document_files_used_at'), ['used_at'], unique=False)

    op.create_table('document_jobs',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('kind', sa.String(length=40), nullable=False),
    sa.Column('subject', sa.String(length=40), nullable=False),
    sa.Column('size', sa.String(length=8), nullable=True),
    sa.Column('status', sa.Enum('queued', 'running', 'done', 'failed', name='jobstatus', native_enum=False, create_constraint=True, length=32), nullable=False),
    sa.Column('done', sa.Integer(), nullable=False),
    sa.Column('total', sa.Integer(), nullable=True),
    sa.Column('message', sa.String(length=500), nullable=True),
    sa.Column('file_key', sa.String(length=64), nullable=True),
    sa.Column('requested_by_id', sa.Integer(), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('updated_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('finished_at', sa.DateTime(timezone=True), nullable=True),
    sa.CheckConstraint('done >= 0', name=op.f('ck_document_jobs_done_not_negative')),
    sa.ForeignKeyConstraint(['file_key'], ['document_files.key'], name=op.f('fk_document_jobs_file_key_document_files'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['requested_by_id'], ['users.id'], name=op.f('fk_document_jobs_requested_by_id_users')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_document_jobs'))
    )
    with op.batch_alter_table('document_jobs', schema=None) as batch_op:
        batch_op.create_index('ix_document_jobs_asked', ['kind', 'subject', 'size', 'status'], unique=False)
        batch_op.create_index(batch_op.f('ix_document_jobs_created_at'), ['created_at'], unique=False)
    # The worker's queue: on PostgreSQL, Huey's tables in this database, as Huey makes them (on SQLite
    # the queue is a file of its own, which Huey makes).
    if op.get_bind().dialect.name == 'postgresql':
        from books2iraq.jobs import postgres_tables

        for statement in postgres_tables()[0]:
            op.execute(statement)



def downgrade():
    if op.get_bind().dialect.name == 'postgresql':
        from books2iraq.jobs import postgres_tables

        for table in postgres_tables()[1]:
            op.execute(f'DROP TABLE IF EXISTS {table}')
    with op.batch_alter_table('document_jobs', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_document_jobs_created_at'))
        batch_op.drop_index('ix_document_jobs_asked')

    op.drop_table('document_jobs')
    with op.batch_alter_table('document_files', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_document_files_used_at'))

    op.drop_table('document_files')
