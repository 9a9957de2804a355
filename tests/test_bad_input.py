"""Input that no record can hold gets a clear 4xx on every page and API call, on both databases."""
from __future__ import annotations

import io

import pytest
import sqlalchemy as sa

from books2iraq.auth.roles import Role
from books2iraq.extensions import db
from books2iraq.intake.models import Donation, Donor
from tests.conftest import csrf_from
from tests.factories import SiteFactory

BEYOND_AN_INTEGER = 2**31  # one more than the largest id a database integer column holds


def addresses_of_nothing(app) -> list[tuple[str, str]]:
    """(method, url) for every route with an argument: ids beyond an integer, text with a NUL in it."""
    found = []
    for rule in app.url_map.iter_rules():
        if rule.endpoint == "static" or not any(not getattr(c, "items", None) for c in rule._converters.values()):
            continue  # no argument that names a record
        values = dict(rule.defaults or {})
        for name in rule.arguments - values.keys():
            converter = rule._converters[name]
            if getattr(converter, "items", None):  # any(…): one of a few fixed words, never a record
                values[name] = sorted(converter.items)[0]
            else:
                values[name] = BEYOND_AN_INTEGER if type(converter).__name__ == "IntegerConverter" else "B2I\x00X"
        for method in sorted(rule.methods - {"HEAD", "OPTIONS"}):
            found.append((method, rule.build(values)[1]))
    return found


def test_every_address_that_no_record_can_have_is_a_404_not_a_server_error(app, client, auth):
    auth.login(Role.ADMIN)
    token = csrf_from(client.get("/").get_data(as_text=True))
    addresses = addresses_of_nothing(app)
    assert len(addresses) > 40
    wrong = []
    for method, url in addresses:
        response = client.open(url, method=method, data={"csrf_token": token} if method == "POST" else None)
        if response.status_code != 404:
            wrong.append(f"{method} {url}: {response.status_code}")
    assert not wrong, "\n".join(wrong)


def post_a_bag(client, auth, site_id: int, **fields: str):
    """A volunteer's intake form with one counted bag and `fields`, as the browser sends it."""
    auth.login(Role.VOLUNTEER)
    page = client.get("/intake/new").get_data(as_text=True)
    data = {"csrf_token": csrf_from(page), "site": site_id, "received_on": "2026-11-02", "condition": "good",
            "bags-0-description": "Novels", "bags-0-count": "3", "donor_kind": "individual", **fields}
    return client.post("/intake/new", data=data)


def test_control_characters_in_a_form_are_refused_and_nothing_is_saved(app, client, auth):
    with app.app_context():
        site_id = SiteFactory().id
        db.session.commit()
    response = post_a_bag(client, auth, site_id, donor_name="Lay\x00la", note="ok\x1b[31m")
    text = response.get_data(as_text=True)
    assert response.status_code == 400
    assert "These fields hold characters that cannot be stored (control characters): donor_name, note." in text
    with app.app_context():
        assert [db.session.scalar(sa.select(sa.func.count()).select_from(m)) for m in (Donation, Donor)] == [0, 0]


@pytest.mark.parametrize("url", ["/intake/donations?site=1%00", "/api/v1/donations?site_id=%07"])
def test_control_characters_in_a_query_string_are_refused(client, auth, url):
    auth.login(Role.VOLUNTEER)
    assert client.get(url).status_code == 400


def test_tabs_and_new_lines_are_ordinary_text(app, client, auth):
    with app.app_context():
        site_id = SiteFactory().id
        db.session.commit()
    response = post_a_bag(client, auth, site_id, note="two\r\nlines\tand a tab")
    assert response.status_code == 302
    with app.app_context():
        assert db.session.scalar(sa.select(Donation.note)) == "two\r\nlines\tand a tab"


def test_a_form_that_takes_a_file_may_carry_it_and_no_more(app, client, auth):
    """A sheet of 3 MB passes the CSRF check (which reads the form) and reaches its page; 6 MB does not."""
    auth.login(Role.VOLUNTEER)
    page = auth.open("/imports/donation")
    sheet = b"isbn,copies,title\n" + (b"9780306406157,1," + b"x" * 1500 + b"\n") * 2_000  # 3 MB
    assert page.post("/imports/donation", {"file": (io.BytesIO(sheet), "big.csv")},
                     content_type="multipart/form-data").status_code == 302
    too_big = page.post("/imports/donation", {"file": (io.BytesIO(sheet * 2), "bigger.csv")},
                        content_type="multipart/form-data")
    assert too_big.status_code == 413 and "more than this form can send (5 MB)" in too_big.get_data(as_text=True)


def test_a_request_larger_than_a_megabyte_is_refused_before_it_is_read(app, client, auth):
    auth.login(Role.VOLUNTEER)
    big = "9780306406157\n" * 80_000  # 1.1 MB of scans
    page = client.post("/intake/new", data={"csrf_token": "x", "scans": big})
    assert page.status_code == 413 and "more than this form can send (1 MB)" in page.get_data(as_text=True)
    with app.app_context():
        from books2iraq.auth import services as users
        from books2iraq.auth import tokens
        from tests.api.conftest import error

        _, token = tokens.create_token(users.find_by_email(auth.users[Role.VOLUNTEER]), "big", actor=None)
        db.session.commit()
    body = '{"site_id": 1, "lines": [' + ",".join(['{"description": "bag", "quantity": 1}'] * 40_000) + "]}"
    answer = client.post("/api/v1/donations", data=body, content_type="application/json",
                         headers={"Authorization": f"Bearer {token}"})
    assert error(answer) == (413, "too_large", "The request body is more than 1 MB: split it into several calls.")
    in_arabic = client.post("/api/v1/donations", data=body, content_type="application/json",
                            headers={"Authorization": f"Bearer {token}", "Accept-Language": "ar"})
    assert error(in_arabic) == (413, "too_large", "يتجاوز متن الطلب ١ ميغابايت: قسّمه على عدة طلبات.")
    with app.app_context():
        assert db.session.scalar(sa.select(sa.func.count()).select_from(Donation)) == 0


def test_a_refused_action_answers_json_to_a_script_that_asks_for_it(app, client, auth):
    from tests.factories import accepted_lot, donation

    with app.app_context():
        bag = donation(4).lots[0]
        bag.title_id, bag.description = None, "a bag"
        packed = accepted_lot(2)
        db.session.commit()
        bag_id, packed_id = bag.id, packed.id
    auth.login(Role.WAREHOUSE)
    token = csrf_from(client.get("/").get_data(as_text=True))
    as_json = {"Accept": "application/json"}

    refused = client.post(f"/sorting/lots/{bag_id}/accept", data={"csrf_token": token}, headers=as_json)
    assert refused.status_code == 422 and refused.get_json() == {
        "error": {"code": "refused", "message": f"Lot {bag_id} is not catalogued yet; say which title it is before accepting it."}
    }
    client.post(f"/sorting/lots/{packed_id}/reject", data={"csrf_token": token, "reason": "mould", "disposition": "recycle"})
    conflict = client.post(f"/sorting/lots/{packed_id}/accept", data={"csrf_token": token}, headers=as_json)
    assert conflict.status_code == 409 and conflict.get_json()["error"]["code"] == "conflict"
    invalid = client.post(f"/sorting/lots/{bag_id}/correct", data={"csrf_token": token, "counted": "many"}, headers=as_json)
    assert invalid.status_code == 400
    assert {d["field"] for d in invalid.get_json()["error"]["details"]} == {"counted", "reason"}
    # A browser still goes back to the page, with the message shown there.
    page = client.post(f"/sorting/lots/{bag_id}/accept", data={"csrf_token": token})
    assert page.status_code == 302
