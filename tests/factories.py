"""Test data: factory_boy factories for plain records, helpers that go through the services for the rest."""
from __future__ import annotations

from decimal import Decimal

import factory
from factory.alchemy import SQLAlchemyModelFactory

from books2iraq.auth.models import User
from books2iraq.auth.roles import Role
from books2iraq.crating import services as crating
from books2iraq.crating.models import Crate
from books2iraq.extensions import db
from books2iraq.intake import services as intake
from books2iraq.intake.models import Donation, Lot, Title
from books2iraq.shipping.models import Governorate, Recipient
from books2iraq.sites.models import Site, SiteKind
from books2iraq.sorting import services as sorting
from tests.conftest import PASSWORD


class Base(SQLAlchemyModelFactory):
    class Meta:
        abstract = True
        sqlalchemy_session_factory = lambda: db.session
        sqlalchemy_session_persistence = "flush"


class UserFactory(Base):
    class Meta:
        model = User

    email = factory.Sequence(lambda n: f"user{n}@test.example")
    name = factory.Faker("name")
    role = Role.VOLUNTEER
    password_hash = factory.LazyFunction(lambda: _hash(PASSWORD))
    # A recipient's librarian belongs to one institution (a new one unless given).
    recipient = factory.Maybe(
        factory.LazyAttribute(lambda user: user.role is Role.RECIPIENT),
        yes_declaration=factory.SubFactory("tests.factories.RecipientFactory"),
        no_declaration=None,
    )


_HASHES: dict[str, str] = {}


def _hash(password: str) -> str:
    """Hashing is slow on purpose; the tests hash the shared password once."""
    if password not in _HASHES:
        from werkzeug.security import generate_password_hash

        _HASHES[password] = generate_password_hash(password)
    return _HASHES[password]


class SiteFactory(Base):
    class Meta:
        model = Site

    name = factory.Sequence(lambda n: f"Drop-off {n}")
    kind = SiteKind.DROP_OFF
    city = "London"


class WarehouseFactory(SiteFactory):
    name = factory.Sequence(lambda n: f"Warehouse {n}")
    kind = SiteKind.WAREHOUSE
    city = "Birmingham"


class TitleFactory(Base):
    class Meta:
        model = Title

    isbn13 = factory.Sequence(lambda n: _isbn13(n))
    title = factory.Sequence(lambda n: f"Book {n}")
    authors = "A. Writer"
    language = "en"


def _isbn13(n: int) -> str:
    from stdnum import ean

    stem = f"978{n:09d}"
    return stem + ean.calc_check_digit(stem)


class RecipientFactory(Base):
    class Meta:
        model = Recipient

    name_en = factory.Sequence(lambda n: f"University {n}")
    name_ar = factory.Sequence(lambda n: f"جامعة {n}")
    address_en = "University Street"
    city = "Erbil"
    governorate = Governorate.ERBIL


def donation(*quantities: int, actor: User | None = None, site: Site | None = None) -> Donation:
    """A donation with one catalogued line per quantity, recorded through the intake service."""
    actor = actor or UserFactory(role=Role.VOLUNTEER)
    site = site or SiteFactory()
    lines = [intake.LineInput(quantity=q, title=TitleFactory()) for q in quantities]
    return intake.record_donation(site=site, lines=lines, actor=actor)


def accepted_lot(quantity: int = 10, actor: User | None = None) -> Lot:
    actor = actor or UserFactory(role=Role.WAREHOUSE)
    lot = donation(quantity, actor=actor).lots[0]
    return sorting.accept(lot, actor=actor)


def sealed_crate(*quantities: int, actor: User | None = None, gross_kg: str = "20.5", site: Site | None = None,
                 dims: tuple[int, int, int] | None = None) -> Crate:
    """A crate packed with accepted copies (a lot per quantity) and sealed, at `site` (a new warehouse by default)."""
    actor = actor or UserFactory(role=Role.WAREHOUSE)
    crate = crating.open_crate(site=site or WarehouseFactory(), actor=actor)
    for q in quantities or (10,):
        crating.pack(accepted_lot(q, actor=actor), crate, actor=actor)
    length, width, height = dims or (None, None, None)
    return crating.seal(crate, gross_kg=Decimal(gross_kg), length_cm=length, width_cm=width, height_cm=height, actor=actor)


def shipment_of(*crates: Crate, actor: User | None = None, recipient: Recipient | None = None, **transport):
    """A planned shipment (through the shipping service) carrying `crates`."""
    from books2iraq.shipping import services as shipping

    actor = actor or UserFactory(role=Role.COORDINATOR)
    shipment = shipping.create_shipment(recipient=recipient or RecipientFactory(), actor=actor, **transport)
    for crate in crates:
        shipping.assign_crate(shipment, crate, actor=actor)
    return shipment


def advance(shipment, *statuses, actor: User | None = None):
    """Move a shipment through `statuses` in order (each must be allowed next)."""
    from books2iraq.shipping import services as shipping

    actor = actor or UserFactory(role=Role.COORDINATOR)
    for status in statuses:
        shipping.change_status(shipment, status, actor=actor)
    return shipment
