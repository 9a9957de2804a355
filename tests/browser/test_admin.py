"""Admin: create a user, who then signs in on another browser (a new context) with the role given."""
from __future__ import annotations

import re

import pytest
import sqlalchemy as sa

from books2iraq.auth.models import User
from books2iraq.auth.roles import Role
from tests.browser.helpers import ADMIN, expect, flash, in_db, nav, sign_in, unique

pytestmark = pytest.mark.browser


def test_admin_creates_a_user_who_signs_in(page, new_context, shots, db_app):
    uid = unique()
    email = f"nadia.{uid}@example.org"
    name = f"Nadia New {uid}"
    password = f"first-shift-{uid}"

    sign_in(page, ADMIN)
    nav(page, "Admin")
    page.get_by_role("link", name="Add a user").click()
    expect(page.get_by_role("heading", name="New user")).to_be_visible()
    page.get_by_label("E-mail").fill(email)
    page.get_by_label("Name").fill(name)
    page.get_by_label("Role").select_option("warehouse")
    page.get_by_label("Home site").select_option(label="Birmingham warehouse (Birmingham)")
    page.get_by_label("Initial password").fill(password)
    page.get_by_role("button", name="Create user").click()
    expect(flash(page)).to_have_text(f"{email} can now sign in as warehouse.")
    row = page.locator("tbody tr", has_text=email)
    expect(row.locator('[data-label="Role"]')).to_have_text("Warehouse")
    expect(row.locator('[data-label="Home site"]')).to_have_text("Birmingham warehouse")
    expect(row.locator('[data-label="Last sign-in"]')).to_have_text("never")

    with in_db(db_app) as session:
        user = session.scalar(sa.select(User).where(User.email == email))
        assert (user.name, user.role, user.active, user.site.name) == (name, Role.WAREHOUSE, True, "Birmingham warehouse")
        assert user.last_login_at is None
        assert password not in user.password_hash and user.check_password(password)

    # The new user, on another device: a browser context of their own, no cookies shared.
    theirs = shots.watch(new_context().new_page(), suffix="new-user")
    theirs.goto("/")
    expect(theirs).to_have_url(re.compile(r"/auth/login"))  # signed out: nothing carried over from the admin
    sign_in(theirs, email, password)
    expect(theirs.locator("header .who")).to_have_text(f"{name} · Warehouse")
    links = theirs.locator("nav.main-nav a")
    expect(links).to_have_text(["New donation", "Donations", "Sorting", "Titles", "Crates", "Pallets"])
    theirs.goto("/admin/")
    expect(theirs.get_by_role("heading", name="Not allowed")).to_be_visible()
    nav(theirs, "Crates")
    expect(theirs.get_by_role("heading", name="Crates")).to_be_visible()

    with in_db(db_app) as session:
        assert session.scalar(sa.select(User.last_login_at).where(User.email == email)) is not None

    # The admin's list now shows when they last signed in.
    page.reload()
    expect(page.locator("tbody tr", has_text=email).locator('[data-label="Last sign-in"]')).not_to_have_text("never")
