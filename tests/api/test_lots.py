"""Sorting through the API: accept or reject all or part of a lot, through the sorting service."""
from __future__ import annotations

import pytest
from sqlalchemy.orm.exc import StaleDataError

from books2iraq import audit
from books2iraq.auth.roles import Role
from books2iraq.extensions import db
from books2iraq.intake import lots
from books2iraq.intake import services as intake
from books2iraq.intake.models import Disposition, LotStatus, RejectReason
from books2iraq.sorting import services as sorting_services
from tests.api.conftest import error, row_counts
from tests.factories import SiteFactory, TitleFactory, UserFactory, sealed_crate


@pytest.fixture
def lot_ids(app) -> tuple[int, int]:
    """The two received lots of one donation: 12 catalogued copies, and a counted bag of 5."""
    with app.app_context():
        lines = [intake.LineInput(quantity=12, title=TitleFactory(title="Physics")), intake.LineInput(quantity=5, description="Mixed bag")]
        recorded = intake.record_donation(site=SiteFactory(), lines=lines, actor=UserFactory())
        db.session.commit()
        return recorded.lots[0].id, recorded.lots[1].id


def test_list_and_show_lots(api, lot_ids):
    catalogued, bag = lot_ids
    got = api.get("/lots?status=received", role=Role.WAREHOUSE).get_json()["lots"]
    assert [(lot["id"], lot["quantity"], lot["label"]) for lot in got] == [(catalogued, 12, "Physics"), (bag, 5, "Mixed bag")]
    assert api.get("/lots?status=accepted", role=Role.WAREHOUSE).get_json() == {
        "lots": [], "page": 1, "pages": 1, "total": 0, "limit": 100,
    }
    first, second = (api.get(f"/lots?limit=1&page={n}").get_json() for n in (1, 2))
    assert [lot["id"] for lot in first["lots"]] == [catalogued] and [lot["id"] for lot in second["lots"]] == [bag]
    assert {k: first[k] for k in ("page", "pages", "total", "limit")} == {"page": 1, "pages": 2, "total": 2, "limit": 1}
    assert api.get("/lots?limit=1&page=99").get_json()["page"] == 2  # past the end: the last page
    assert error(api.get("/lots?page=0"))[:2] == (400, "invalid_request")
    shown = api.get(f"/lots/{bag}", role=Role.WAREHOUSE).get_json()
    assert (shown["status"], shown["title"], shown["description"], shown["crate_code"]) == ("received", None, "Mixed bag", None)
    assert error(api.get("/lots/999999")) == (404, "not_found", "There is no lot 999999.")


def test_accept_part_of_a_lot(app, api, users, lot_ids):
    catalogued, _ = lot_ids
    response = api.post(f"/lots/{catalogued}/sort", {"action": "accept", "quantity": 10}, role=Role.WAREHOUSE)
    assert response.status_code == 200, response.get_json()
    piece = response.get_json()
    assert (piece["status"], piece["quantity"], piece["parent_id"]) == ("accepted", 10, catalogued)
    with app.app_context():
        assert lots.get(catalogued).quantity == 2 and lots.get(catalogued).status is LotStatus.RECEIVED
        [event] = audit.events_for(lots.get(piece["id"]))
        assert (event.action, event.actor.email) == ("lot.accepted", users[Role.WAREHOUSE])


def test_reject_a_whole_lot(app, api, lot_ids):
    _, bag = lot_ids
    body = {"action": "reject", "reason": "water_damaged", "disposition": "recycle", "note": "soaked"}
    piece = api.post(f"/lots/{bag}/sort", body).get_json()
    assert (piece["id"], piece["status"], piece["reject_reason"], piece["disposition"], piece["reject_note"]) == (
        bag, "rejected", "water_damaged", "recycle", "soaked"
    )
    with app.app_context():
        lot = lots.get(bag)
        assert (lot.reject_reason, lot.disposition) == (RejectReason.WATER_DAMAGED, Disposition.RECYCLE)


@pytest.mark.parametrize(
    ("which", "body", "status", "message"),
    [
        (1, {"action": "accept"}, 422, "Lot {bag} is not catalogued yet; say which title it is before accepting it."),
        (0, {"action": "accept", "quantity": 13}, 422, "Lot {catalogued} has only 12 copies; you asked for 13."),
        (0, {"action": "reject", "reason": "other", "disposition": "discard"}, 422, "Say why the copies are rejected when the reason is “other”."),
    ],
)
def test_refused_sorting_writes_nothing(app, api, lot_ids, which, body, status, message):
    catalogued, bag = lot_ids
    before = row_counts(app)
    response = api.post(f"/lots/{lot_ids[which]}/sort", body)
    assert error(response) == (status, "refused", message.format(catalogued=catalogued, bag=bag))
    assert row_counts(app) == before


def test_a_lot_in_the_wrong_state_is_a_conflict(api, lot_ids):
    _, bag = lot_ids
    api.post(f"/lots/{bag}/sort", {"action": "reject", "reason": "mould", "disposition": "discard"})
    response = api.post(f"/lots/{bag}/sort", {"action": "reject", "reason": "mould", "disposition": "discard"})
    assert error(response) == (409, "conflict", f"Lot {bag} is rejected; it cannot be rejected now.")


def test_the_body_names_what_a_rejection_lacks(api, lot_ids):
    response = api.post(f"/lots/{lot_ids[0]}/sort", {"action": "reject", "quantity": 1})
    assert error(response)[:2] == (400, "invalid_request")
    assert sorted(d["field"] for d in response.get_json()["error"]["details"]) == ["reject.disposition", "reject.reason"]
    response = api.post(f"/lots/{lot_ids[0]}/sort", {"action": "keep"})
    assert [d["field"] for d in response.get_json()["error"]["details"]] == ["body"]


def test_a_lot_changed_by_someone_else_meanwhile_is_a_conflict(app, api, lot_ids, monkeypatch):
    def concurrent(*args, **kwargs):
        raise StaleDataError("UPDATE statement on table 'lots' expected to update 1 row(s); 0 were matched.")

    monkeypatch.setattr(sorting_services, "accept", concurrent)
    response = api.post(f"/lots/{lot_ids[0]}/sort", {"action": "accept"})
    assert error(response) == (409, "conflict", "Someone else changed this at the same moment; nothing was saved. Look again, then retry.")
    assert b"UPDATE" not in response.data


def test_accepting_a_packed_lot_is_a_conflict(app, api):
    """Packed copies are in a crate; only received lots can be accepted (found by the fuzz test)."""
    with app.app_context():
        packed = sealed_crate(4).lots[0]
        db.session.commit()
        lot_id = packed.id
    before = row_counts(app)
    response = api.post(f"/lots/{lot_id}/sort", {"action": "accept", "quantity": 2})
    assert error(response) == (409, "conflict", f"Lot {lot_id} is packed; only received lots can be accepted.")
    assert row_counts(app) == before
