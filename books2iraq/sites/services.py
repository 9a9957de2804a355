from __future__ import annotations

import sqlalchemy as sa
from flask_babel import gettext as _

from books2iraq import audit
from books2iraq.auth.models import User
from books2iraq.concurrency import unique
from books2iraq.errors import DomainError, NotFound
from books2iraq.extensions import db
from books2iraq.sites.models import Site, SiteKind


def create_site(*, name: str, kind: SiteKind, city: str, address: str | None = None, actor: User | None) -> Site:
    values = _clean(name=name, city=city, address=address)
    site = Site(kind=kind, **values)
    with unique(_("A site called “%(site)s” already exists.", site=values["name"])):
        db.session.add(site)
        db.session.flush()
    audit.record(actor, "site.created", site, kind=kind.value)
    return site


def update_site(
    site: Site, *, name: str, kind: SiteKind, city: str, address: str | None = None, actor: User | None
) -> Site:
    values = {"kind": kind, **_clean(name=name, city=city, address=address, site=site)}
    changes = {f: [getattr(site, f), v] for f, v in values.items() if getattr(site, f) != v}
    for field, (_old, new) in changes.items():
        setattr(site, field, new)
    if changes:
        audit.record(actor, "site.updated", site, changes=changes)
    db.session.flush()
    return site


def set_site_active(site: Site, active: bool, *, actor: User | None) -> Site:
    """Close a site (it leaves the pick lists; its records stay) or reopen it."""
    if site.active != active:
        site.active = active
        audit.record(actor, "site.reactivated" if active else "site.deactivated", site)
        db.session.flush()
    return site


def get_site(site_id: int) -> Site:
    site = db.session.get(Site, site_id)
    if site is None:
        raise NotFound(_("There is no site number %(id)s.", id=site_id))
    return site


def all_sites() -> list[Site]:
    """Every site, open ones first, then by name."""
    return list(db.session.scalars(sa.select(Site).order_by(Site.active.desc(), Site.name, Site.id)))


def active_sites(kind: SiteKind | None = None) -> list[Site]:
    stmt = sa.select(Site).where(Site.active.is_(True)).order_by(Site.name)
    if kind is not None:
        stmt = stmt.where(Site.kind == kind)
    return list(db.session.scalars(stmt))


def _clean(*, name: str, city: str, address: str | None, site: Site | None = None) -> dict[str, str | None]:
    """Trimmed values for a new site or for `site`; refuses a missing name or city and a taken name."""
    name, city = name.strip(), city.strip()
    if not name or not city:
        raise DomainError(_("A site needs a name and a city."))
    taken = sa.select(Site.id).where(Site.name == name)
    if site is not None:
        taken = taken.where(Site.id != site.id)
    if db.session.scalar(taken) is not None:
        raise DomainError(_("A site called “%(site)s” already exists.", site=name))
    return {"name": name, "city": city, "address": (address or "").replace("\r\n", "\n").strip() or None}
