"""Small helpers shared by the views of every blueprint."""
from __future__ import annotations

import re
from collections.abc import Callable
from typing import Any, TypeVar
from urllib.parse import urlsplit

from flask import Response, abort, current_app, flash, g, json, redirect, render_template, request
from flask_babel import gettext as _
from flask_wtf import FlaskForm
from sqlalchemy.orm.exc import StaleDataError

from books2iraq.concurrency import commit_keeping_loaded, start_writing
from books2iraq.errors import CONCURRENT_CHANGE, DomainError, NotFound, refusal_status
from books2iraq.extensions import db
from books2iraq.forms import AppForm
from books2iraq.i18n import counted

T = TypeVar("T")

MAX_ID = 2**31 - 1  # the largest id a database integer column holds
# C0 control characters but tab, line feed and carriage return: nothing a person types, and NUL
# cannot be stored in PostgreSQL at all.
CONTROL_CHARACTERS = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")


# The code of each JSON error, pages' and API's alike: {"error": {"code", "message", "details"}}.
CODES = {
    400: "invalid_request",
    401: "unauthorized",
    403: "forbidden",
    404: "not_found",
    405: "method_not_allowed",
    409: "conflict",
    413: "too_large",
    422: "refused",
    500: "server_error",
}


def error_response(
    status: int, message: str, *, details: list[dict[str, str]] | None = None, headers: Any = None
) -> Response:
    body: dict[str, Any] = {"code": CODES.get(status, f"http_{status}"), "message": message}
    if details:
        body["details"] = details
    return current_app.response_class(
        json.dumps({"error": body}), status=status, headers=headers, mimetype="application/json"
    )


def names_no_record(values: dict[str, Any] | None) -> bool:
    """Whether a URL's values cannot name any record: an id beyond a database integer, a NUL."""
    return any(
        (isinstance(value, int) and value > MAX_ID) or (isinstance(value, str) and "\x00" in value)
        for value in (values or {}).values()
    )


UPLOAD_LIMIT = "upload_limit"
FORM_AROUND_A_FILE = 64 * 1024  # the fields and boundaries of a form that carries a file


def takes_upload(limit: Callable[[], int]) -> Callable[[T], T]:
    """Mark a view (put it right under the route) whose form carries a file of up to `limit()` bytes: its
    request may be that much larger than a form's (MAX_CONTENT_LENGTH). See allow_upload."""
    def mark(view: T) -> T:
        setattr(view, UPLOAD_LIMIT, limit)
        return view
    return mark


def allow_upload() -> None:
    """Before any other hook reads the form (the CSRF check does): a request to a view that takes an
    upload may carry the file and the form around it."""
    limit = getattr(current_app.view_functions.get(request.endpoint or ""), UPLOAD_LIMIT, None)
    if limit is not None:
        request.max_content_length = limit() + FORM_AROUND_A_FILE


def control_characters_in(*multidicts: Any) -> list[str]:
    """The names of the fields (form or query string) whose values hold control characters."""
    return sorted({key for data in multidicts for key, value in data.items(multi=True) if CONTROL_CHARACTERS.search(value)})


class ActionForm(AppForm):
    """An empty form: it carries the CSRF token of a POST-only action button."""


def copies(n: int) -> str:
    return counted(n, "%(num)s copy", "%(num)s copies")


def _attempt(
    action: Callable[[], T], success: str | Callable[[T], str] | None, form: FlaskForm | None = None
) -> T | None:
    """Run one service call as the request's one transaction.

    Commit and flash `success` when it works (None: nothing to say on the next page); roll back and flash the DomainError's message when
    a rule refuses it (under its field instead, when it names a field of `form` the page shows
    again). Returns the action's result, or None when it was refused.
    """
    start_writing()
    try:
        result = action()
        commit_keeping_loaded()
    except DomainError as exc:
        db.session.rollback()
        field = form[exc.field] if form is not None and exc.field and exc.field in form else None
        if field is not None and not wants_json():
            field.errors = [*field.errors, str(exc)]
        else:
            _refuse(refusal_status(exc), str(exc))
        return None
    except StaleDataError:
        db.session.rollback()
        _refuse(409, _(CONCURRENT_CHANGE))
        return None
    if success is not None:
        flash(success(result) if callable(success) else success, "success")
    return result


def _refuse(status: int, message: str) -> None:
    """Tell the person why nothing was done: flashed on the page they go back to, or, for a script
    that asked for JSON (Accept: application/json), at once as a JSON error with its status."""
    if wants_json():
        abort(error_response(status, message))
    flash(message, "error")


def wants_json() -> bool:
    best = request.accept_mimetypes.best_match(["text/html", "application/json"])
    return best == "application/json" and request.accept_mimetypes[best] > request.accept_mimetypes["text/html"]


def post_form(form: FlaskForm, action: Callable[[], T], success: str | Callable[[T], str] | None) -> T | None:
    """A POST that redirects back: run `action` through attempt() if the form is valid, else flash
    which fields need correcting. Returns the action's result, or None."""
    if form.validate_on_submit():
        return _attempt(action, success)
    _flash_field_errors(form)
    return None


def same_site_path(url: str | None) -> str:
    """The path (and query) of `url` when it is a page of this site, else "/": never an open redirect.

    "//evil.example/x" and "/\\evil.example" are other sites to a browser, however they are split.
    """
    parts = urlsplit(url or "/")
    path = parts.path or "/"
    if not path.startswith("/") or path.startswith(("//", "/\\")) or any(c in path for c in "\r\n\t"):
        return "/"
    return path + (f"?{parts.query}" if parts.query else "")


def blank_action_form() -> ActionForm:
    """For templates: an empty form whose hidden_tag() gives a POST-only button its CSRF token. One a
    request, whatever the number of buttons (a page of 100 lots, each with its Accept button)."""
    if "b2i_action_form" not in g:
        g.b2i_action_form = ActionForm(formdata=None)
    return g.b2i_action_form


def or_404(load: Callable[[], T]) -> T:
    """The object a service loads, or a 404 page when it raises NotFound."""
    try:
        return load()
    except NotFound:
        abort(404)


def _flash_field_errors(form: FlaskForm) -> None:
    """Flash one message naming the fields of a form that did not validate (errors show by each
    field); a script that asked for JSON gets a 400 with each field's errors instead."""
    if wants_json():
        details = [{"field": name, "message": "; ".join(map(str, errors))} for name, errors in form.errors.items()]
        abort(error_response(400, _("Some fields are not right."), details=details))
    names = []
    for field_name in form.errors:
        label = getattr(getattr(form, field_name, None), "label", None)
        names.append(str(label.text) if label is not None else field_name.replace("_", " "))
    flash(_("Please correct: %(fields)s.", fields=_(", ").join(names)), "error")


def submit_form(
    form: FlaskForm,
    save: Callable[[], T],
    success: str | Callable[[T], str],
    done: str | Callable[[T], str],
    page: Callable[[], str],
) -> Any:
    """A form's whole round trip: a valid POST makes its one service call and redirects to `done`;
    a GET shows `page`; an invalid form (400) or a refused call (422) shows it again with what was
    typed (a refusal about one field under that field), and nothing is written."""
    status = 200
    if form.validate_on_submit():
        result = _attempt(save, success, form)
        if result is not None:
            return redirect(done(result) if callable(done) else done)
        status = 422
    elif request.method == "POST":
        _flash_field_errors(form)
        status = 400
    return page(), status


CONFIRM = "confirm"  # the field that says "yes, do it" to an action that cannot be taken back lightly


def ask_first(form: FlaskForm, question: str, consequence: str, *, yes: str, back: str) -> Any | None:
    """Nothing is done yet: the question, when a valid POST does not carry confirm=1.

    A page shows the question, what will follow, a button that sends the same request again with
    confirm=1 (what was typed comes along, hidden) and a way back to `back`; a script that asked for
    JSON gets a 422 that says so. Returns None when the POST carries confirm=1, and when the form is
    not valid (its own errors answer then): the caller goes ahead with its action.
    """
    if request.form.get(CONFIRM) == "1" or not form.validate_on_submit():
        return None
    if wants_json():
        return error_response(
            422,
            _("%(question)s %(consequence)s Nothing was done: send %(field)s=1 to go ahead.",
              question=question, consequence=consequence, field=CONFIRM),
            details=[{"field": CONFIRM, "message": _("Send %(field)s=1 to confirm.", field=CONFIRM)}],
        )
    kept = [(name, value) for name, value in request.form.items(multi=True) if name not in {"csrf_token", CONFIRM}]
    page = render_template(
        "confirm.html", question=question, consequence=consequence, yes=yes, back=back, kept=kept, field=CONFIRM
    )
    return page, 422
