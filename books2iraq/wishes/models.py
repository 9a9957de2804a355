"""A recipient's wish-list: what it wants, by subject, reading level, language and kind, how many
copies, and how much it matters."""
from __future__ import annotations

import enum

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column, relationship

from books2iraq.db import TimestampMixin
from books2iraq.extensions import Model
from books2iraq.intake.models import ReadingLevel, Title, TitleKind
from books2iraq.shipping.models import Recipient


class Priority(enum.StrEnum):
    HIGH = "high"
    NORMAL = "normal"
    LOW = "low"

    @property
    def weight(self) -> int:
        """How much a copy that fills it counts when crates are suggested."""
        return {Priority.HIGH: 3, Priority.NORMAL: 2, Priority.LOW: 1}[self]


class WishItem(TimestampMixin, Model):
    """Copies wanted of the titles that match: every criterion given must match (none given: any book)."""

    __tablename__ = "wish_items"

    id: Mapped[int] = mapped_column(primary_key=True)
    recipient_id: Mapped[int] = mapped_column(sa.ForeignKey("recipients.id"), index=True)
    subject: Mapped[str | None] = mapped_column(sa.String(120))  # as titles name it, any case
    level: Mapped[ReadingLevel | None]
    language: Mapped[str | None] = mapped_column(sa.String(8))  # ISO 639-1, as titles have it
    kind: Mapped[TitleKind | None]
    wanted: Mapped[int]
    priority: Mapped[Priority] = mapped_column(default=Priority.NORMAL)
    note: Mapped[str | None] = mapped_column(sa.String(500))

    recipient: Mapped[Recipient] = relationship()

    __table_args__ = (sa.CheckConstraint("wanted > 0", name="wanted_positive"),)

    # The rule of what fills a wish, twice over in this one place: for titles already summed per kind
    # (matches), and as SQL conditions on titles (criteria, to pick the lots to earmark).
    def matches(self, subject: str | None, level: ReadingLevel | str, language: str | None, kind: TitleKind | str) -> bool:
        return ((self.subject is None or (subject or "").strip().lower() == self.subject.lower())
                and (self.level is None or level == self.level)
                and (self.language is None or (language or "").lower() == self.language)
                and (self.kind is None or kind == self.kind))

    def criteria(self) -> list[sa.ColumnElement[bool]]:
        found: list[sa.ColumnElement[bool]] = []
        if self.subject is not None:
            found.append(sa.func.lower(Title.subject) == self.subject.lower())
        if self.level is not None:
            found.append(Title.level == self.level)
        if self.language is not None:
            found.append(sa.func.lower(Title.language) == self.language)
        if self.kind is not None:
            found.append(Title.kind == self.kind)
        return found

    def __repr__(self) -> str:
        return f"<WishItem {self.recipient_id} {self.subject}/{self.level}/{self.language}/{self.kind} x{self.wanted}>"
