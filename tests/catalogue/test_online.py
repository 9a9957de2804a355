"""New ISBNs looked up online, after the scan's transaction and never inside it, against a local server
that plays back Open Library's recorded answers, and its failures: no answer in time, garbage, an
error, an ISBN it does not know. Nothing here reaches the internet."""
from __future__ import annotations

import json
import threading
import time
from collections.abc import Iterator
from datetime import timedelta
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest
import sqlalchemy as sa
from stdnum import ean

from books2iraq.audit import events_for
from books2iraq.auth.roles import Role
from books2iraq.catalogue import online
from books2iraq.catalogue.models import CatalogueLookup, CatalogueRecord, LookupOutcome
from books2iraq.db import utcnow
from books2iraq.extensions import db
from books2iraq.intake import services as intake
from books2iraq.intake import titles
from books2iraq.intake.models import DataSource, ReadingLevel, Title
from tests.factories import SiteFactory, UserFactory

RECORDED = Path(__file__).parent / "recorded"
FOX, BAGHDAD = "9780140328721", "9789922620589"


def isbn(body: str) -> str:
    return body + ean.calc_check_digit(body)


UNKNOWN, SLOW, GARBAGE, BROKEN, NO_TITLE = (isbn(f"97819{n}000000") for n in range(5))


class Recorded(BaseHTTPRequestHandler):
    """Open Library as recorded: /isbn/ redirects to the edition's record, as the real one does."""

    requests: list[str] = []

    def do_GET(self) -> None:
        Recorded.requests.append(self.path)
        if self.path == f"/isbn/{FOX}.json":
            self._answer(302, b"", location="/books/OL7353617M.json")
        elif self.path in ("/books/OL7353617M.json", "/authors/OL34184A.json"):
            self._answer(200, (RECORDED / self.path.rpartition("/")[2]).read_bytes())
        elif self.path == f"/isbn/{BAGHDAD}.json":
            self._answer(200, (RECORDED / "OL26242482M.json").read_bytes())
        elif self.path == f"/isbn/{SLOW}.json":
            time.sleep(1.5)
            self._answer(200, b"{}")
        elif self.path == f"/isbn/{GARBAGE}.json":
            self._answer(200, b"<html><body>Service Temporarily Unavailable</body></html>")
        elif self.path == f"/isbn/{BROKEN}.json":
            self._answer(503, b"busy")
        elif self.path == f"/isbn/{NO_TITLE}.json":
            self._answer(200, json.dumps({"isbn_13": [NO_TITLE], "publishers": ["Nobody"]}).encode())
        else:
            self._answer(404, b'{"error": "notfound"}')

    def _answer(self, status: int, body: bytes, location: str | None = None) -> None:
        self.send_response(status)
        if location:
            self.send_header("Location", location)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, *args: object) -> None:
        pass


@pytest.fixture
def open_library(app) -> Iterator[list[str]]:
    """Lookups switched on, against the recorded server; the paths it was asked for."""
    server = ThreadingHTTPServer(("127.0.0.1", 0), Recorded)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    app.config.update(CATALOGUE_LOOKUP="openlibrary", CATALOGUE_LOOKUP_URL=f"http://127.0.0.1:{server.server_port}",
                      CATALOGUE_LOOKUP_TIMEOUT=0.5)
    Recorded.requests = []
    yield Recorded.requests
    server.shutdown()
    server.server_close()


def scan(app, *isbns: str) -> None:
    """A donation of these ISBNs recorded and committed, in a request's own session."""
    with app.app_context():
        volunteer = UserFactory(role=Role.VOLUNTEER)
        intake.record_donation(site=SiteFactory(), actor=volunteer,
                               lines=intake.scanned_lines("\n".join(isbns), [], intake.Condition.GOOD))
        db.session.commit()


def title_of(isbn13: str) -> Title:
    return db.session.scalars(sa.select(Title).where(Title.isbn13 == isbn13)).one()


def lookup_of(isbn13: str) -> CatalogueLookup:
    return db.session.scalars(sa.select(CatalogueLookup).where(CatalogueLookup.isbn13 == isbn13)).one()


def test_a_new_isbn_is_looked_up_after_the_scan_commits_and_names_its_title(app, open_library):
    scan(app, FOX)  # the tests' queue runs the job at once, once the scan has committed
    with app.app_context():
        fox = title_of(FOX)
        assert (fox.title, fox.authors, fox.publisher, fox.year, fox.language, fox.level, fox.source) == (
            "Fantastic Mr. Fox", "Roald Dahl", "Puffin", 1988, "en", ReadingLevel.CHILDREN, DataSource.OPEN_LIBRARY_ONLINE)
        record = db.session.scalars(sa.select(CatalogueRecord).where(CatalogueRecord.isbn13 == FOX)).one()
        assert record.source is DataSource.OPEN_LIBRARY_ONLINE
        assert (lookup_of(FOX).outcome, lookup_of(FOX).attempts) == (LookupOutcome.FOUND, 1)
        [named] = [e for e in events_for(fox) if e.action == "title.catalogued"]
        assert named.detail == {"title": "Fantastic Mr. Fox", "source": "open_library_online", "lookup": "openlibrary"}
    assert open_library == [f"/isbn/{FOX}.json", "/books/OL7353617M.json", "/authors/OL34184A.json"]

    scan(app, FOX)  # known now: never asked again
    assert len(open_library) == 3


def test_an_arabic_record_with_its_author_in_it_takes_one_request(app, open_library):
    scan(app, BAGHDAD)
    with app.app_context():
        baghdad = title_of(BAGHDAD)
        assert (baghdad.title, baghdad.authors, baghdad.language) == ("بغداد: سيرة مدينة", "نجم والي", "ar")
    assert open_library == [f"/isbn/{BAGHDAD}.json"]


def test_the_scan_does_not_wait_for_the_lookup_nor_fail_with_it(app, open_library, monkeypatch):
    """The lookup is queued when the scan's transaction commits, not run inside it."""
    queued: list[str] = []
    monkeypatch.setattr(online.jobs, "enqueue", lambda task, isbn13: queued.append(isbn13))
    scan(app, SLOW, FOX, "9780306406157")
    assert queued == sorted([SLOW, FOX, "9780306406157"]) and open_library == []
    with app.app_context():
        assert title_of(FOX).title is None  # until the worker has looked


def test_nothing_is_queued_for_a_scan_that_rolls_back(app, open_library, monkeypatch):
    queued: list[str] = []
    monkeypatch.setattr(online.jobs, "enqueue", lambda task, isbn13: queued.append(isbn13))
    with app.app_context():
        titles.title_for_isbn(FOX, actor=None)
        db.session.rollback()
        db.session.commit()
    assert queued == []


@pytest.mark.parametrize(
    ("isbn13", "outcome", "message"),
    [
        (UNKNOWN, LookupOutcome.UNKNOWN, None),
        (SLOW, LookupOutcome.FAILED, "openlibrary did not answer in time"),
        (GARBAGE, LookupOutcome.FAILED, "openlibrary answered with something that is not JSON"),
        (BROKEN, LookupOutcome.FAILED, "openlibrary answered 503"),
        (NO_TITLE, LookupOutcome.FAILED, "the record has no title"),
    ],
)
def test_what_the_provider_cannot_say_is_kept_and_the_title_left_for_the_sorter(app, open_library, isbn13, outcome,
                                                                                 message):
    scan(app, isbn13)
    with app.app_context():
        lookup = lookup_of(isbn13)
        assert (lookup.outcome, lookup.attempts) == (outcome, 1)
        assert (lookup.message or "").startswith(message or "")
        assert title_of(isbn13).title is None
        assert db.session.scalar(sa.select(sa.func.count()).select_from(CatalogueRecord)) == 0


def test_a_failed_lookup_is_tried_again_hourly_and_an_unknown_isbn_after_a_month(app, open_library):
    scan(app, BROKEN, UNKNOWN)
    with app.app_context():
        assert online.look_up(BROKEN) is None and online.look_up(UNKNOWN) is None  # not due yet
        db.session.execute(sa.update(CatalogueLookup).values(looked_up_at=utcnow() - online.AGAIN_FAILED - timedelta(minutes=1)))
        db.session.commit()
        assert online.look_up_again() == 1  # the failed one; the unknown one waits its month
        db.session.expire_all()  # the worker's session wrote it
        assert lookup_of(BROKEN).attempts == 2
        db.session.execute(sa.update(CatalogueLookup).where(CatalogueLookup.isbn13 == BROKEN).values(attempts=online.ATTEMPTS))
        db.session.commit()
        assert online.look_up_again() == 0  # given up: the sorter types it
        db.session.execute(sa.update(CatalogueLookup).values(looked_up_at=utcnow() - online.AGAIN_UNKNOWN - timedelta(minutes=1)))
        db.session.commit()
        assert online.look_up(UNKNOWN) is LookupOutcome.UNKNOWN and lookup_of(UNKNOWN).attempts == 2


def test_with_lookups_switched_off_nothing_is_asked(app):
    assert app.config["CATALOGUE_LOOKUP"] == ""
    scan(app, FOX)
    with app.app_context():
        assert online.look_up(FOX) is None and online.look_up_again() == 0
        assert db.session.scalar(sa.select(sa.func.count()).select_from(CatalogueLookup)) == 0
