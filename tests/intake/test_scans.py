from __future__ import annotations

import pytest

from books2iraq.errors import DomainError
from books2iraq.intake.scans import ScannedTitle, parse_scans


def test_repeated_scans_are_counted_in_first_scan_order():
    text = "9780306406157\n0140449132\n\n978-0-306-40615-7\r\n9780306406157\n"
    assert parse_scans(text) == [ScannedTitle("9780306406157", 3), ScannedTitle("9780140449136", 1)]


@pytest.mark.parametrize("line", ["9780306406157 x3", "9780306406157*3", "9780306406157, 3", "9780306406157 3", "0306406152 X 3"])
def test_a_line_may_carry_a_count(line):
    assert parse_scans(line) == [ScannedTitle("9780306406157", 3)]


def test_an_isbn_10_ending_in_x_is_not_mistaken_for_a_count():
    assert parse_scans("080442957X") == [ScannedTitle("9780804429573", 1)]


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("9780306406157\n9780306406158", "Scan line 2: ISBN .* wrong check digit"),
        ("9780306406157 x0", "Scan line 1: the count must be at least 1"),
        ("hello", "Scan line 1: .* is not an ISBN"),
    ],
)
def test_bad_lines_are_refused_by_number(text, message):
    with pytest.raises(DomainError, match=message):
        parse_scans(text)


def test_empty_text_is_no_scans():
    assert parse_scans("  \n\n") == []
