"""The same donation sent twice at the same moment (a double tap, a retried API call) is recorded once."""
from __future__ import annotations

import threading
import time
from datetime import date

import sqlalchemy as sa

from books2iraq.auth.models import User
from books2iraq.auth.roles import Role
from books2iraq.extensions import db
from books2iraq.intake import services as intake
from books2iraq.intake.models import Donation, Lot
from books2iraq.sites.models import Site
from tests.factories import SiteFactory, UserFactory


def test_one_submission_sent_twice_at_the_same_moment_records_one_donation(app):
    with app.app_context():
        ids = {"site": SiteFactory().id, "user": UserFactory(role=Role.VOLUNTEER).id}
        db.session.commit()

    first_flushed = threading.Event()
    outcomes: dict[str, tuple[str, bool]] = {}
    errors: list[BaseException] = []

    def submit(name: str) -> None:
        # Each thread has its own app context, so its own session and database connection.
        try:
            with app.app_context():
                donation, created = intake.submit_donation(
                    site=db.session.get(Site, ids["site"]),
                    actor=db.session.get(User, ids["user"]),
                    lines=[intake.LineInput(quantity=4, description="bag of novels")],
                    donor=intake.DonorInput(name="Layla"),
                    submission_key="tap-tap",
                )
                if name == "first":
                    # Hold the key uncommitted while the second request runs into it. PostgreSQL: the
                    # second one found no donation and waits on the unique key; SQLite: it waits for
                    # the write lock before it looks.
                    first_flushed.set()
                    time.sleep(0.5)
                db.session.commit()
                outcomes[name] = (donation.ref, created)
        except BaseException as exc:
            errors.append(exc)
            first_flushed.set()

    first = threading.Thread(target=submit, args=("first",))
    first.start()
    assert first_flushed.wait(20)
    second = threading.Thread(target=submit, args=("second",))
    second.start()
    first.join(30)
    second.join(30)

    assert errors == []
    ref = f"D-{date.today().year}-000001"
    assert outcomes == {"first": (ref, True), "second": (ref, False)}
    with app.app_context():
        counts = [db.session.scalar(sa.select(sa.func.count()).select_from(model)) for model in (Donation, Lot)]
        donors = db.session.scalar(sa.text("SELECT count(*) FROM donors"))
    assert counts == [1, 1] and donors == 1
