"""Every error under /api/v1 is JSON with a code and a message people can act on; the pages keep theirs."""
from __future__ import annotations

import pytest

from books2iraq.auth.roles import Role
from books2iraq.sites import services as sites
from tests.api.conftest import error


def test_unknown_addresses_and_methods(api):
    assert error(api.get("/nothing-here")) == (404, "not_found", "There is nothing at this address.")
    assert error(api.get("/nothing-here", role=None))[:2] == (404, "not_found")
    response = api.call("DELETE", "/sites")
    assert error(response) == (405, "method_not_allowed", "/api/v1/sites does not take DELETE requests.")
    assert set(response.headers["Allow"].split(", ")) >= {"GET"}


def test_the_pages_keep_their_own_error_pages(client):
    response = client.get("/no-such-page")
    assert response.status_code == 404 and response.mimetype == "text/html"


@pytest.mark.parametrize("path", ["/lots/99999999999999999999", "/crates/B2I%00C", "/donations/%00"])
def test_addresses_no_record_can_have_are_not_found(api, path):
    assert error(api.get(path))[:2] == (404, "not_found")


@pytest.mark.parametrize(
    ("body", "message"),
    [
        (b"", "The request body is not valid JSON: EOF while parsing a value at line 1 column 0."),
        (b'{"site_id": ', "The request body is not valid JSON: EOF while parsing a value at line 1 column 12."),
        (b"[1]", "Some of the request body is not right: body."),
        (b'{"site_id": "1"}', "Some of the request body is not right: site_id."),
        (b'{"site_id": 1, "colour": "red"}', "Some of the request body is not right: colour."),
        (b'{"site_id": true}', "Some of the request body is not right: site_id."),
    ],
)
def test_bodies_that_are_not_the_right_shape(api, body, message):
    response = api.call("POST", "/crates", data=body, content_type="application/json")
    assert error(response) == (400, "invalid_request", message)


def test_each_field_that_is_not_right_is_named(api):
    response = api.post("/donations", {"site_id": 0, "lines": [{"quantity": "2", "isbn": "x", "description": "y"}], "x": 1})
    assert error(response)[:2] == (400, "invalid_request")
    assert sorted(response.get_json()["error"]["details"], key=lambda d: d["field"]) == [
        {"field": "lines.0.quantity", "message": "Must be a whole number."},
        {"field": "site_id", "message": "Must be 1 or more."},
        {"field": "x", "message": "Not a field of this call."},
    ]
    response = api.post("/donations", {"site_id": 1, "lines": [{"quantity": 2, "isbn": "x", "description": "y"}]})
    assert response.get_json()["error"]["details"] == [
        {"field": "lines.0", "message": "Give either an isbn (a scanned book) or a description (a counted bag)"}
    ]
    response = api.post("/donations", {"site_id": 1, "lines": [{"quantity": 2, "description": "a\x00b"}]})
    assert response.get_json()["error"]["details"] == [
        {"field": "lines.0.description", "message": "Text may not contain NUL characters"}
    ]


def test_query_parameters_are_checked(api):
    response = api.get("/lots?status=lost&colour=red")
    assert error(response)[:2] == (400, "invalid_request")
    assert [d["field"] for d in response.get_json()["error"]["details"]] == ["status", "colour"]


def test_a_server_error_tells_nothing_of_the_internals(app, api, monkeypatch):
    app.config["PROPAGATE_EXCEPTIONS"] = False

    def broken():
        raise RuntimeError("secret detail: password=hunter2")

    monkeypatch.setattr(sites, "all_sites", broken)
    response = api.get("/sites", role=Role.VOLUNTEER)
    status, code, message = error(response)
    assert (status, code) == (500, "server_error") and "nothing was saved" in message
    assert b"hunter2" not in response.data and b"RuntimeError" not in response.data


def test_what_is_not_right_is_said_in_the_language_asked_for(api):
    """The message and each field's problem: Sorani Kurdish here (the catalogue's words, written out)."""
    response = api.post("/donations", {"site_id": 0, "lines": [{"quantity": "2", "isbn": "x"}], "x": 1},
                        headers={"Accept-Language": "ckb"})
    body = response.get_json()["error"]
    assert body["message"] == "هەندێک لە ناوەڕۆکی داواکارییەکە دروست نییە: x, site_id, lines.0.quantity."
    assert sorted(body["details"], key=lambda d: d["field"]) == [
        {"field": "lines.0.quantity", "message": "دەبێت ژمارەیەکی تەواو بێت."},
        {"field": "site_id", "message": "دەبێت 1 یان زیاتر بێت."},
        {"field": "x", "message": "خانەیەکی ئەم داواکارییە نییە."},
    ]
