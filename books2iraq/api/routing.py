"""The API's routes: a registry the resource modules fill with @route, and the helpers their views share.

Each route is recorded with its method, path, role, request and response models, so the blueprint's
URL rules and the OpenAPI document both come from this one list and cannot drift apart.
"""
from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass
from functools import wraps
from typing import Any, TypeVar

from flask import Response, current_app, request
from pydantic import BaseModel, TypeAdapter, ValidationError

from books2iraq.api.auth import api_role
from books2iraq.api.errors import ApiError, invalid
from books2iraq.auth.roles import Role
from books2iraq.errors import NotFound
from books2iraq.extensions import db

T = TypeVar("T")
K = TypeVar("K")
PATH_PARAMETER = re.compile(r"<(?:(?P<converter>\w+):)?(?P<name>\w+)>")
PDF = "application/pdf"


@dataclass(frozen=True)
class Operation:
    method: str
    rule: str  # a Flask URL rule, relative to the blueprint's prefix
    endpoint: str
    view: Callable[..., Any]
    summary: str
    description: str | None
    role: Role
    tag: str
    body: Any  # a pydantic model or an annotated type; None when the call takes no body
    query: type[BaseModel] | None
    response: type[BaseModel] | None  # None: the answer is a PDF
    statuses: tuple[int, ...]  # the success statuses, the usual one first
    refusals: tuple[int, ...]  # 409/422: a rule of a service said no
    pdf_status: int | None = None  # the success status that answers a PDF instead of `response`

    @property
    def path_parameters(self) -> list[tuple[str, str | None]]:
        """(name, converter) of each <…> in the rule."""
        return [(m["name"], m["converter"]) for m in PATH_PARAMETER.finditer(self.rule)]

    @property
    def error_statuses(self) -> tuple[int, ...]:
        statuses = [401, 403]
        if self.body is not None or self.query is not None:
            statuses.append(400)
        if self.path_parameters:
            statuses.append(404)
        return tuple(sorted({*statuses, *self.refusals}))


OPERATIONS: list[Operation] = []


def route(
    method: str,
    rule: str,
    *,
    role: Role,
    summary: str,
    response: type[BaseModel] | None,
    body: Any = None,
    query: type[BaseModel] | None = None,
    status: int | tuple[int, ...] = 200,
    refusals: tuple[int, ...] | None = None,
    pdf_status: int | None = None,
) -> Callable[[Callable[..., Any]], Callable[..., Any]]:
    """Register an API call. The view gets the path parameters, plus `body` and `query` as validated models,
    and returns a response model (sent with the first status), a (model, status) pair, or a Response."""
    statuses = status if isinstance(status, tuple) else (status,)

    def decorator(view: Callable[..., Any]) -> Callable[..., Any]:
        adapter = TypeAdapter(body) if body is not None else None

        @api_role(role)
        @wraps(view)
        def endpoint(**kwargs: Any) -> Response:
            if adapter is not None:
                kwargs["body"] = _parse(lambda: adapter.validate_json(request.get_data()), "body")
            if query is not None:
                kwargs["query"] = _parse(lambda: query.model_validate(request.args.to_dict()), "query")
            return _respond(view(**kwargs), statuses[0])

        if any(op.endpoint == view.__name__ for op in OPERATIONS):
            raise RuntimeError(f"Two API views are called {view.__name__}.")
        OPERATIONS.append(
            Operation(
                method=method,
                rule=rule,
                endpoint=view.__name__,
                view=endpoint,
                summary=summary,
                description=" ".join(view.__doc__.split()) if view.__doc__ else None,
                role=role,
                tag=view.__module__.rpartition(".")[2],
                body=body,
                query=query,
                response=response,
                statuses=statuses,
                refusals=refusals if refusals is not None else (409, 422) if method == "POST" else (),
                pdf_status=pdf_status,
            )
        )
        return endpoint

    return decorator


def _parse(validate: Callable[[], T], where: str) -> T:
    try:
        return validate()
    except ValidationError as exc:
        raise invalid(exc, where) from exc


def _respond(result: BaseModel | tuple[BaseModel, int] | Response, status: int) -> Response:
    if isinstance(result, Response):
        return result
    model, status = result if isinstance(result, tuple) else (result, status)
    return current_app.response_class(model.model_dump_json(), status=status, mimetype="application/json")




def load(getter: Callable[[K], T], key: K) -> T:
    """The object named in the URL, or a 404 with the service's message."""
    try:
        return getter(key)
    except NotFound as exc:
        raise ApiError(404, str(exc)) from exc


def run(action: Callable[[], T]) -> T:
    """One service call as the request's one transaction, committed. When a rule refuses it (DomainError),
    the blueprint's handler rolls it back and answers 409/422 with the service's message."""
    result = action()
    db.session.commit()
    return result


def pdf(document: tuple[str, bytes]) -> Response:
    filename, content = document
    return Response(
        content,
        mimetype=PDF,
        headers={"Content-Disposition": f'attachment; filename="{filename}"', "Cache-Control": "no-store"},
    )
