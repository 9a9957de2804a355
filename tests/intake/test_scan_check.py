"""The intake page's running list: every scanned line said at once (its book, or why it is not an ISBN),
for a fixed number of queries, through a JSON call that checks the form's CSRF token and role."""
from __future__ import annotations

import re

import pytest
import sqlalchemy as sa

from books2iraq.auth.roles import Role
from books2iraq.catalogue import imports
from books2iraq.catalogue.sources import SAMPLES_DIR
from books2iraq.extensions import db
from books2iraq.intake import services as intake
from books2iraq.intake import titles
from books2iraq.intake.scans import MAX_SCAN_LINES
from tests.factories import TitleFactory

PHYSICS, BAD = "9780306406157", "9780306406158"
GATSBY = "9780743273565"  # in the local catalogue's sample, not yet given
UNKNOWN = "9781930000001"


@pytest.fixture
def known(app):
    with app.app_context():
        TitleFactory(isbn13=PHYSICS, title="Introduction to Physics", authors="A. Author")
        titles.title_for_isbn("9789922620589", actor=None)  # scanned before, nobody has named it
        imports.import_file(SAMPLES_DIR / "openlibrary-editions.txt", actor=None, commit=db.session.commit)
        db.session.commit()


def test_each_line_says_its_book_or_its_problem_with_the_copies_so_far(app, known):
    with app.app_context():
        checked = intake.check_scans(f"{PHYSICS}\n{GATSBY} x2\n\n{BAD}\n0306406152\n{UNKNOWN}\n9789922620589\nhello")
    assert [(c.line, c.known, c.title, c.quantity, c.copies_of_it) for c in checked] == [
        (1, "title", "Introduction to Physics", 1, 2),
        (2, "catalogue", "The Great Gatsby", 2, 2),
        (4, "bad", None, 1, 0),
        (5, "title", "Introduction to Physics", 1, 2),  # its ISBN-10: the same book
        (6, "new", None, 1, 1),
        (7, "new", None, 1, 1),
        (8, "bad", None, 1, 0),
    ]
    assert checked[2].problem == f"ISBN “{BAD}” has a wrong check digit; scan or type it again."
    assert checked[6].problem == "“hello” is not an ISBN."
    assert (checked[0].authors, checked[1].authors) == ("A. Author", "F. Scott Fitzgerald")


def test_a_check_costs_two_queries_however_many_lines(app, known):
    counted: list[str] = []

    def count(*args: object) -> None:
        counted.append(str(args[2]))

    with app.app_context():
        sa.event.listen(db.engine, "before_cursor_execute", count)
        try:
            intake.check_scans(PHYSICS)  # the transaction begun
            counted.clear()
            intake.check_scans("\n".join([PHYSICS, GATSBY, UNKNOWN]))
            few = len(counted)
            counted.clear()
            intake.check_scans("\n".join([PHYSICS, GATSBY, UNKNOWN, BAD] * 400))
            many = len(counted)
        finally:
            sa.event.remove(db.engine, "before_cursor_execute", count)
    assert few == many == 2  # the titles, and the catalogue's records


def test_the_page_asks_by_json_with_its_own_token(app, client, auth, known):
    auth.login(Role.VOLUNTEER)
    page = client.get("/intake/new").get_data(as_text=True)
    token = re.search(r'name="csrf_token" type="hidden" value="([^"]+)"', page).group(1)
    assert 'data-check-url="/intake/scans"' in page and '<script src="/static/js/intake.js" defer>' in page
    answer = client.post("/intake/scans", data={"csrf_token": token, "scans": f"{GATSBY}\n{GATSBY}\n{BAD}"},
                         headers={"Accept": "application/json"})
    assert answer.status_code == 200
    body = answer.get_json()
    assert (body["copies"], body["titles"], body["problems"]) == (2, 1, 1)
    assert [(line["line"], line["known"], line["title"]) for line in body["lines"]] == [
        (1, "catalogue", "The Great Gatsby"), (2, "catalogue", "The Great Gatsby"), (3, "bad", None)]

    no_token = client.post("/intake/scans", data={"scans": GATSBY}, headers={"Accept": "application/json"})
    assert no_token.status_code == 400 and no_token.get_json()["error"]["message"].startswith("The form was too old")
    too_many = client.post("/intake/scans", data={"csrf_token": token, "scans": "\n".join([GATSBY] * (MAX_SCAN_LINES + 1))},
                           headers={"Accept": "application/json"})
    assert too_many.status_code == 422
    assert too_many.get_json()["error"]["message"] == f"At most {MAX_SCAN_LINES} scanned lines in one donation; split it in two."
    with app.app_context():
        assert db.session.scalar(sa.text("SELECT count(*) FROM donations")) == 0  # it only reads


def test_a_quantity_key_on_its_own_line_counts_the_scan_before_it():
    from books2iraq.intake.scans import read_lines

    lines = read_lines("9780306406157\nx5\n9780140449136\n×2\nx3\n*0\n")
    assert [(line.number, line.isbn13, line.quantity, line.problem) for line in lines] == [
        (1, "9780306406157", 5, None),
        (3, "9780140449136", 3, None),  # the later key wins: that scan was 3 copies
        (6, None, 0, "the count must be at least 1."),
    ]
    first = read_lines("x4\n9780306406157")
    assert first[0].problem == "a count (x5) comes right after the scan of the book it counts."
