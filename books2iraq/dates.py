"""Dates people type: within a window that makes sense for the operation, or a clear refusal.

A donation dated 9999-12-31 would start a reference series of its own (D-9999-000001); a shipment
planned for 1926 is a typing mistake.
"""
from __future__ import annotations

from datetime import date

from books2iraq.errors import DomainError

EARLIEST = date(2000, 1, 1)


def check_date(value: date, what: str, *, latest: date) -> date:
    """`value` when it lies between EARLIEST and `latest`, else a DomainError saying which dates are allowed."""
    if not EARLIEST <= value <= latest:
        raise DomainError(f"{what} must be between {EARLIEST:%d %B %Y} and {latest:%d %B %Y}; {value:%d %B %Y} is not.")
    return value
