from __future__ import annotations

import sqlalchemy as sa

from books2iraq import audit
from books2iraq.auth.models import User
from books2iraq.errors import DomainError
from books2iraq.extensions import db
from books2iraq.sites.models import Site, SiteKind


class SiteError(DomainError):
    pass


def create_site(*, name: str, kind: SiteKind, city: str, address: str | None = None, actor: User | None) -> Site:
    name = name.strip()
    if not name or not city.strip():
        raise SiteError("A site needs a name and a city.")
    if db.session.scalar(sa.select(Site.id).where(Site.name == name)) is not None:
        raise SiteError(f"A site called “{name}” already exists.")
    site = Site(name=name, kind=kind, city=city.strip(), address=address)
    db.session.add(site)
    db.session.flush()
    audit.record(actor, "site.created", site, kind=kind.value)
    return site


def active_sites(kind: SiteKind | None = None) -> list[Site]:
    stmt = sa.select(Site).where(Site.active.is_(True)).order_by(Site.name)
    if kind is not None:
        stmt = stmt.where(Site.kind == kind)
    return list(db.session.scalars(stmt))
