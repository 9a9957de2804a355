"""Sites: the drop-off points and warehouses a donation or a crate belongs to."""
from __future__ import annotations

from books2iraq.api.routing import route
from books2iraq.api.schemas import Out, SiteOut
from books2iraq.auth.roles import Role
from books2iraq.sites import services as sites


class SiteList(Out):
    sites: list[SiteOut]


@route("GET", "/sites", role=Role.VOLUNTEER, summary="List the sites", response=SiteList)
def list_sites() -> SiteList:
    """Every site, open ones first, then by name."""
    return SiteList(sites=[SiteOut.model_validate(site) for site in sites.all_sites()])
