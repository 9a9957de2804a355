from __future__ import annotations

from flask import Blueprint

bp = Blueprint("crating", __name__, url_prefix="/crates")
