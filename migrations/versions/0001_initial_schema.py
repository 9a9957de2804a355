"""initial schema: the whole domain

Revision ID: 0001
Revises: 
Create Date: 2026-11-25 03:11:19.418822

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '0001'
down_revision = None
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('donors',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('name', sa.String(length=200), nullable=False),
    sa.Column('kind', sa.Enum('individual', 'school_drive', 'publisher', 'library_clearance', 'organisation', name='donorkind', native_enum=False, create_constraint=True, length=32), nullable=False),
    sa.Column('email', sa.String(length=254), nullable=True),
    sa.Column('phone', sa.String(length=40), nullable=True),
    sa.Column('consent_to_contact', sa.Boolean(), server_default=sa.false(), nullable=False),
    sa.Column('consent_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('created_at', sa.DateTime(timezone=True), server_default=sa.text('(CURRENT_TIMESTAMP)'), nullable=False),
    sa.CheckConstraint('consent_to_contact = false OR consent_at IS NOT NULL', name=op.f('ck_donors_consent_dated')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_donors'))
    )
    op.create_table('recipients',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('name_en', sa.String(length=200), nullable=False),
    sa.Column('name_ar', sa.String(length=200), nullable=False),
    sa.Column('kind', sa.Enum('university', 'school', 'library', 'other', name='recipientkind', native_enum=False, create_constraint=True, length=32), nullable=False),
    sa.Column('address_en', sa.Text(), nullable=False),
    sa.Column('address_ar', sa.Text(), nullable=True),
    sa.Column('city', sa.String(length=120), nullable=False),
    sa.Column('governorate', sa.Enum('anbar', 'babil', 'baghdad', 'basra', 'dhi_qar', 'diyala', 'duhok', 'erbil', 'halabja', 'karbala', 'kirkuk', 'maysan', 'muthanna', 'najaf', 'nineveh', 'qadisiyyah', 'saladin', 'sulaymaniyah', 'wasit', name='governorate', native_enum=False, create_constraint=True, length=32), nullable=False),
    sa.Column('contact_name', sa.String(length=200), nullable=True),
    sa.Column('contact_phone', sa.String(length=40), nullable=True),
    sa.Column('contact_email', sa.String(length=254), nullable=True),
    sa.Column('wants_subjects', sa.Text(), nullable=True),
    sa.Column('wants_levels', sa.String(length=200), nullable=True),
    sa.Column('wants_languages', sa.String(length=200), nullable=True),
    sa.Column('active', sa.Boolean(), server_default=sa.true(), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), server_default=sa.text('(CURRENT_TIMESTAMP)'), nullable=False),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_recipients')),
    sa.UniqueConstraint('name_en', name=op.f('uq_recipients_name_en'))
    )
    op.create_table('ref_counters',
    sa.Column('name', sa.String(length=16), nullable=False),
    sa.Column('year', sa.Integer(), nullable=False),
    sa.Column('value', sa.Integer(), nullable=False),
    sa.PrimaryKeyConstraint('name', 'year', name=op.f('pk_ref_counters'))
    )
    op.create_table('sites',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('name', sa.String(length=120), nullable=False),
    sa.Column('kind', sa.Enum('drop_off', 'warehouse', name='sitekind', native_enum=False, create_constraint=True, length=32), nullable=False),
    sa.Column('city', sa.String(length=120), nullable=False),
    sa.Column('address', sa.Text(), nullable=True),
    sa.Column('active', sa.Boolean(), server_default=sa.true(), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), server_default=sa.text('(CURRENT_TIMESTAMP)'), nullable=False),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_sites')),
    sa.UniqueConstraint('name', name=op.f('uq_sites_name'))
    )
    op.create_table('titles',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('isbn13', sa.String(length=13), nullable=True),
    sa.Column('title', sa.String(length=500), nullable=True),
    sa.Column('authors', sa.String(length=500), nullable=True),
    sa.Column('publisher', sa.String(length=200), nullable=True),
    sa.Column('year', sa.Integer(), nullable=True),
    sa.Column('language', sa.String(length=8), nullable=True),
    sa.Column('subject', sa.String(length=120), nullable=True),
    sa.Column('level', sa.Enum('children', 'secondary', 'university', 'general', name='readinglevel', native_enum=False, create_constraint=True, length=32), nullable=False),
    sa.Column('kind', sa.Enum('book', 'dictionary', 'childrens_picture', 'periodical', name='titlekind', native_enum=False, create_constraint=True, length=32), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), server_default=sa.text('(CURRENT_TIMESTAMP)'), nullable=False),
    sa.CheckConstraint('isbn13 IS NOT NULL OR title IS NOT NULL', name=op.f('ck_titles_isbn_or_title')),
    sa.CheckConstraint('isbn13 IS NULL OR length(isbn13) = 13', name=op.f('ck_titles_isbn13_length')),
    sa.CheckConstraint('year IS NULL OR (year >= 1450 AND year <= 2100)', name=op.f('ck_titles_year_range')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_titles')),
    sa.UniqueConstraint('isbn13', name=op.f('uq_titles_isbn13'))
    )
    op.create_table('shipments',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('ref', sa.String(length=32), nullable=False),
    sa.Column('recipient_id', sa.Integer(), nullable=False),
    sa.Column('status', sa.Enum('planned', 'packing', 'ready', 'dispatched', 'in_transit', 'at_customs', 'cleared', 'delivered', 'cancelled', name='shipmentstatus', native_enum=False, create_constraint=True, length=32), nullable=False),
    sa.Column('mode', sa.Enum('sea', 'road', 'air', name='transportmode', native_enum=False, create_constraint=True, length=32), nullable=True),
    sa.Column('carrier', sa.String(length=200), nullable=True),
    sa.Column('container_no', sa.String(length=11), nullable=True),
    sa.Column('seal_no', sa.String(length=40), nullable=True),
    sa.Column('vessel', sa.String(length=120), nullable=True),
    sa.Column('voyage', sa.String(length=40), nullable=True),
    sa.Column('port_of_loading', sa.String(length=120), nullable=True),
    sa.Column('port_of_discharge', sa.String(length=120), nullable=True),
    sa.Column('place_of_delivery', sa.String(length=200), nullable=True),
    sa.Column('incoterm', sa.Enum('EXW', 'FCA', 'CPT', 'CIP', 'DAP', 'DPU', 'DDP', 'FAS', 'FOB', 'CFR', 'CIF', name='incoterm', native_enum=False, create_constraint=True, length=32), nullable=True),
    sa.Column('planned_departure', sa.Date(), nullable=True),
    sa.Column('notes', sa.Text(), nullable=True),
    sa.Column('created_at', sa.DateTime(timezone=True), server_default=sa.text('(CURRENT_TIMESTAMP)'), nullable=False),
    sa.CheckConstraint('container_no IS NULL OR length(container_no) = 11', name=op.f('ck_shipments_container_no_length')),
    sa.ForeignKeyConstraint(['recipient_id'], ['recipients.id'], name=op.f('fk_shipments_recipient_id_recipients')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_shipments')),
    sa.UniqueConstraint('ref', name=op.f('uq_shipments_ref'))
    )
    with op.batch_alter_table('shipments', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_shipments_recipient_id'), ['recipient_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_shipments_status'), ['status'], unique=False)

    op.create_table('users',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('email', sa.String(length=254), nullable=False),
    sa.Column('name', sa.String(length=120), nullable=False),
    sa.Column('password_hash', sa.String(length=256), nullable=False),
    sa.Column('role', sa.Enum('volunteer', 'warehouse', 'coordinator', 'admin', name='role', native_enum=False, create_constraint=True, length=32), nullable=False),
    sa.Column('active', sa.Boolean(), server_default=sa.true(), nullable=False),
    sa.Column('site_id', sa.Integer(), nullable=True),
    sa.Column('last_login_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('created_at', sa.DateTime(timezone=True), server_default=sa.text('(CURRENT_TIMESTAMP)'), nullable=False),
    sa.CheckConstraint('email = lower(email)', name=op.f('ck_users_email_lowercase')),
    sa.ForeignKeyConstraint(['site_id'], ['sites.id'], name=op.f('fk_users_site_id_sites')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_users')),
    sa.UniqueConstraint('email', name=op.f('uq_users_email'))
    )
    op.create_table('audit_events',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('actor_id', sa.Integer(), nullable=True),
    sa.Column('action', sa.String(length=64), nullable=False),
    sa.Column('subject_type', sa.String(length=32), nullable=False),
    sa.Column('subject_id', sa.Integer(), nullable=True),
    sa.Column('subject_ref', sa.String(length=64), nullable=True),
    sa.Column('detail', sa.JSON(), nullable=False),
    sa.ForeignKeyConstraint(['actor_id'], ['users.id'], name=op.f('fk_audit_events_actor_id_users')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_audit_events'))
    )
    with op.batch_alter_table('audit_events', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_audit_events_action'), ['action'], unique=False)
        batch_op.create_index(batch_op.f('ix_audit_events_actor_id'), ['actor_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_audit_events_at'), ['at'], unique=False)
        batch_op.create_index('ix_audit_events_subject', ['subject_type', 'subject_id'], unique=False)

    op.create_table('crates',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('code', sa.String(length=32), nullable=False),
    sa.Column('sscc', sa.String(length=18), nullable=True),
    sa.Column('status', sa.Enum('open', 'sealed', name='cratestatus', native_enum=False, create_constraint=True, length=32), nullable=False),
    sa.Column('site_id', sa.Integer(), nullable=False),
    sa.Column('gross_kg', sa.Numeric(precision=10, scale=2), nullable=True),
    sa.Column('length_cm', sa.Integer(), nullable=True),
    sa.Column('width_cm', sa.Integer(), nullable=True),
    sa.Column('height_cm', sa.Integer(), nullable=True),
    sa.Column('sealed_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('shipment_id', sa.Integer(), nullable=True),
    sa.Column('created_at', sa.DateTime(timezone=True), server_default=sa.text('(CURRENT_TIMESTAMP)'), nullable=False),
    sa.CheckConstraint("status = 'open' OR (gross_kg IS NOT NULL AND sealed_at IS NOT NULL)", name=op.f('ck_crates_sealed_weighed')),
    sa.CheckConstraint('(length_cm IS NULL OR length_cm > 0) AND (width_cm IS NULL OR width_cm > 0) AND (height_cm IS NULL OR height_cm > 0)', name=op.f('ck_crates_dimensions_positive')),
    sa.CheckConstraint('gross_kg IS NULL OR gross_kg > 0', name=op.f('ck_crates_gross_kg_positive')),
    sa.ForeignKeyConstraint(['shipment_id'], ['shipments.id'], name=op.f('fk_crates_shipment_id_shipments')),
    sa.ForeignKeyConstraint(['site_id'], ['sites.id'], name=op.f('fk_crates_site_id_sites')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_crates')),
    sa.UniqueConstraint('code', name=op.f('uq_crates_code')),
    sa.UniqueConstraint('sscc', name=op.f('uq_crates_sscc'))
    )
    with op.batch_alter_table('crates', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_crates_shipment_id'), ['shipment_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_crates_site_id'), ['site_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_crates_status'), ['status'], unique=False)

    op.create_table('donations',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('ref', sa.String(length=32), nullable=False),
    sa.Column('site_id', sa.Integer(), nullable=False),
    sa.Column('donor_id', sa.Integer(), nullable=True),
    sa.Column('received_on', sa.Date(), nullable=False),
    sa.Column('received_by_id', sa.Integer(), nullable=False),
    sa.Column('note', sa.Text(), nullable=True),
    sa.Column('submission_key', sa.String(length=64), nullable=True),
    sa.Column('created_at', sa.DateTime(timezone=True), server_default=sa.text('(CURRENT_TIMESTAMP)'), nullable=False),
    sa.ForeignKeyConstraint(['donor_id'], ['donors.id'], name=op.f('fk_donations_donor_id_donors')),
    sa.ForeignKeyConstraint(['received_by_id'], ['users.id'], name=op.f('fk_donations_received_by_id_users')),
    sa.ForeignKeyConstraint(['site_id'], ['sites.id'], name=op.f('fk_donations_site_id_sites')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_donations')),
    sa.UniqueConstraint('ref', name=op.f('uq_donations_ref')),
    sa.UniqueConstraint('submission_key', name=op.f('uq_donations_submission_key'))
    )
    with op.batch_alter_table('donations', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_donations_donor_id'), ['donor_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_donations_site_id'), ['site_id'], unique=False)

    op.create_table('shipment_events',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('shipment_id', sa.Integer(), nullable=False),
    sa.Column('from_status', sa.Enum('planned', 'packing', 'ready', 'dispatched', 'in_transit', 'at_customs', 'cleared', 'delivered', 'cancelled', name='from_status', native_enum=False, create_constraint=True, length=32), nullable=True),
    sa.Column('to_status', sa.Enum('planned', 'packing', 'ready', 'dispatched', 'in_transit', 'at_customs', 'cleared', 'delivered', 'cancelled', name='to_status', native_enum=False, create_constraint=True, length=32), nullable=False),
    sa.Column('at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('actor_id', sa.Integer(), nullable=True),
    sa.Column('location', sa.String(length=200), nullable=True),
    sa.Column('note', sa.Text(), nullable=True),
    sa.ForeignKeyConstraint(['actor_id'], ['users.id'], name=op.f('fk_shipment_events_actor_id_users')),
    sa.ForeignKeyConstraint(['shipment_id'], ['shipments.id'], name=op.f('fk_shipment_events_shipment_id_shipments')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_shipment_events'))
    )
    with op.batch_alter_table('shipment_events', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_shipment_events_shipment_id'), ['shipment_id'], unique=False)

    op.create_table('donation_lines',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('donation_id', sa.Integer(), nullable=False),
    sa.Column('position', sa.Integer(), nullable=False),
    sa.Column('title_id', sa.Integer(), nullable=True),
    sa.Column('description', sa.String(length=500), nullable=True),
    sa.Column('quantity', sa.Integer(), nullable=False),
    sa.Column('condition', sa.Enum('new', 'good', 'fair', 'poor', name='condition', native_enum=False, create_constraint=True, length=32), nullable=False),
    sa.CheckConstraint('quantity > 0', name=op.f('ck_donation_lines_quantity_positive')),
    sa.CheckConstraint('title_id IS NOT NULL OR description IS NOT NULL', name=op.f('ck_donation_lines_title_or_description')),
    sa.ForeignKeyConstraint(['donation_id'], ['donations.id'], name=op.f('fk_donation_lines_donation_id_donations')),
    sa.ForeignKeyConstraint(['title_id'], ['titles.id'], name=op.f('fk_donation_lines_title_id_titles')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_donation_lines')),
    sa.UniqueConstraint('donation_id', 'position', name=op.f('uq_donation_lines_donation_id_position'))
    )
    with op.batch_alter_table('donation_lines', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_donation_lines_donation_id'), ['donation_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_donation_lines_title_id'), ['title_id'], unique=False)

    op.create_table('lots',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('donation_id', sa.Integer(), nullable=False),
    sa.Column('line_id', sa.Integer(), nullable=False),
    sa.Column('parent_id', sa.Integer(), nullable=True),
    sa.Column('title_id', sa.Integer(), nullable=True),
    sa.Column('description', sa.String(length=500), nullable=True),
    sa.Column('quantity', sa.Integer(), nullable=False),
    sa.Column('condition', sa.Enum('new', 'good', 'fair', 'poor', name='condition', native_enum=False, create_constraint=True, length=32), nullable=False),
    sa.Column('status', sa.Enum('received', 'accepted', 'rejected', 'packed', 'void', name='lotstatus', native_enum=False, create_constraint=True, length=32), nullable=False),
    sa.Column('reject_reason', sa.Enum('water_damaged', 'mould', 'torn_or_incomplete', 'outdated', 'inappropriate', 'not_wanted', 'surplus', 'other', name='rejectreason', native_enum=False, create_constraint=True, length=32), nullable=True),
    sa.Column('disposition', sa.Enum('recycle', 'donate_locally', 'return_to_donor', 'discard', name='disposition', native_enum=False, create_constraint=True, length=32), nullable=True),
    sa.Column('reject_note', sa.String(length=500), nullable=True),
    sa.Column('crate_id', sa.Integer(), nullable=True),
    sa.Column('version', sa.Integer(), server_default='1', nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), server_default=sa.text('(CURRENT_TIMESTAMP)'), nullable=False),
    sa.CheckConstraint("(status = 'packed') = (crate_id IS NOT NULL)", name=op.f('ck_lots_packed_iff_in_crate')),
    sa.CheckConstraint("(status = 'rejected') = (reject_reason IS NOT NULL AND disposition IS NOT NULL)", name=op.f('ck_lots_rejected_has_reason')),
    sa.CheckConstraint("quantity > 0 OR status = 'void'", name=op.f('ck_lots_only_void_is_empty')),
    sa.CheckConstraint("status NOT IN ('accepted', 'packed') OR title_id IS NOT NULL", name=op.f('ck_lots_sent_lots_catalogued')),
    sa.CheckConstraint('quantity >= 0', name=op.f('ck_lots_quantity_not_negative')),
    sa.CheckConstraint('title_id IS NOT NULL OR description IS NOT NULL', name=op.f('ck_lots_title_or_description')),
    sa.ForeignKeyConstraint(['crate_id'], ['crates.id'], name=op.f('fk_lots_crate_id_crates')),
    sa.ForeignKeyConstraint(['donation_id'], ['donations.id'], name=op.f('fk_lots_donation_id_donations')),
    sa.ForeignKeyConstraint(['line_id'], ['donation_lines.id'], name=op.f('fk_lots_line_id_donation_lines')),
    sa.ForeignKeyConstraint(['parent_id'], ['lots.id'], name=op.f('fk_lots_parent_id_lots')),
    sa.ForeignKeyConstraint(['title_id'], ['titles.id'], name=op.f('fk_lots_title_id_titles')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_lots'))
    )
    with op.batch_alter_table('lots', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_lots_crate_id'), ['crate_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_lots_donation_id'), ['donation_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_lots_line_id'), ['line_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_lots_status'), ['status'], unique=False)
        batch_op.create_index(batch_op.f('ix_lots_title_id'), ['title_id'], unique=False)

    op.create_table('count_corrections',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('lot_id', sa.Integer(), nullable=False),
    sa.Column('donation_id', sa.Integer(), nullable=False),
    sa.Column('delta', sa.Integer(), nullable=False),
    sa.Column('reason', sa.String(length=500), nullable=False),
    sa.Column('actor_id', sa.Integer(), nullable=True),
    sa.Column('at', sa.DateTime(timezone=True), nullable=False),
    sa.CheckConstraint('delta <> 0', name=op.f('ck_count_corrections_delta_not_zero')),
    sa.CheckConstraint('length(reason) > 0', name=op.f('ck_count_corrections_reason_given')),
    sa.ForeignKeyConstraint(['actor_id'], ['users.id'], name=op.f('fk_count_corrections_actor_id_users')),
    sa.ForeignKeyConstraint(['donation_id'], ['donations.id'], name=op.f('fk_count_corrections_donation_id_donations')),
    sa.ForeignKeyConstraint(['lot_id'], ['lots.id'], name=op.f('fk_count_corrections_lot_id_lots')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_count_corrections'))
    )
    with op.batch_alter_table('count_corrections', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_count_corrections_donation_id'), ['donation_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_count_corrections_lot_id'), ['lot_id'], unique=False)



def downgrade():
    with op.batch_alter_table('count_corrections', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_count_corrections_lot_id'))
        batch_op.drop_index(batch_op.f('ix_count_corrections_donation_id'))

    op.drop_table('count_corrections')
    with op.batch_alter_table('lots', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_lots_title_id'))
        batch_op.drop_index(batch_op.f('ix_lots_status'))
        batch_op.drop_index(batch_op.f('ix_lots_line_id'))
        batch_op.drop_index(batch_op.f('ix_lots_donation_id'))
        batch_op.drop_index(batch_op.f('ix_lots_crate_id'))

    op.drop_table('lots')
    with op.batch_alter_table('donation_lines', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_donation_lines_title_id'))
        batch_op.drop_index(batch_op.f('ix_donation_lines_donation_id'))

    op.drop_table('donation_lines')
    with op.batch_alter_table('shipment_events', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_shipment_events_shipment_id'))

    op.drop_table('shipment_events')
    with op.batch_alter_table('donations', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_donations_site_id'))
        batch_op.drop_index(batch_op.f('ix_donations_donor_id'))

    op.drop_table('donations')
    with op.batch_alter_table('crates', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_crates_status'))
        batch_op.drop_index(batch_op.f('ix_crates_site_id'))
        batch_op.drop_index(batch_op.f('ix_crates_shipment_id'))

    op.drop_table('crates')
    with op.batch_alter_table('audit_events', schema=None) as batch_op:
        batch_op.drop_index('ix_audit_events_subject')
        batch_op.drop_index(batch_op.f('ix_audit_events_at'))
        batch_op.drop_index(batch_op.f('ix_audit_events_actor_id'))
        batch_op.drop_index(batch_op.f('ix_audit_events_action'))

    op.drop_table('audit_events')
    op.drop_table('users')
    with op.batch_alter_table('shipments', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_shipments_status'))
        batch_op.drop_index(batch_op.f('ix_shipments_recipient_id'))

    op.drop_table('shipments')
    op.drop_table('titles')
    op.drop_table('sites')
    op.drop_table('ref_counters')
    op.drop_table('recipients')
    op.drop_table('donors')
