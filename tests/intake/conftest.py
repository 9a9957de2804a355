from __future__ import annotations

import pytest

from books2iraq.extensions import db
from tests.factories import SiteFactory


@pytest.fixture
def site_id(app) -> int:
    """An open drop-off point of its own, for the intake form's tests."""
    with app.app_context():
        site = SiteFactory(name="Leeds drop-off")
        db.session.commit()
        return site.id
