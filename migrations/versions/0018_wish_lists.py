"""wish-lists; stock earmarked and crates packed for a recipient, and where crates wait

Revision ID: 0018
Revises: 0017
Create Date: 2026-12-06 17:53:57.156364

"""
import sqlalchemy as sa
from alembic import op


# revision identifiers, used by Alembic.
revision = '0018'
down_revision = '0017'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('wish_items',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('recipient_id', sa.Integer(), nullable=False),
    sa.Column('subject', sa.String(length=120), nullable=True),
    sa.Column('level', sa.Enum('children', 'secondary', 'university', 'general', name='readinglevel', native_enum=False, create_constraint=True, length=32), nullable=True),
    sa.Column('language', sa.String(length=8), nullable=True),
    sa.Column('kind', sa.Enum('book', 'dictionary', 'childrens_picture', 'periodical', name='titlekind', native_enum=False, create_constraint=True, length=32), nullable=True),
    sa.Column('wanted', sa.Integer(), nullable=False),
    sa.Column('priority', sa.Enum('high', 'normal', 'low', name='priority', native_enum=False, create_constraint=True, length=32), nullable=False),
    sa.Column('note', sa.String(length=500), nullable=True),
    sa.Column('created_at', sa.DateTime(timezone=True), server_default=sa.text('(CURRENT_TIMESTAMP)'), nullable=False),
    sa.CheckConstraint('wanted > 0', name=op.f('ck_wish_items_wanted_positive')),
    sa.ForeignKeyConstraint(['recipient_id'], ['recipients.id'], name=op.f('fk_wish_items_recipient_id_recipients')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_wish_items'))
    )
    with op.batch_alter_table('wish_items', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_wish_items_recipient_id'), ['recipient_id'], unique=False)

    with op.batch_alter_table('crates', schema=None) as batch_op:
        batch_op.add_column(sa.Column('for_recipient_id', sa.Integer(), nullable=True))
        batch_op.add_column(sa.Column('location', sa.String(length=60), nullable=True))
        batch_op.create_index(batch_op.f('ix_crates_for_recipient_id'), ['for_recipient_id'], unique=False)
        batch_op.create_foreign_key(batch_op.f('fk_crates_for_recipient_id_recipients'), 'recipients', ['for_recipient_id'], ['id'])

    with op.batch_alter_table('lots', schema=None) as batch_op:
        batch_op.add_column(sa.Column('earmarked_for_id', sa.Integer(), nullable=True))
        batch_op.create_index(batch_op.f('ix_lots_earmarked_for_id'), ['earmarked_for_id'], unique=False)
        batch_op.create_index('ix_lots_status_earmarked_title_quantity', ['status', 'earmarked_for_id', 'title_id', 'quantity'], unique=False)
        batch_op.create_foreign_key(batch_op.f('fk_lots_earmarked_for_id_recipients'), 'recipients', ['earmarked_for_id'], ['id'])



def downgrade():
    with op.batch_alter_table('lots', schema=None) as batch_op:
        batch_op.drop_constraint(batch_op.f('fk_lots_earmarked_for_id_recipients'), type_='foreignkey')
        batch_op.drop_index('ix_lots_status_earmarked_title_quantity')
        batch_op.drop_index(batch_op.f('ix_lots_earmarked_for_id'))
        batch_op.drop_column('earmarked_for_id')

    with op.batch_alter_table('crates', schema=None) as batch_op:
        batch_op.drop_constraint(batch_op.f('fk_crates_for_recipient_id_recipients'), type_='foreignkey')
        batch_op.drop_index(batch_op.f('ix_crates_for_recipient_id'))
        batch_op.drop_column('location')
        batch_op.drop_column('for_recipient_id')

    with op.batch_alter_table('wish_items', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_wish_items_recipient_id'))

    op.drop_table('wish_items')
