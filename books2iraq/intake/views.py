from __future__ import annotations

from flask import Blueprint

bp = Blueprint("intake", __name__, url_prefix="/intake")
