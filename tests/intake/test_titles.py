from __future__ import annotations

import pytest

from books2iraq.errors import DomainError
from books2iraq.intake import titles

pytestmark = pytest.mark.usefixtures("ctx")


@pytest.mark.parametrize(
    ("raw", "isbn13"),
    [
        ("0-306-40615-2", "9780306406157"),
        ("0306406152", "9780306406157"),
        ("978-0-306-40615-7", "9780306406157"),
        (" 9780306406157 ", "9780306406157"),
        ("0-8044-2957-X", "9780804429573"),
        ("0-8044-2957-x", "9780804429573"),
    ],
)
def test_isbn_10_and_13_become_isbn_13(raw, isbn13):
    assert titles.normalise_isbn(raw) == isbn13


@pytest.mark.parametrize(
    ("raw", "message"),
    [
        ("9780306406158", "wrong check digit"),
        ("0306406153", "wrong check digit"),
        ("12345", "must have 10 or 13 digits"),
        ("hello world!", "is not an ISBN"),
        ("", "Scan or type an ISBN"),
    ],
)
def test_bad_isbns_are_refused_with_a_clear_message(raw, message):
    with pytest.raises(DomainError, match=message):
        titles.normalise_isbn(raw)


def test_a_scanned_isbn_finds_or_creates_one_title():
    first = titles.title_for_isbn("0306406152", actor=None)
    assert first.isbn13 == "9780306406157" and first.title is None
    assert "not catalogued yet" in first.display
    again = titles.title_for_isbn("978-0-306-40615-7", actor=None, title="Physics")
    assert again is first and first.title == "Physics"


def test_arabic_titles_are_plain_data():
    record = titles.create_title(title="ألف ليلة وليلة", isbn13="9789953871233", language="ar", actor=None)
    assert titles.find_by_isbn("9789953871233").title == "ألف ليلة وليلة" == record.display


def test_duplicate_isbn_and_implausible_year_are_refused():
    titles.create_title(title="A", isbn13="9780306406157", actor=None)
    with pytest.raises(DomainError, match="already in the catalogue"):
        titles.create_title(title="B", isbn13="0306406152", actor=None)
    with pytest.raises(DomainError, match="plausible publication year"):
        titles.create_title(title="C", year=3000, actor=None)
    with pytest.raises(DomainError, match="needs an ISBN or a title"):
        titles.create_title(title="  ", actor=None)
