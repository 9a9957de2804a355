"""Two people packing the same lot at the same moment never pack a copy twice."""
from __future__ import annotations

import threading

import sqlalchemy as sa
from sqlalchemy.orm.exc import StaleDataError

from books2iraq.auth.models import User
from books2iraq.auth.roles import Role
from books2iraq.crating import services as crating
from books2iraq.crating.models import Crate
from books2iraq.errors import DomainError
from books2iraq.extensions import db
from books2iraq.intake.models import Lot, LotStatus
from books2iraq.reports.accounting import donation_accounts
from tests.factories import UserFactory, WarehouseFactory, accepted_lot


def test_concurrent_packing_of_one_lot_packs_it_once(app):
    with app.app_context():
        packer = UserFactory(role=Role.WAREHOUSE)
        lot = accepted_lot(10, actor=packer)
        warehouse = WarehouseFactory()
        crates = [crating.open_crate(site=warehouse, actor=packer) for _ in range(2)]
        db.session.commit()
        ids = {"lot": lot.id, "user": packer.id, "crates": [c.id for c in crates], "version": lot.version}

    # PostgreSQL: both transactions read the lot before either writes, the real race.
    # SQLite: a transaction takes the write lock when it begins, so the second one starts only
    # after the first has committed, and finds too few copies left.
    sqlite = app.config["SQLALCHEMY_DATABASE_URI"].startswith("sqlite")
    together = threading.Barrier(2, timeout=20)
    outcomes: list[str] = []

    def pack_into(crate_id: int, quantity: int) -> None:
        # Each thread has its own app context, so its own session and database connection.
        with app.app_context():
            if sqlite:
                together.wait()
            lot = db.session.get(Lot, ids["lot"])
            crate = db.session.get(Crate, crate_id)
            actor = db.session.get(User, ids["user"])
            if not sqlite:
                assert lot.version == ids["version"]
                together.wait()
            try:
                crating.pack(lot, crate, quantity=quantity, actor=actor)
                db.session.commit()
                outcomes.append("packed")
            except (StaleDataError, DomainError):
                db.session.rollback()
                outcomes.append("refused")
            finally:
                db.session.remove()

    threads = [threading.Thread(target=pack_into, args=(crate_id, 7)) for crate_id in ids["crates"]]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)

    assert sorted(outcomes) == ["packed", "refused"]
    with app.app_context():
        packed = db.session.scalar(sa.select(sa.func.sum(Lot.quantity)).where(Lot.status == LotStatus.PACKED))
        waiting = db.session.scalar(sa.select(sa.func.sum(Lot.quantity)).where(Lot.status == LotStatus.ACCEPTED))
        assert (packed, waiting) == (7, 3)
        assert all(account.balanced for account in donation_accounts())


def test_the_loser_of_a_race_is_told_to_look_again(client, auth, app, users):
    """post_form() turns a concurrent change into a message instead of a server error."""
    from books2iraq.web import ActionForm, post_form

    def stale():
        raise StaleDataError("UPDATE statement on table 'lots' expected to update 1 row(s); 0 were matched.")

    with app.test_request_context("/", method="POST", data={}):
        app.config["WTF_CSRF_ENABLED"] = False
        assert post_form(ActionForm(), stale, "never") is None
        from flask import get_flashed_messages

        assert "Someone else changed the same books at the same moment" in get_flashed_messages()[0]
