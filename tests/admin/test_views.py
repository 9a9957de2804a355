from __future__ import annotations

import pytest
import sqlalchemy as sa

from books2iraq.admin.models import Organisation
from books2iraq.audit import AuditEvent
from books2iraq.auth.models import User
from books2iraq.auth.roles import Role
from books2iraq.extensions import db
from books2iraq.sites.models import Site, SiteKind
from tests.conftest import PASSWORD, answer_yes, csrf_from
from tests.factories import SiteFactory

FORM_PAGES = [
    "/admin/users/new",
    "/admin/users/{user}",
    "/admin/users/{user}/password",
    "/admin/sites/new",
    "/admin/sites/{site}",
    "/admin/organisation",
]
ACTIONS = [
    ("/admin/users/{user}/deactivate", 422),  # asked first: nothing done without confirm=1
    ("/admin/users/{user}/reactivate", 302),
    ("/admin/sites/{site}/deactivate", 302),
    ("/admin/sites/{site}/reactivate", 302),
]
# (method, URL, what an admin gets): pages show, forms with a blank name are refused, actions redirect
# (or ask first).
REQUESTS = (
    [("GET", url, 200) for url in ["/admin/", "/admin/users", "/admin/sites", *FORM_PAGES]]
    + [("POST", url, 400) for url in FORM_PAGES]
    + [("POST", url, status) for url, status in ACTIONS]
)


@pytest.fixture
def ids(app, users) -> dict[str, int]:
    """The volunteer's id and a site's id, for the URLs that name one."""
    with app.app_context():
        site = SiteFactory()
        db.session.commit()
        volunteer, admin = user_by_email(users[Role.VOLUNTEER]), user_by_email(users[Role.ADMIN])
        return {"user": volunteer.id, "admin": admin.id, "site": site.id}


def user_by_email(email: str) -> User:
    return db.session.scalar(sa.select(User).where(User.email == email))


def actions(app, subject_type: str | None = None) -> list[tuple[str, str | None]]:
    """(action, actor's e-mail) of every audit event, except sign-ins and sign-outs."""
    with app.app_context():
        stmt = sa.select(AuditEvent).where(AuditEvent.action.not_in(["user.logged_in", "user.logged_out"]))
        if subject_type:
            stmt = stmt.where(AuditEvent.subject_type == subject_type)
        events = db.session.scalars(stmt.order_by(AuditEvent.id))
        return [(e.action, e.actor.email if e.actor else None) for e in events]


def sign_in(client, email: str, password: str):
    token = csrf_from(client.get("/auth/login").get_data(as_text=True))
    return client.post("/auth/login", data={"email": email, "password": password, "csrf_token": token})


@pytest.mark.parametrize(("method", "url", "admin_status"), REQUESTS)
@pytest.mark.parametrize("role", [*Role, None], ids=[*(r.value for r in Role), "anonymous"])
def test_only_admins_reach_the_admin_pages(app, client, auth, ids, role, method, url, admin_status):
    url = url.format(**ids)
    if role is not None:
        auth.login(role)
    if method == "GET":
        response = client.get(url)
    else:  # a hand-made request: only an admin has these forms, and none offers reactivating an active record
        response = auth.post_without_form(url, {"name": ""})
    if role is None:
        assert response.status_code == 302 and response.headers["Location"].startswith("/auth/login?next=")
    else:
        assert response.status_code == (admin_status if role == Role.ADMIN else 403)
    if role != Role.ADMIN:
        assert actions(app) == []


def test_the_admin_index_links_to_users_sites_and_organisation(client, auth):
    auth.login(Role.ADMIN)
    html = client.get("/admin/").get_data(as_text=True)
    for href in ("/admin/users", "/admin/sites", "/admin/organisation"):
        assert f'href="{href}"' in html
    assert 'href="/admin/"' in client.get("/").get_data(as_text=True)  # the navigation offers it


def test_admin_posts_without_a_csrf_token_are_refused_and_change_nothing(app, client, auth, ids, users):
    auth.login(Role.ADMIN)
    new_user = {"email": "x@example.org", "name": "X", "role": "admin", "site_id": "0", "password": "long enough pw"}
    assert client.post("/admin/users/new", data=new_user).status_code == 400
    assert client.post(f"/admin/users/{ids['user']}/deactivate").status_code == 400
    assert client.post("/admin/organisation", data={"name": "Hijacked"}).status_code == 400
    with app.app_context():
        assert user_by_email("x@example.org") is None
        assert user_by_email(users[Role.VOLUNTEER]).active
        assert db.session.get(Organisation, 1) is None
    assert actions(app) == []


def test_admin_creates_a_user_who_can_then_sign_in_with_that_password(app, client, auth, ids):
    auth.login(Role.ADMIN)
    form = {"email": " New.Person@Example.org ", "name": "Nour Ali", "role": "warehouse", "site_id": ids["site"],
            "password": "a fresh password"}
    response = auth.post("/admin/users/new", form)
    assert response.status_code == 302 and response.headers["Location"] == "/admin/users"
    listing = client.get("/admin/users").get_data(as_text=True)
    assert "new.person@example.org can now sign in as warehouse." in listing
    assert "Nour Ali" in listing
    with app.app_context():
        user = user_by_email("new.person@example.org")
        assert (user.name, user.role, user.site_id, user.active) == ("Nour Ali", Role.WAREHOUSE, ids["site"], True)
    assert actions(app) == [("user.created", "admin@test.example")]

    auth.logout()
    assert sign_in(client, "new.person@example.org", "a fresh password").headers["Location"] == "/"
    assert "Nour Ali · Warehouse" in client.get("/").get_data(as_text=True)


def test_an_invalid_new_user_form_shows_its_errors_and_writes_nothing(app, client, auth):
    auth.login(Role.ADMIN)
    with app.app_context():
        before = db.session.scalar(sa.select(sa.func.count()).select_from(User))
    form = {"email": "not-an-address", "name": "", "role": "emperor", "password": "short"}
    response = auth.post("/admin/users/new", form)
    assert response.status_code == 400
    html = response.get_data(as_text=True)
    assert html.count('class="field-error"') >= 4
    assert "Invalid email address." in html and "Use 12 to 256 characters." in html
    assert 'value="not-an-address"' in html  # what was typed comes back
    with app.app_context():
        assert db.session.scalar(sa.select(sa.func.count()).select_from(User)) == before
    assert actions(app) == []


def test_a_taken_e_mail_address_is_refused_with_the_services_message(app, auth, users):
    auth.login(Role.ADMIN)
    form = {"email": users[Role.VOLUNTEER].upper(), "name": "Twin", "role": "volunteer", "site_id": "0",
            "password": "long enough pw"}
    response = auth.post("/admin/users/new", form)
    assert response.status_code == 422
    assert "already exists" in response.get_data(as_text=True)
    assert actions(app) == []


def test_admin_changes_a_users_role_and_home_site(app, client, auth, ids):
    auth.login(Role.ADMIN)
    url = f"/admin/users/{ids['user']}"
    response = auth.post(url, {"name": "Vera Volunteer", "role": "coordinator", "site_id": ids["site"]})
    assert response.status_code == 302
    with app.app_context():
        user = db.session.get(User, ids["user"])
        assert (user.name, user.role, user.site_id) == ("Vera Volunteer", Role.COORDINATOR, ids["site"])
    assert actions(app) == [("user.role_changed", "admin@test.example"), ("user.updated", "admin@test.example")]
    assert "Coordinator" in client.get("/admin/users").get_data(as_text=True)


def test_a_user_whose_home_site_has_closed_can_still_be_edited(app, auth, ids):
    with app.app_context():
        user = db.session.get(User, ids["user"])
        user.site_id = ids["site"]
        db.session.get(Site, ids["site"]).active = False
        db.session.commit()
    auth.login(Role.ADMIN)
    form = {"name": "Renamed", "role": "volunteer", "site_id": ids["site"]}
    response = auth.post(f"/admin/users/{ids['user']}", form)
    assert response.status_code == 302
    with app.app_context():
        assert db.session.get(User, ids["user"]).name == "Renamed"


def test_a_deactivated_user_can_no_longer_sign_in_until_reactivated(app, client, auth, ids, users):
    auth.login(Role.ADMIN)
    page = f"/admin/users/{ids['user']}"
    question = auth.post(f"{page}/deactivate", page=page)
    assert question.status_code == 422
    with app.app_context():
        name = db.session.get(User, ids["user"]).name
    assert f"Deactivate {name} ({users[Role.VOLUNTEER]})?" in question.get_data(as_text=True)
    assert "They are signed out on every device at once and can no longer sign in" in question.get_data(as_text=True)
    with app.app_context():
        assert db.session.get(User, ids["user"]).active is True
    assert actions(app, "User") == []
    response = answer_yes(client, question, follow_redirects=True)
    assert f"{users[Role.VOLUNTEER]} deactivated." in response.get_data(as_text=True)
    assert "Reactivate" in response.get_data(as_text=True)
    with app.app_context():
        assert db.session.get(User, ids["user"]).active is False
    assert actions(app, "User") == [("user.deactivated", "admin@test.example")]
    auth.logout()
    assert sign_in(client, users[Role.VOLUNTEER], PASSWORD).status_code == 401

    auth.login(Role.ADMIN)
    auth.post(f"{page}/reactivate", page=page)
    auth.logout()
    assert sign_in(client, users[Role.VOLUNTEER], PASSWORD).status_code == 302
    assert actions(app, "User")[-1] == ("user.reactivated", "admin@test.example")


def test_an_admin_cannot_deactivate_or_demote_themself(app, auth, ids):
    auth.login(Role.ADMIN)
    page = f"/admin/users/{ids['admin']}"
    response = auth.post(f"{page}/deactivate", page=page, follow_redirects=True)
    assert "You cannot deactivate your own account; ask another admin" in response.get_data(as_text=True)
    response = auth.post(page, {"name": "Admin", "role": "coordinator", "site_id": "0"})
    assert response.status_code == 422
    assert "You cannot change your own role" in response.get_data(as_text=True)
    with app.app_context():
        admin = db.session.get(User, ids["admin"])
        assert admin.active and admin.role == Role.ADMIN
    assert actions(app) == []


def test_admin_resets_a_password(app, client, auth, ids, users):
    auth.login(Role.ADMIN)
    url = f"/admin/users/{ids['user']}/password"
    mismatch = auth.post(url, {"password": "brand new password", "confirm": "something else"})
    assert mismatch.status_code == 400 and "The two passwords differ." in mismatch.get_data(as_text=True)
    assert actions(app) == []
    response = auth.post(url, {"password": "brand new password", "confirm": "brand new password"})
    assert response.status_code == 302 and response.headers["Location"] == f"/admin/users/{ids['user']}"
    assert actions(app) == [("user.password_reset", "admin@test.example")]
    auth.logout()
    assert sign_in(client, users[Role.VOLUNTEER], PASSWORD).status_code == 401
    assert sign_in(client, users[Role.VOLUNTEER], "brand new password").status_code == 302


def test_admin_adds_edits_and_closes_a_site(app, client, auth):
    auth.login(Role.ADMIN)
    form = {"name": "Mosul drop-off", "kind": "drop_off", "city": "Manchester", "address": "1 High St\r\nManchester"}
    response = auth.post("/admin/sites/new", form)
    assert response.status_code == 302 and response.headers["Location"] == "/admin/sites"
    listing = client.get("/admin/sites").get_data(as_text=True)
    assert "Site Mosul drop-off added." in listing and "Drop-off point" in listing
    with app.app_context():
        site = db.session.scalar(sa.select(Site).where(Site.name == "Mosul drop-off"))
        assert (site.kind, site.city, site.address) == (SiteKind.DROP_OFF, "Manchester", "1 High St\nManchester")
        page = f"/admin/sites/{site.id}"

    assert auth.post(page, {**form, "kind": "warehouse"}).status_code == 302
    assert auth.post(f"{page}/deactivate", page=page).status_code == 302
    with app.app_context():
        site = db.session.get(Site, site.id)
        assert (site.kind, site.active) == (SiteKind.WAREHOUSE, False)
    assert actions(app) == [
        ("site.created", "admin@test.example"),
        ("site.updated", "admin@test.example"),
        ("site.deactivated", "admin@test.example"),
    ]
    assert "Closed" in client.get("/admin/sites").get_data(as_text=True)
    assert "Mosul drop-off" not in client.get("/admin/users/new").get_data(as_text=True)  # not offered any more

    duplicate = auth.post("/admin/sites/new", form)
    assert duplicate.status_code == 422
    assert "A site called “Mosul drop-off” already exists." in duplicate.get_data(as_text=True)


def test_admin_edits_the_organisation_details_and_sees_them(app, client, auth):
    auth.login(Role.ADMIN)
    before = client.get("/admin/organisation").get_data(as_text=True)
    assert 'value="books2iraq"' in before and "Not saved yet" in before
    form = {
        "name": "<b>Fish & Chips",
        "address": "12 Paper Lane\r\nLondon N1 9XX",
        "country": "United Kingdom",
        "phone": "+44 20 7946 0000",
        "email": "Office@Books.example",
        "website": "https://books.example",
        "registration_number": "1234567",
        "eori_number": "gb 1234 5678 9000",
        "signatory_name": "Layla Hassan",
        "signatory_title": "Shipping coordinator",
        "receipt_thanks": "Shukran!",
    }
    response = auth.post("/admin/organisation", form, follow_redirects=True)
    html = response.get_data(as_text=True)
    assert "Organisation details saved" in html
    assert "&lt;b&gt;Fish &amp; Chips" in html and "<b>Fish" not in html
    for shown in ("12 Paper Lane\nLondon N1 9XX", 'value="GB123456789000"', 'value="office@books.example"', "Layla"):
        assert shown in html
    assert "Not saved yet" not in html
    with app.app_context():
        organisation = db.session.get(Organisation, 1)
        assert (organisation.name, organisation.eori_number, organisation.receipt_thanks) == (
            "<b>Fish & Chips", "GB123456789000", "Shukran!")
    assert actions(app) == [("organisation.updated", "admin@test.example")]


def test_organisation_details_are_refused_when_malformed(app, auth):
    auth.login(Role.ADMIN)
    bad_form = auth.post("/admin/organisation", {"name": "B2I", "email": "nope"})
    assert bad_form.status_code == 400
    assert "Invalid email address." in bad_form.get_data(as_text=True)
    bad_eori = auth.post("/admin/organisation", {"name": "B2I", "eori_number": "12345"})
    assert bad_eori.status_code == 422
    assert "“12345” is not an EORI number" in bad_eori.get_data(as_text=True)
    with app.app_context():
        assert db.session.get(Organisation, 1) is None
    assert actions(app) == []


@pytest.mark.parametrize("url", ["/admin/users/999", "/admin/users/999/password", "/admin/sites/999"])
def test_unknown_users_and_sites_are_not_found(client, auth, url):
    auth.login(Role.ADMIN)
    assert client.get(url).status_code == 404


def test_the_header_carries_the_name_the_admin_gave_the_organisation(app, client, auth):
    auth.login(Role.ADMIN)
    assert ">books2iraq</a>" in client.get("/").get_data(as_text=True)  # B2I_ORGANISATION_NAME's default
    with app.app_context():
        from books2iraq.admin.services import update_organisation

        update_organisation(actor=None, name="Books to Iraq Trust")
        db.session.commit()
    page = client.get("/").get_data(as_text=True)
    assert '<a class="brand" href="/">Books to Iraq Trust</a>' in page and "· Books to Iraq Trust</title>" in page
