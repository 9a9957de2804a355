"""Small helpers shared by the views of every blueprint."""
from __future__ import annotations

from collections.abc import Callable
from typing import TypeVar

from flask import abort, flash
from flask_wtf import FlaskForm

from books2iraq.errors import DomainError, NotFound
from books2iraq.extensions import db

T = TypeVar("T")


class ActionForm(FlaskForm):
    """An empty form: it carries the CSRF token of a POST-only action button."""


def attempt(action: Callable[[], T], success: str | Callable[[T], str]) -> T | None:
    """Run one service call as the request's one transaction.

    Commit and flash `success` when it works; roll back and flash the DomainError's message when
    a rule refuses it. Returns the action's result, or None when it was refused.
    """
    try:
        result = action()
        db.session.commit()
    except DomainError as exc:
        db.session.rollback()
        flash(str(exc), "error")
        return None
    flash(success(result) if callable(success) else success, "success")
    return result


def or_404(load: Callable[[], T]) -> T:
    """The object a service loads, or a 404 page when it raises NotFound."""
    try:
        return load()
    except NotFound:
        abort(404)


def form_errors(form: FlaskForm) -> None:
    """Flash one message naming the fields of a form that did not validate (errors show by each field)."""
    names = []
    for field_name in form.errors:
        label = getattr(getattr(form, field_name, None), "label", None)
        names.append(label.text if label is not None else field_name.replace("_", " "))
    flash(f"Please correct: {', '.join(names)}.", "error")
