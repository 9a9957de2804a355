"""Who may call what: one fixed table of every endpoint of the app, pages and API, with the least role each needs.

The table is written out here by hand, from reading the views and DESIGN.md; it is never read from the code
under test (not from `required_role`, not from the API's OPERATIONS registry), so a role changed in a view
makes these tests fail until the table is changed too — on purpose.

The staff's roles are cumulative (admin ⊇ coordinator ⊇ warehouse ⊇ volunteer); the recipient stands apart,
and coordinators and admins may do what it does. PUBLIC rows need no sign-in;
SIGNED_IN rows need a signed-in user of any role. Sample paths name records that do not exist, so no request
in these tests changes anything: a caller who may reach a view gets its 404 (or an invalid empty form),
one who may not gets 403 first.
"""
from __future__ import annotations

import pytest
import sqlalchemy as sa
from flask import Flask
from flask.testing import FlaskClient

from books2iraq import create_app
from books2iraq.auth import services as user_services
from books2iraq.auth import tokens as api_tokens
from books2iraq.auth.roles import Role
from books2iraq.extensions import db
from tests.conftest import AuthActions, csrf_from

PUBLIC = "public"  # no sign-in needed
SIGNED_IN = "signed in"  # any signed-in user, whatever the role

# (endpoint, method) -> (sample path, least role needed). Missing records on purpose: id 999999,
# crate B2I-C-999999, pallet B2I-P-999999, donation D-2026-999999, shipment S-2026-999999.
ACCESS: dict[tuple[str, str], tuple[str, Role | str]] = {
    # --- public and signed-in ---------------------------------------------------------------------
    ("static", "GET"): ("/static/css/app.css", PUBLIC),
    ("main.healthz", "GET"): ("/healthz", PUBLIC),
    ("main.choose_language", "POST"): ("/language", PUBLIC),
    ("auth.login", "GET"): ("/auth/login", PUBLIC),
    ("auth.login", "POST"): ("/auth/login", PUBLIC),
    ("auth.logout", "POST"): ("/auth/logout", SIGNED_IN),
    ("auth.change_password", "GET"): ("/auth/password", SIGNED_IN),
    ("auth.change_password", "POST"): ("/auth/password", SIGNED_IN),
    ("auth.api_tokens", "GET"): ("/auth/tokens", SIGNED_IN),
    ("auth.api_tokens", "POST"): ("/auth/tokens", SIGNED_IN),
    ("auth.revoke_api_token", "POST"): ("/auth/tokens/999999/revoke", SIGNED_IN),
    # --- home and search ----------------------------------------------------------------------------
    ("main.home", "GET"): ("/", SIGNED_IN),  # the pipeline for the staff; a recipient is sent to its shipments
    ("search.search", "GET"): ("/search", Role.VOLUNTEER),
    # --- intake (drop-off points) -------------------------------------------------------------------
    ("intake.new_donation", "GET"): ("/intake/new", Role.VOLUNTEER),
    ("intake.new_donation", "POST"): ("/intake/new", Role.VOLUNTEER),
    # --- a donation imported from a spreadsheet (an upload is its sender's, or a coordinator's) --------
    ("imports.upload_donation", "GET"): ("/imports/donation", Role.VOLUNTEER),
    ("imports.upload_donation", "POST"): ("/imports/donation", Role.VOLUNTEER),
    ("imports.donation_template", "GET"): ("/imports/donation/template.xlsx", Role.VOLUNTEER),
    ("imports.upload_recipients", "GET"): ("/imports/recipients", Role.COORDINATOR),
    ("imports.upload_recipients", "POST"): ("/imports/recipients", Role.COORDINATOR),
    ("imports.recipients_template", "GET"): ("/imports/recipients/template.csv", Role.COORDINATOR),
    ("imports.upload_sites", "GET"): ("/imports/sites", Role.ADMIN),
    ("imports.upload_sites", "POST"): ("/imports/sites", Role.ADMIN),
    ("imports.sites_template", "GET"): ("/imports/sites/template.xlsx", Role.ADMIN),
    ("imports.show", "GET"): ("/imports/999999", Role.VOLUNTEER),
    ("imports.show", "POST"): ("/imports/999999", Role.VOLUNTEER),
    ("intake.list_donations", "GET"): ("/intake/donations", Role.VOLUNTEER),
    ("intake.show_donation", "GET"): ("/intake/donations/D-2026-999999", Role.VOLUNTEER),
    ("intake.list_donors", "GET"): ("/intake/donors/", Role.VOLUNTEER),
    ("intake.show_donor", "GET"): ("/intake/donors/999999", Role.VOLUNTEER),
    ("intake.edit_donor", "POST"): ("/intake/donors/999999/edit", Role.COORDINATOR),
    ("intake.correct_donation", "POST"): ("/intake/donations/D-2026-999999/details", Role.COORDINATOR),
    ("intake.add_line", "POST"): ("/intake/donations/D-2026-999999/lines", Role.COORDINATOR),
    ("intake.void_donation", "POST"): ("/intake/donations/D-2026-999999/void", Role.COORDINATOR),
    # --- sorting (warehouse) ------------------------------------------------------------------------
    ("sorting.queue", "GET"): ("/sorting/", Role.WAREHOUSE),
    ("sorting.show_lot", "GET"): ("/sorting/lots/999999", Role.WAREHOUSE),
    ("sorting.accept_lot", "POST"): ("/sorting/lots/999999/accept", Role.WAREHOUSE),
    ("sorting.reject_lot", "POST"): ("/sorting/lots/999999/reject", Role.WAREHOUSE),
    ("sorting.catalogue_lot", "POST"): ("/sorting/lots/999999/catalogue", Role.WAREHOUSE),
    ("sorting.correct_lot", "POST"): ("/sorting/lots/999999/correct", Role.WAREHOUSE),
    ("sorting.scan", "POST"): ("/sorting/scan", Role.WAREHOUSE),
    ("sorting.accept_donation", "POST"): ("/sorting/donations/D-2026-999999/accept", Role.WAREHOUSE),
    ("sorting.scan_bag", "POST"): ("/sorting/lots/999999/scan", Role.WAREHOUSE),
    # --- the title catalogue (warehouse) ------------------------------------------------------------
    ("catalogue.list_titles", "GET"): ("/titles/", Role.WAREHOUSE),
    ("intake.check_scans", "POST"): ("/intake/scans", Role.VOLUNTEER),
    ("intake.sync_donation", "POST"): ("/intake/sync", Role.VOLUNTEER),
    ("intake.offline_state", "GET"): ("/intake/offline", Role.VOLUNTEER),
    ("intake.offline_titles", "GET"): ("/intake/offline/titles", Role.VOLUNTEER),
    ("intake.service_worker", "GET"): ("/intake/sw.js", PUBLIC),
    ("intake.manifest", "GET"): ("/intake/manifest.webmanifest", PUBLIC),
    ("catalogue.list_imports", "GET"): ("/titles/imports", Role.WAREHOUSE),
    ("catalogue.outdated_rules", "GET"): ("/titles/outdated", Role.WAREHOUSE),
    ("catalogue.add_outdated_rule", "POST"): ("/titles/outdated", Role.COORDINATOR),
    ("catalogue.remove_outdated_rule", "POST"): ("/titles/outdated/999999/remove", Role.COORDINATOR),
    ("catalogue.show_title", "GET"): ("/titles/999999", Role.WAREHOUSE),
    ("catalogue.edit_title", "POST"): ("/titles/999999/edit", Role.WAREHOUSE),
    ("catalogue.attach_isbn", "POST"): ("/titles/999999/isbn", Role.WAREHOUSE),
    ("catalogue.merge_title", "POST"): ("/titles/999999/merge", Role.COORDINATOR),
    # --- receiving (the recipient's librarian; coordinators and admins act for any recipient) --------
    ("receiving.index", "GET"): ("/receiving/", Role.RECIPIENT),
    ("receiving.show", "GET"): ("/receiving/S-2026-999999", Role.RECIPIENT),
    ("receiving.check_in", "POST"): ("/receiving/S-2026-999999", Role.RECIPIENT),
    ("receiving.count", "GET"): ("/receiving/S-2026-999999/crates/B2I-C-999999", Role.RECIPIENT),
    ("receiving.count", "POST"): ("/receiving/S-2026-999999/crates/B2I-C-999999", Role.RECIPIENT),
    ("receiving.received_note", "GET"): ("/receiving/S-2026-999999/received-note.pdf", Role.RECIPIENT),
    ("receiving.attach_signed", "POST"): ("/receiving/S-2026-999999/signed", Role.RECIPIENT),
    ("receiving.signed", "GET"): ("/receiving/S-2026-999999/signed/999999", Role.RECIPIENT),
    ("receiving.reconciliation", "GET"): ("/receiving/S-2026-999999/reconciliation", Role.RECIPIENT),
    # --- wish-lists (the recipient's own; coordinators and admins keep any, and earmark stock) -------
    ("wishes.mine", "GET"): ("/wishes/", Role.RECIPIENT),
    ("wishes.show", "GET"): ("/wishes/999999", Role.RECIPIENT),
    ("wishes.show", "POST"): ("/wishes/999999", Role.RECIPIENT),
    ("wishes.edit", "GET"): ("/wishes/999999/999999", Role.RECIPIENT),
    ("wishes.edit", "POST"): ("/wishes/999999/999999", Role.RECIPIENT),
    ("wishes.remove", "POST"): ("/wishes/999999/999999/remove", Role.RECIPIENT),
    ("wishes.earmark", "POST"): ("/wishes/999999/999999/earmark", Role.COORDINATOR),
    ("wishes.release", "POST"): ("/wishes/999999/release", Role.COORDINATOR),
    ("wishes.plan", "GET"): ("/wishes/999999/plan/S-2026-999999", Role.COORDINATOR),
    ("wishes.plan", "POST"): ("/wishes/999999/plan/S-2026-999999", Role.COORDINATOR),
    # --- crating (warehouse) ------------------------------------------------------------------------
    ("crating.plan", "POST"): ("/crates/B2I-C-999999/plan", Role.WAREHOUSE),
    ("crating.list_crates", "GET"): ("/crates/", Role.WAREHOUSE),
    ("crating.open_crate", "POST"): ("/crates/", Role.WAREHOUSE),
    ("crating.find_crate", "GET"): ("/crates/find", Role.WAREHOUSE),
    ("crating.show_crate", "GET"): ("/crates/B2I-C-999999", Role.WAREHOUSE),
    ("crating.pack", "POST"): ("/crates/B2I-C-999999/pack", Role.WAREHOUSE),
    ("crating.unpack", "POST"): ("/crates/B2I-C-999999/lots/999999/unpack", Role.WAREHOUSE),
    ("crating.seal", "POST"): ("/crates/B2I-C-999999/seal", Role.WAREHOUSE),
    ("crating.reopen", "POST"): ("/crates/B2I-C-999999/reopen", Role.WAREHOUSE),
    ("pallets.list_pallets", "GET"): ("/pallets/", Role.WAREHOUSE),
    ("pallets.open_pallet", "POST"): ("/pallets/", Role.WAREHOUSE),
    ("pallets.find_pallet", "GET"): ("/pallets/find", Role.WAREHOUSE),
    ("pallets.show_pallet", "GET"): ("/pallets/B2I-P-999999", Role.WAREHOUSE),
    ("pallets.put_on", "POST"): ("/pallets/B2I-P-999999/crates", Role.WAREHOUSE),
    ("pallets.take_off", "POST"): ("/pallets/B2I-P-999999/crates/B2I-C-999999/remove", Role.WAREHOUSE),
    ("pallets.seal", "POST"): ("/pallets/B2I-P-999999/seal", Role.WAREHOUSE),
    ("pallets.reopen", "POST"): ("/pallets/B2I-P-999999/reopen", Role.WAREHOUSE),
    # --- documents ----------------------------------------------------------------------------------
    ("documents.donor_year", "GET"): ("/documents/donors/999999/2026.pdf", Role.VOLUNTEER),
    ("documents.donor_receipt", "GET"): ("/documents/donations/D-2026-999999/receipt.pdf", Role.VOLUNTEER),
    ("documents.crate_label", "GET"): ("/documents/crates/B2I-C-999999/label.pdf", Role.WAREHOUSE),
    ("documents.pallet_label", "GET"): ("/documents/pallets/B2I-P-999999/label.pdf", Role.WAREHOUSE),
    ("documents.crate_packing_list", "GET"): ("/documents/crates/B2I-C-999999/packing-list.pdf", Role.WAREHOUSE),
    ("documents.shipment_labels", "GET"): ("/documents/shipments/S-2026-999999/labels.pdf", Role.WAREHOUSE),
    ("documents.shipment_packing_list", "GET"): ("/documents/shipments/S-2026-999999/packing-list.pdf", Role.WAREHOUSE),
    ("documents.pick_list", "GET"): ("/documents/shipments/S-2026-999999/pick-list.pdf", Role.WAREHOUSE),
    ("documents.customs_manifest", "GET"): ("/documents/shipments/S-2026-999999/manifest.pdf", Role.COORDINATOR),
    ("documents.certificate_of_origin", "GET"): ("/documents/shipments/S-2026-999999/certificate-of-origin.pdf", Role.COORDINATOR),
    ("documents.certificate_of_donation", "GET"): ("/documents/shipments/S-2026-999999/certificate-of-donation.pdf", Role.COORDINATOR),
    ("documents.issued_paper", "GET"): ("/documents/shipments/S-2026-999999/certificate-of-origin/1.pdf", Role.COORDINATOR),
    ("documents.issue_papers", "POST"): ("/documents/shipments/S-2026-999999/papers/issue", Role.COORDINATOR),
    # A job's page and file: the warehouse at least; a job's own document may need more (a manifest's).
    ("documents.show_job", "GET"): ("/documents/jobs/999999", Role.WAREHOUSE),
    ("documents.job_file", "GET"): ("/documents/jobs/999999/S-2026-999999-labels.pdf", Role.WAREHOUSE),
    # --- shipping (coordinator) ---------------------------------------------------------------------
    ("shipping.list_shipments", "GET"): ("/shipping/", Role.COORDINATOR),
    ("shipping.new_shipment", "GET"): ("/shipping/new", Role.COORDINATOR),
    ("shipping.new_shipment", "POST"): ("/shipping/new", Role.COORDINATOR),
    ("shipping.show_shipment", "GET"): ("/shipping/S-2026-999999", Role.COORDINATOR),
    ("shipping.update_transport", "POST"): ("/shipping/S-2026-999999/transport", Role.COORDINATOR),
    ("shipping.set_container", "POST"): ("/shipping/S-2026-999999/container", Role.COORDINATOR),
    ("shipping.assign_crate", "POST"): ("/shipping/S-2026-999999/crates", Role.COORDINATOR),
    ("shipping.remove_crate", "POST"): ("/shipping/S-2026-999999/crates/B2I-C-999999/remove", Role.COORDINATOR),
    ("shipping.remove_pallet", "POST"): ("/shipping/S-2026-999999/pallets/B2I-P-999999/remove", Role.COORDINATOR),
    ("shipping.change_status", "POST"): ("/shipping/S-2026-999999/status", Role.COORDINATOR),
    ("shipping.list_recipients", "GET"): ("/shipping/recipients", Role.COORDINATOR),
    ("shipping.new_recipient", "GET"): ("/shipping/recipients/new", Role.COORDINATOR),
    ("shipping.new_recipient", "POST"): ("/shipping/recipients/new", Role.COORDINATOR),
    ("shipping.edit_recipient", "GET"): ("/shipping/recipients/999999/edit", Role.COORDINATOR),
    ("shipping.edit_recipient", "POST"): ("/shipping/recipients/999999/edit", Role.COORDINATOR),
    ("shipping.deactivate_recipient", "POST"): ("/shipping/recipients/999999/deactivate", Role.COORDINATOR),
    ("shipping.reactivate_recipient", "POST"): ("/shipping/recipients/999999/reactivate", Role.COORDINATOR),
    # --- reports (coordinator) ----------------------------------------------------------------------
    ("reports.dashboard", "GET"): ("/reports/", Role.COORDINATOR),
    ("reports.export", "GET"): ("/reports/export/donations.xlsx", Role.COORDINATOR),
    ("reports.period_report", "GET"): ("/reports/period", Role.COORDINATOR),
    ("reports.period_table", "GET"): ("/reports/period/received.csv", Role.COORDINATOR),
    ("documents.period_report", "GET"): ("/documents/reports/period.pdf", Role.COORDINATOR),
    # --- admin --------------------------------------------------------------------------------------
    ("admin.index", "GET"): ("/admin/", Role.ADMIN),
    ("admin.list_users", "GET"): ("/admin/users", Role.ADMIN),
    ("admin.new_user", "GET"): ("/admin/users/new", Role.ADMIN),
    ("admin.new_user", "POST"): ("/admin/users/new", Role.ADMIN),
    ("admin.edit_user", "GET"): ("/admin/users/999999", Role.ADMIN),
    ("admin.edit_user", "POST"): ("/admin/users/999999", Role.ADMIN),
    ("admin.reset_password", "GET"): ("/admin/users/999999/password", Role.ADMIN),
    ("admin.reset_password", "POST"): ("/admin/users/999999/password", Role.ADMIN),
    ("admin.set_user_active", "POST"): ("/admin/users/999999/deactivate", Role.ADMIN),
    ("admin.sign_out_everywhere", "POST"): ("/admin/users/999999/sign-out", Role.ADMIN),
    ("admin.list_sites", "GET"): ("/admin/sites", Role.ADMIN),
    ("admin.new_site", "GET"): ("/admin/sites/new", Role.ADMIN),
    ("admin.new_site", "POST"): ("/admin/sites/new", Role.ADMIN),
    ("admin.edit_site", "GET"): ("/admin/sites/999999", Role.ADMIN),
    ("admin.edit_site", "POST"): ("/admin/sites/999999", Role.ADMIN),
    ("admin.set_site_active", "POST"): ("/admin/sites/999999/deactivate", Role.ADMIN),
    ("admin.edit_organisation", "GET"): ("/admin/organisation", Role.ADMIN),
    ("admin.edit_organisation", "POST"): ("/admin/organisation", Role.ADMIN),
    # --- JSON API /api/v1 (bearer tokens) -----------------------------------------------------------
    ("api.openapi", "GET"): ("/api/v1/openapi.json", PUBLIC),
    ("api.list_sites", "GET"): ("/api/v1/sites", Role.VOLUNTEER),
    ("api.create_donation", "POST"): ("/api/v1/donations", Role.VOLUNTEER),
    ("api.list_donations", "GET"): ("/api/v1/donations", Role.VOLUNTEER),
    ("api.show_donation", "GET"): ("/api/v1/donations/D-2026-999999", Role.VOLUNTEER),
    ("api.correct_donation", "PATCH"): ("/api/v1/donations/D-2026-999999", Role.COORDINATOR),
    ("api.add_donation_line", "POST"): ("/api/v1/donations/D-2026-999999/lines", Role.COORDINATOR),
    ("api.void_donation", "POST"): ("/api/v1/donations/D-2026-999999/void", Role.COORDINATOR),
    ("api.donor_receipt", "GET"): ("/api/v1/donations/D-2026-999999/receipt.pdf", Role.VOLUNTEER),
    ("api.list_lots", "GET"): ("/api/v1/lots", Role.WAREHOUSE),
    ("api.show_lot", "GET"): ("/api/v1/lots/999999", Role.WAREHOUSE),
    ("api.sort_lot", "POST"): ("/api/v1/lots/999999/sort", Role.WAREHOUSE),
    ("api.open_crate", "POST"): ("/api/v1/crates", Role.WAREHOUSE),
    ("api.show_crate", "GET"): ("/api/v1/crates/B2I-C-999999", Role.WAREHOUSE),
    ("api.pack_crate", "POST"): ("/api/v1/crates/B2I-C-999999/lots", Role.WAREHOUSE),
    ("api.seal_crate", "POST"): ("/api/v1/crates/B2I-C-999999/seal", Role.WAREHOUSE),
    ("api.crate_label", "GET"): ("/api/v1/crates/B2I-C-999999/label.pdf", Role.WAREHOUSE),
    ("api.crate_packing_list", "GET"): ("/api/v1/crates/B2I-C-999999/packing-list.pdf", Role.WAREHOUSE),
    ("api.shipment_labels", "GET"): ("/api/v1/shipments/S-2026-999999/labels.pdf", Role.WAREHOUSE),
    ("api.document_job", "GET"): ("/api/v1/jobs/999999", Role.WAREHOUSE),
    ("api.job_pdf", "GET"): ("/api/v1/jobs/999999/pdf", Role.WAREHOUSE),
    ("api.shipment_packing_list", "GET"): ("/api/v1/shipments/S-2026-999999/packing-list.pdf", Role.WAREHOUSE),
    ("api.customs_manifest", "GET"): ("/api/v1/shipments/S-2026-999999/manifest.pdf", Role.COORDINATOR),
    ("api.certificate_of_origin", "GET"): ("/api/v1/shipments/S-2026-999999/certificate-of-origin.pdf", Role.COORDINATOR),
    ("api.certificate_of_donation", "GET"): ("/api/v1/shipments/S-2026-999999/certificate-of-donation.pdf", Role.COORDINATOR),
    ("api.issued_paper", "GET"): ("/api/v1/shipments/S-2026-999999/manifest/1.pdf", Role.COORDINATOR),
    ("api.issue_papers", "POST"): ("/api/v1/shipments/S-2026-999999/papers/issue", Role.COORDINATOR),
    ("api.create_shipment", "POST"): ("/api/v1/shipments", Role.COORDINATOR),
    ("api.show_shipment", "GET"): ("/api/v1/shipments/S-2026-999999", Role.COORDINATOR),
    ("api.assign_crate", "POST"): ("/api/v1/shipments/S-2026-999999/crates", Role.COORDINATOR),
    ("api.change_status", "POST"): ("/api/v1/shipments/S-2026-999999/status", Role.COORDINATOR),
    ("api.show_stats", "GET"): ("/api/v1/stats", Role.COORDINATOR),
}

LOGOUT = ("auth.logout", "POST")
CSRF_REFUSED = b"Form expired"  # the title of the app's CSRFError page (a 400 before any role check)


def is_api(endpoint: str) -> bool:
    return endpoint.startswith("api.")


# An admin's POST of the organisation form with no fields saves the defaults the page shows (WTForms keeps
# an object's value for a field the form data lacks): the one write an empty form makes, and a harmless one.
SAVED_BY_AN_EMPTY_POST = {"organisation"}


def row_counts(app: Flask) -> dict[str, int]:
    """Rows per table: the same before and after the loops, as no request of theirs may write anything."""
    with app.app_context():
        return {
            t.name: db.session.scalar(sa.select(sa.func.count()).select_from(t))
            for t in db.metadata.sorted_tables
            if t.name not in SAVED_BY_AN_EMPTY_POST
        }


def bearer(app: Flask, email: str) -> dict[str, str]:
    """An Authorization header with a new token of the user (as tests/api/conftest.py makes them)."""
    with app.app_context():
        token = api_tokens.create_token(user_services.find_by_email(email), "access tests", actor=None)[1]
        db.session.commit()
    return {"Authorization": f"Bearer {token}"}


def call(client: FlaskClient, endpoint: str, method: str, path: str, *, csrf: str | None = None, headers=None):
    """One request as a browser or API client would make it; a crash is returned as the exception."""
    data = {"csrf_token": csrf} if method == "POST" and not is_api(endpoint) else None
    try:
        return client.open(path, method=method, data=data, headers=headers or {})
    except Exception as exc:  # TESTING propagates exceptions: what would be a 500
        return exc


# --- 1. the table covers the app, and nothing but the app ---------------------------------------------


@pytest.fixture(scope="module")
def bare_app() -> Flask:
    """The URL map does not depend on the database: built once, not per database."""
    return create_app({"SQLALCHEMY_DATABASE_URI": "sqlite://"})


def test_the_table_has_a_row_for_every_endpoint_and_method_and_no_other(bare_app):
    served = {
        (rule.endpoint, method)
        for rule in bare_app.url_map.iter_rules()
        for method in rule.methods - {"HEAD", "OPTIONS"}
    }
    without_row = sorted(served - ACCESS.keys())
    without_endpoint = sorted(ACCESS.keys() - served)
    assert not without_row and not without_endpoint, (
        f"endpoints with no row in ACCESS (add one with the least role they need): {without_row}; "
        f"rows in ACCESS with no such endpoint (remove them): {without_endpoint}"
    )


def test_each_sample_path_reaches_its_rows_endpoint(bare_app):
    adapter = bare_app.url_map.bind("localhost")
    wrong = []
    for (endpoint, method), (path, _) in ACCESS.items():
        try:
            reached = adapter.match(path, method=method)[0]
        except Exception as exc:
            reached = repr(exc)
        if reached != endpoint:
            wrong.append(f"{method} {path} reaches {reached}, not {endpoint}")
    assert not wrong, "\n".join(wrong)


# --- 2. each role is refused exactly where its role falls short ---------------------------------------


STAFF = [Role.VOLUNTEER, Role.WAREHOUSE, Role.COORDINATOR, Role.ADMIN]  # each includes those before it
ACT_FOR_RECIPIENTS = {Role.RECIPIENT, Role.COORDINATOR, Role.ADMIN}  # the recipient stands apart from the staff


def allowed(role: Role, least: Role | str) -> bool:
    if least in (PUBLIC, SIGNED_IN):
        return True
    if least is Role.RECIPIENT:
        return role in ACT_FOR_RECIPIENTS
    return role is not Role.RECIPIENT and STAFF.index(role) >= STAFF.index(least)


def check(response, endpoint: str, method: str, path: str, *, may: bool) -> str | None:
    """What is wrong with the answer to a user who may (or may not) call the row, or None."""
    where = f"{endpoint} {method} {path}"
    if isinstance(response, Exception):
        return f"{where}: raised {response!r}"
    status = response.status_code
    if status >= 500:
        return f"{where}: {status}"
    if status == 400 and CSRF_REFUSED in response.data:
        return f"{where}: refused for its CSRF token, so the role was never checked"
    if status == 401:
        return f"{where}: 401, the credentials were not taken"
    if may and status == 403:
        return f"{where}: 403, but the role includes the row's least role"
    if not may and status != 403:
        return f"{where}: {status}, expected 403"
    return None


@pytest.mark.parametrize("role", list(Role), ids=str)
def test_each_role_is_refused_exactly_the_rows_its_role_does_not_include(app, client, users, role):
    auth = AuthActions(client, users)
    assert auth.login(role).status_code == 302
    csrf = csrf_from(client.get("/", follow_redirects=True).get_data(as_text=True))
    token = bearer(app, users[role])
    before = row_counts(app)

    wrong = []
    for (endpoint, method), (path, least) in ACCESS.items():
        if (endpoint, method) == LOGOUT:
            continue  # last: it ends the session
        may = allowed(role, least)
        if is_api(endpoint):
            wrong.append(check(call(client, endpoint, method, path, headers=token), endpoint, method, path, may=may))
            if least != PUBLIC:  # the session cookie is no API credential
                response = call(client, endpoint, method, path)
                got = response if isinstance(response, Exception) else response.status_code
                if got != 401:
                    wrong.append(f"{endpoint} {method} {path} with a session and no token: {got!r}, expected 401")
        else:
            wrong.append(check(call(client, endpoint, method, path, csrf=csrf), endpoint, method, path, may=may))

    if row_counts(app) != before:
        wrong.append(f"a request wrote to the database: {before} became {row_counts(app)}")
    path, least = ACCESS[LOGOUT]
    wrong.append(check(call(client, *LOGOUT, path, csrf=csrf), *LOGOUT, path, may=allowed(role, least)))
    wrong = [w for w in wrong if w]
    assert not wrong, f"as {role}:\n" + "\n".join(wrong)


# --- 3. anonymous callers ------------------------------------------------------------------------------


def test_anonymous_callers_are_sent_to_sign_in_or_get_401_from_the_api(app, client):
    csrf = csrf_from(client.get("/auth/login").get_data(as_text=True))
    before = row_counts(app)
    wrong = []
    for (endpoint, method), (path, least) in ACCESS.items():
        response = call(client, endpoint, method, path, csrf=csrf)
        where = f"{endpoint} {method} {path}"
        if isinstance(response, Exception):
            wrong.append(f"{where}: raised {response!r}")
            continue
        status, location = response.status_code, response.headers.get("Location", "")
        if least == PUBLIC:
            if status >= 400 or location.startswith("/auth/login?"):
                wrong.append(f"{where}: {status} {location}, but the row is public")
        elif is_api(endpoint):
            if status != 401:
                wrong.append(f"{where}: {status}, expected 401")
        elif status != 302 or not location.startswith("/auth/login"):
            wrong.append(f"{where}: {status} {location!r}, expected 302 to /auth/login")
    if row_counts(app) != before:
        wrong.append(f"a request wrote to the database: {before} became {row_counts(app)}")
    assert not wrong, "\n".join(wrong)


# --- 4. every form of the web pages needs its CSRF token --------------------------------------------


def test_every_web_post_without_a_csrf_token_is_refused_and_changes_nothing(app, client, users):
    """Even for an admin, who may do everything: a POST with no token (or a wrong one) is a 400 before
    any view runs. A view exempted from CSRF, or the protection switched off, fails here."""
    auth = AuthActions(client, users)
    assert auth.login(Role.ADMIN).status_code == 302
    before = row_counts(app)
    wrong = []
    posts = [(e, m, p) for (e, m), (p, _) in ACCESS.items() if m == "POST" and not is_api(e)]
    assert len(posts) >= 29  # every web form in the table, sign-in and sign-out included
    for endpoint, _, path in posts:
        for data in ({}, {"csrf_token": "not-the-token"}):
            response = client.post(path, data=data)
            if response.status_code != 400 or CSRF_REFUSED not in response.data:
                wrong.append(f"{endpoint} {path} with {data or 'no token'}: {response.status_code}")
    assert row_counts(app) == before
    assert not wrong, "\n".join(wrong)
