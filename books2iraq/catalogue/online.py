"""Looking new ISBNs up on the internet, when the local catalogue does not know them: switched on by
B2I_CATALOGUE_LOOKUP (Open Library's ISBN API; another provider is a class in PROVIDERS), done by the
worker after the transaction that scanned the ISBN commits, never in the request of a scan. What comes
back becomes a catalogue record and names the title; what does not (unknown, no answer in time,
nonsense) is kept too, so an ISBN is not asked about again and again (CatalogueLookup)."""
from __future__ import annotations

import json
import logging
import urllib.error
import urllib.parse
import urllib.request
from datetime import timedelta
from typing import Any, Protocol

import sqlalchemy as sa
from flask import current_app
from sqlalchemy.orm import Session

from books2iraq import jobs
from books2iraq.catalogue import imports, records
from books2iraq.catalogue.models import CatalogueLookup, LookupOutcome
from books2iraq.catalogue.sources import Read, Skipped, read_edition
from books2iraq.db import aware, utcnow
from books2iraq.extensions import db
from books2iraq.intake.models import DataSource, Title

log = logging.getLogger(__name__)
AGAIN_UNKNOWN = timedelta(days=30)  # an ISBN the provider did not know is asked about again after this
AGAIN_FAILED = timedelta(hours=1)  # …and one it gave no good answer for, after this
ATTEMPTS = 5  # failed answers before an ISBN is left to the sorter
LARGEST_ANSWER = 1024 * 1024  # bytes: anything longer is not a book's record
AUTHORS = 3  # author records fetched for an edition that names none itself


class LookupFailed(Exception):
    """No answer in time, or an answer that made no sense."""


class Provider(Protocol):
    name: str

    def look_up(self, isbn13: str) -> Read | None:
        """The book of this ISBN, or None when the provider does not know it; LookupFailed otherwise."""


class OpenLibrary:
    """openlibrary.org's ISBN API: /isbn/<isbn>.json is the edition's record, the same as in the dumps
    (catalogue/sources.py reads both); its authors' names are in their own records."""

    name = "openlibrary"

    def __init__(self, base_url: str, timeout: float) -> None:
        self.base_url = base_url.rstrip("/")
        self.timeout = timeout

    def look_up(self, isbn13: str) -> Read | None:
        edition = self._get(f"/isbn/{isbn13}.json")
        if edition is None:
            return None
        if not isinstance(edition.get("by_statement"), str):
            names = [self._author(author) for author in (edition.get("authors") or [])[:AUTHORS]]
            if any(names):
                edition = {**edition, "contributions": [name for name in names if name]}
        read = read_edition(f"{self.name} {isbn13}", edition)
        if isinstance(read, Skipped):
            raise LookupFailed(f"the record has {read.reason}")
        if isbn13 not in read.isbn13s:  # the record of another printing: still this book
            read = Read(**{**vars(read), "isbn13s": (isbn13, *read.isbn13s)})
        return read

    def _author(self, author: Any) -> str | None:
        key = author.get("key") if isinstance(author, dict) else None
        if not isinstance(key, str) or not key.startswith("/authors/"):
            return None
        try:
            found = self._get(f"{key}.json")
        except LookupFailed:
            return None  # the book without its author beats no book
        name = found.get("name") if found else None
        return name if isinstance(name, str) else None

    def _get(self, path: str) -> dict[str, Any] | None:
        request = urllib.request.Request(
            self.base_url + urllib.parse.quote(path),
            headers={"Accept": "application/json", "User-Agent": "books2iraq catalogue lookup"},
        )
        try:
            with urllib.request.urlopen(request, timeout=self.timeout) as answer:
                body = answer.read(LARGEST_ANSWER + 1)
        except urllib.error.HTTPError as exc:
            if exc.code == 404:
                return None
            raise LookupFailed(f"{self.name} answered {exc.code}") from exc
        except (urllib.error.URLError, TimeoutError, ConnectionError) as exc:
            raise LookupFailed(f"{self.name} did not answer in time ({exc})") from exc
        if len(body) > LARGEST_ANSWER:
            raise LookupFailed(f"{self.name} answered with more than {LARGEST_ANSWER:,} bytes")
        try:
            found = json.loads(body)
        except ValueError as exc:
            raise LookupFailed(f"{self.name} answered with something that is not JSON") from exc
        if not isinstance(found, dict):
            raise LookupFailed(f"{self.name} answered with JSON that is not a record")
        return found


PROVIDERS: dict[str, type[OpenLibrary]] = {"openlibrary": OpenLibrary}


def provider() -> Provider | None:
    """The provider the configuration names (CATALOGUE_LOOKUP), or None: lookups switched off."""
    name = current_app.config.get("CATALOGUE_LOOKUP") or ""
    if not name:
        return None
    if name not in PROVIDERS:
        raise RuntimeError(f"B2I_CATALOGUE_LOOKUP must be one of {', '.join(PROVIDERS)} or empty, not {name!r}")
    return PROVIDERS[name](current_app.config["CATALOGUE_LOOKUP_URL"], current_app.config["CATALOGUE_LOOKUP_TIMEOUT"])


@sa.event.listens_for(Session, "after_commit")
def _queue_wanted(session: Session) -> None:
    if session.get_nested_transaction() is not None:  # a savepoint released: the transaction goes on
        return
    for isbn13 in sorted(session.info.pop(records.WANTED, ())):
        try:
            jobs.enqueue(look_up, isbn13)
        except Exception:  # the queue is down: the hourly round asks again (look_up_again)
            log.exception("could not queue the lookup of ISBN %s", isbn13)


@sa.event.listens_for(Session, "after_rollback")
def _forget_wanted(session: Session) -> None:
    if session.get_nested_transaction() is None:  # the transaction itself, not a savepoint
        session.info.pop(records.WANTED, None)


def due(lookup: CatalogueLookup | None) -> bool:
    """Whether an ISBN should be asked about (again), given what asking gave last time."""
    if lookup is None:
        return True
    since = utcnow() - aware(lookup.looked_up_at)
    if lookup.outcome is LookupOutcome.UNKNOWN:
        return since > AGAIN_UNKNOWN
    if lookup.outcome is LookupOutcome.FAILED:
        return lookup.attempts < ATTEMPTS and since > AGAIN_FAILED
    return False


@jobs.task
def look_up(isbn13: str) -> LookupOutcome | None:
    """In the worker: ask the provider about an ISBN no title has named, keep what it says, and name
    the title from it. Returns the outcome (None: not asked, as lookups are off or it was not due)."""
    source = provider()
    if source is None:
        return None
    if records.by_isbn([isbn13]) or not db.session.scalar(
        sa.select(sa.func.count()).select_from(Title).where(Title.isbn13 == isbn13, Title.title.is_(None))
    ):
        return None  # known meanwhile (an import, a sorter): nothing to ask
    lookup = db.session.scalar(sa.select(CatalogueLookup).where(CatalogueLookup.isbn13 == isbn13))
    if not due(lookup):
        return None
    if lookup is None:
        lookup = CatalogueLookup(isbn13=isbn13, provider=source.name, outcome=LookupOutcome.FAILED, attempts=0)
        db.session.add(lookup)
    lookup.provider, lookup.attempts, lookup.looked_up_at, lookup.message = source.name, lookup.attempts + 1, utcnow(), None
    try:
        read = source.look_up(isbn13)
    except LookupFailed as exc:
        lookup.outcome, lookup.message = LookupOutcome.FAILED, str(exc)[:500]
        log.warning("looking up ISBN %s: %s", isbn13, exc)
    else:
        if read is None:
            lookup.outcome = LookupOutcome.UNKNOWN
        else:
            lookup.outcome = LookupOutcome.FOUND
            imports.store(dict.fromkeys(read.isbn13s, read), DataSource.OPEN_LIBRARY_ONLINE, None)
            records.name_titles(list(read.isbn13s), None, lookup=source.name)
    db.session.commit()
    return lookup.outcome


@jobs.periodic(jobs.crontab(minute="17"))
def look_up_again() -> int:
    """Every hour: ISBNs still unnamed whose lookup failed (or never got queued) are asked about again."""
    if provider() is None:
        return 0
    nameless = db.session.scalars(
        sa.select(Title.isbn13)
        .outerjoin(CatalogueLookup, CatalogueLookup.isbn13 == Title.isbn13)
        .where(Title.title.is_(None), Title.isbn13.is_not(None))
        .where(sa.or_(CatalogueLookup.id.is_(None),
                      sa.and_(CatalogueLookup.outcome == LookupOutcome.FAILED, CatalogueLookup.attempts < ATTEMPTS)))
        .order_by(Title.id)
        .limit(500)
    ).all()
    db.session.commit()  # the reading done: nothing held while the lookups run (at once, in the tests)
    for isbn13 in nameless:
        jobs.enqueue(look_up, isbn13)
    return len(nameless)
