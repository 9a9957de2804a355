from __future__ import annotations

from flask import Blueprint

bp = Blueprint("sorting", __name__, url_prefix="/sorting")
