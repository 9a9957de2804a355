"""Every error under /api/v1 is JSON: {"error": {"code": ..., "message": ..., "details": [...]}}."""
from __future__ import annotations

from flask import Blueprint, Response, current_app, request
from flask_babel import gettext as _
from pydantic import ValidationError
from pydantic_core import ErrorDetails
from sqlalchemy.orm.exc import StaleDataError
from werkzeug.exceptions import HTTPException, default_exceptions

from books2iraq.errors import DomainError, refusal_status
from books2iraq.extensions import db
from books2iraq.i18n import N_, number
from books2iraq.web import error_response

SERVER_ERROR = N_("Something went wrong on the server; nothing was saved. Try again, and tell an admin if it keeps happening.")
# What a 400 names as not right, by where the call's input was.
NOT_RIGHT = {
    "body": N_("Some of the request body is not right: %(fields)s."),
    "query": N_("Some of the request query is not right: %(fields)s."),
}


# What is not right with one field, by pydantic's type of error, in the words of the page's language
# (pydantic writes English only); %(…)s are pydantic's context. The app's own rules (PydanticCustomError)
# already speak the language, and a type not named here keeps pydantic's words.
FIELD_PROBLEMS = {
    "missing": N_("Required."),
    "extra_forbidden": N_("Not a field of this call."),
    **dict.fromkeys(("int_parsing", "int_type", "int_from_float"), N_("Must be a whole number.")),
    **dict.fromkeys(("decimal_parsing", "decimal_type", "float_parsing", "float_type"), N_("Must be a number.")),
    **dict.fromkeys(("bool_parsing", "bool_type"), N_("Must be true or false.")),
    **dict.fromkeys(("date_parsing", "date_type", "date_from_datetime_parsing"), N_("Must be a date: YYYY-MM-DD.")),
    "string_type": N_("Must be text."),
    "string_too_short": N_("Must have at least %(min_length)s characters."),
    "string_too_long": N_("Must have at most %(max_length)s characters."),
    "greater_than_equal": N_("Must be %(ge)s or more."),
    "greater_than": N_("Must be more than %(gt)s."),
    "less_than_equal": N_("Must be %(le)s or less."),
    "less_than": N_("Must be less than %(lt)s."),
    **dict.fromkeys(("enum", "literal_error"), N_("Must be one of: %(expected)s.")),
    "list_type": N_("Must be a list."),
    "too_short": N_("Must have at least %(min_length)s items."),
    "too_long": N_("Must have at most %(max_length)s items."),
    **dict.fromkeys(("dict_type", "model_type", "model_attributes_type"), N_("Must be an object.")),
}


def _field_problem(problem: ErrorDetails) -> str:
    words = FIELD_PROBLEMS.get(problem["type"])
    if words is None:
        return str(problem["msg"])
    context = {key: str(value) for key, value in (problem.get("ctx") or {}).items()}
    try:
        return _(words, **context) if context else _(words)
    except KeyError:  # pydantic gave less context than the words name: its own message then
        return str(problem["msg"])


class ApiError(Exception):
    """An error answer of the API: raised anywhere in a view, turned into its JSON by the handlers."""

    def __init__(
        self,
        status: int,
        message: str,
        *,
        details: list[dict[str, str]] | None = None,
        headers: dict[str, str] | None = None,
    ) -> None:
        super().__init__(message)
        self.status, self.message, self.details, self.headers = status, message, details or [], headers or {}

    def response(self) -> Response:
        return error_response(self.status, self.message, details=self.details, headers=self.headers)


def refusal(exc: DomainError) -> ApiError:
    """A rule refused the call: 409 when the thing is in the wrong state for it, else 422; the service's words."""
    return ApiError(refusal_status(exc), str(exc))


def invalid(exc: ValidationError, where: str) -> ApiError:
    """400 naming each field that is not the right shape (`where`: "body" or "query")."""
    problems = exc.errors(include_url=False, include_input=False, include_context=True)
    if any(p["type"] == "json_invalid" for p in problems):
        why = problems[0]["msg"].removeprefix("Invalid JSON: ")
        return ApiError(400, _("The request body is not valid JSON: %(why)s.", why=why))
    details = [{"field": ".".join(str(part) for part in p["loc"]) or where, "message": _field_problem(p)} for p in problems]
    fields = ", ".join(dict.fromkeys(d["field"] for d in details))  # the fields' names: the API's, untranslated
    return ApiError(400, _(NOT_RIGHT[where], fields=fields), details=details)


def _http_error(exc: HTTPException) -> Response:
    if (exc.code or 500) >= 500:
        return _server_error(exc)
    headers = {k: v for k, v in exc.get_headers() if k.lower() != "content-type"}
    if exc.code == 404:
        message = _("There is nothing at this address.")
    elif exc.code == 405:
        message = _("%(path)s does not take %(method)s requests.", path=request.path, method=request.method)
    elif exc.code == 413:
        megabytes = (current_app.config.get("MAX_CONTENT_LENGTH") or 0) / 1024 / 1024
        message = _("The request body is more than %(size)s MB: split it into several calls.", size=number(megabytes))
    else:
        message = exc.description or exc.name
    return error_response(exc.code or 400, message, headers=headers)


def _server_error(exc: Exception) -> Response:
    db.session.rollback()
    return error_response(500, _(SERVER_ERROR))


def _domain_error(exc: DomainError) -> Response:
    db.session.rollback()
    return refusal(exc).response()


def _changed_meanwhile(exc: StaleDataError) -> Response:
    db.session.rollback()
    return error_response(409, _("Someone else changed this at the same moment; nothing was saved. Look again, then retry."))


def register(bp: Blueprint) -> None:
    bp.register_error_handler(ApiError, ApiError.response)
    bp.register_error_handler(DomainError, _domain_error)
    bp.register_error_handler(StaleDataError, _changed_meanwhile)  # a lot's version moved under us
    # One handler per status code: the app's own (HTML) handlers are registered by code, and those win
    # over a handler for a class, so the blueprint's are registered by code too.
    for code in default_exceptions:
        bp.register_error_handler(code, _http_error)

    @bp.before_app_request
    def routing_error() -> Response | None:
        """Unknown addresses and methods under the API fail before any view, where no blueprint handler sees them."""
        exc = request.routing_exception
        if isinstance(exc, HTTPException) and (exc.code or 0) >= 400 and f"{request.path}/".startswith(f"{bp.url_prefix}/"):
            return _http_error(exc)
        return None
