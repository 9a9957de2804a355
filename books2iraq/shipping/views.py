from __future__ import annotations

from flask import Blueprint

bp = Blueprint("shipping", __name__, url_prefix="/shipping")
