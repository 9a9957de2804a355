"""crates checked in by the recipient; recipients' own accounts

Revision ID: 0017
Revises: 0016
Create Date: 2026-12-06 17:13:32.653727

"""
import sqlalchemy as sa
from alembic import op


# revision identifiers, used by Alembic.
revision = '0017'
down_revision = '0016'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('received_notes',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('shipment_id', sa.Integer(), nullable=False),
    sa.Column('filename', sa.String(length=200), nullable=False),
    sa.Column('media_type', sa.String(length=40), nullable=False),
    sa.Column('size', sa.Integer(), nullable=False),
    sa.Column('sha256', sa.String(length=64), nullable=False),
    sa.Column('uploaded_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('uploaded_by_id', sa.Integer(), nullable=True),
    sa.ForeignKeyConstraint(['shipment_id'], ['shipments.id'], name=op.f('fk_received_notes_shipment_id_shipments')),
    sa.ForeignKeyConstraint(['uploaded_by_id'], ['users.id'], name=op.f('fk_received_notes_uploaded_by_id_users')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_received_notes'))
    )
    with op.batch_alter_table('received_notes', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_received_notes_shipment_id'), ['shipment_id'], unique=False)

    op.create_table('crate_receipts',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('crate_id', sa.Integer(), nullable=False),
    sa.Column('shipment_id', sa.Integer(), nullable=False),
    sa.Column('outcome', sa.Enum('received', 'damaged', 'missing', name='crateoutcome', native_enum=False, create_constraint=True, length=32), nullable=False),
    sa.Column('copies_sent', sa.Integer(), nullable=False),
    sa.Column('copies_received', sa.Integer(), nullable=False),
    sa.Column('copies_damaged', sa.Integer(), nullable=False),
    sa.Column('copies_missing', sa.Integer(), nullable=False),
    sa.Column('counted', sa.Boolean(), nullable=False),
    sa.Column('note', sa.Text(), nullable=True),
    sa.Column('checked_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('checked_by_id', sa.Integer(), nullable=True),
    sa.Column('address', sa.String(length=64), nullable=True),
    sa.Column('device', sa.String(length=200), nullable=True),
    sa.CheckConstraint("outcome <> 'missing' OR copies_missing = copies_sent", name=op.f('ck_crate_receipts_missing_is_whole')),
    sa.CheckConstraint("outcome <> 'received' OR copies_received = copies_sent", name=op.f('ck_crate_receipts_received_is_whole')),
    sa.CheckConstraint('copies_received + copies_damaged + copies_missing = copies_sent', name=op.f('ck_crate_receipts_copies_add_up')),
    sa.CheckConstraint('copies_received >= 0 AND copies_damaged >= 0 AND copies_missing >= 0', name=op.f('ck_crate_receipts_copies_not_negative')),
    sa.ForeignKeyConstraint(['checked_by_id'], ['users.id'], name=op.f('fk_crate_receipts_checked_by_id_users')),
    sa.ForeignKeyConstraint(['crate_id'], ['crates.id'], name=op.f('fk_crate_receipts_crate_id_crates')),
    sa.ForeignKeyConstraint(['shipment_id'], ['shipments.id'], name=op.f('fk_crate_receipts_shipment_id_shipments')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_crate_receipts')),
    sa.UniqueConstraint('crate_id', name=op.f('uq_crate_receipts_crate_id'))
    )
    with op.batch_alter_table('crate_receipts', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_crate_receipts_shipment_id'), ['shipment_id'], unique=False)

    op.create_table('receipt_lines',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('receipt_id', sa.Integer(), nullable=False),
    sa.Column('title_id', sa.Integer(), nullable=False),
    sa.Column('sent', sa.Integer(), nullable=False),
    sa.Column('received', sa.Integer(), nullable=False),
    sa.Column('damaged', sa.Integer(), nullable=False),
    sa.Column('missing', sa.Integer(), nullable=False),
    sa.CheckConstraint('received + damaged + missing = sent', name=op.f('ck_receipt_lines_counts_add_up')),
    sa.CheckConstraint('received >= 0 AND damaged >= 0 AND missing >= 0', name=op.f('ck_receipt_lines_counts_not_negative')),
    sa.ForeignKeyConstraint(['receipt_id'], ['crate_receipts.id'], name=op.f('fk_receipt_lines_receipt_id_crate_receipts')),
    sa.ForeignKeyConstraint(['title_id'], ['titles.id'], name=op.f('fk_receipt_lines_title_id_titles')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_receipt_lines')),
    sa.UniqueConstraint('receipt_id', 'title_id', name=op.f('uq_receipt_lines_receipt_id_title_id'))
    )
    with op.batch_alter_table('receipt_lines', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_receipt_lines_receipt_id'), ['receipt_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_receipt_lines_title_id'), ['title_id'], unique=False)

    with op.batch_alter_table('users', schema=None) as batch_op:
        batch_op.add_column(sa.Column('recipient_id', sa.Integer(), nullable=True))
        batch_op.create_index(batch_op.f('ix_users_recipient_id'), ['recipient_id'], unique=False)
        batch_op.create_foreign_key(batch_op.f('fk_users_recipient_id_recipients'), 'recipients', ['recipient_id'], ['id'])
        # A new role: a recipient's librarian, who belongs to one institution (and only they do).
        batch_op.drop_constraint(op.f('ck_users_role'), type_='check')
        batch_op.create_check_constraint('role', "role IN ('volunteer', 'warehouse', 'coordinator', 'admin', 'recipient')")
        batch_op.create_check_constraint('recipient_has_institution', "(role = 'recipient') = (recipient_id IS NOT NULL)")
    # The crates of shipments delivered before crates were checked in: received whole, as the coordinator said.
    op.execute(
        "INSERT INTO crate_receipts (crate_id, shipment_id, outcome, copies_sent, copies_received, copies_damaged,"
        " copies_missing, counted, note, checked_at)"
        " SELECT c.id, c.shipment_id, 'received', COALESCE(SUM(l.quantity), 0), COALESCE(SUM(l.quantity), 0), 0, 0,"
        " false, 'delivered before crates were checked in', CURRENT_TIMESTAMP"
        " FROM crates c JOIN shipments s ON s.id = c.shipment_id LEFT JOIN lots l ON l.crate_id = c.id"
        " WHERE s.status = 'delivered' GROUP BY c.id, c.shipment_id"
    )



def downgrade():
    # Recipients' accounts are kept (their names are in the histories), as volunteers who cannot sign in.
    op.execute("UPDATE users SET role = 'volunteer', active = false, recipient_id = NULL WHERE role = 'recipient'")
    with op.batch_alter_table('users', schema=None) as batch_op:
        batch_op.drop_constraint(op.f('ck_users_recipient_has_institution'), type_='check')
        batch_op.drop_constraint(op.f('ck_users_role'), type_='check')
        batch_op.create_check_constraint('role', "role IN ('volunteer', 'warehouse', 'coordinator', 'admin')")
        batch_op.drop_constraint(batch_op.f('fk_users_recipient_id_recipients'), type_='foreignkey')
        batch_op.drop_index(batch_op.f('ix_users_recipient_id'))
        batch_op.drop_column('recipient_id')

    with op.batch_alter_table('receipt_lines', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_receipt_lines_title_id'))
        batch_op.drop_index(batch_op.f('ix_receipt_lines_receipt_id'))

    op.drop_table('receipt_lines')
    with op.batch_alter_table('crate_receipts', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_crate_receipts_shipment_id'))

    op.drop_table('crate_receipts')
    with op.batch_alter_table('received_notes', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_received_notes_shipment_id'))

    op.drop_table('received_notes')
