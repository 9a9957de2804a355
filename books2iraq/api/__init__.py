"""The JSON API, v1: one module per resource, per-user bearer tokens, an OpenAPI document.

The resource modules fill the route registry (books2iraq.api.routing) with @route; the blueprint's URL
rules and the OpenAPI document are both made from it.
"""
from __future__ import annotations

from flask import Blueprint

from books2iraq.api import (  # noqa: F401  (fill the registry)
    crates,
    documents,
    donations,
    errors,
    lots,
    shipments,
    sites,
    stats,
)
from books2iraq.api.openapi import openapi_json
from books2iraq.api.routing import OPERATIONS
from books2iraq.extensions import csrf

bp = Blueprint("api", __name__, url_prefix="/api/v1")
csrf.exempt(bp)  # token auth, no cookies: there is no session a forged request could ride on
errors.register(bp)
bp.add_url_rule("/openapi.json", "openapi", openapi_json)
for operation in OPERATIONS:
    bp.add_url_rule(operation.rule, operation.endpoint, operation.view, methods=[operation.method])
