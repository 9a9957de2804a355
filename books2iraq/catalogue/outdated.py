"""Outdated books flagged at sorting: a rule table (OutdatedRule) says which subjects age ("textbook":
10 years, "atlas": 5); a title whose subjects or name say one of them, published longer ago than the
rule allows, is a candidate to reject as outdated. A flag, never a decision: the sorter decides."""
from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date

import sqlalchemy as sa
from flask_babel import gettext as _

from books2iraq import audit
from books2iraq.auth.models import User
from books2iraq.catalogue import records
from books2iraq.catalogue.models import OutdatedRule
from books2iraq.concurrency import unique
from books2iraq.errors import DomainError, NotFound
from books2iraq.extensions import db
from books2iraq.i18n import counted
from books2iraq.intake.models import Title

# The rules a new database starts with (migration 0014), Books For Africa's examples.
DEFAULT_RULES = [("atlas", 5), ("textbook", 10)]


@dataclass(frozen=True)
class Flag:
    rule: OutdatedRule
    age: int  # years since the title was published

    @property
    def message(self) -> str:
        return _("Possibly outdated: published %(age)s ago, and books on “%(words)s” older than %(years)s are usually "
                 "not sent.", age=_years(self.age), words=self.rule.words, years=_years(self.rule.years))


def _years(n: int) -> str:
    return counted(n, "%(num)s year", "%(num)s years")


def all_rules() -> list[OutdatedRule]:
    return list(db.session.scalars(sa.select(OutdatedRule).order_by(OutdatedRule.words)))


def add_rule(*, words: str, years: int, actor: User) -> OutdatedRule:
    words = " ".join((words or "").split()).lower()
    if not words:
        raise DomainError(_("Say which subject the rule is for: a word its books' subjects or titles carry, like “textbook”."))
    if isinstance(years, bool) or not isinstance(years, int) or not 1 <= years <= 100:
        raise DomainError(_("A rule's age is a whole number of years, from 1 to 100."))
    with unique(_("There is a rule for “%(words)s” already; remove it first to change its age.", words=words)):
        rule = OutdatedRule(words=words[:60], years=years)
        db.session.add(rule)
        db.session.flush()
    audit.record(actor, "outdated_rule.added", rule, words=rule.words, years=years)
    return rule


def remove_rule(rule_id: int, *, actor: User) -> OutdatedRule:
    rule = db.session.get(OutdatedRule, rule_id)
    if rule is None:
        raise NotFound(_("There is no such rule; it may have been removed already."))
    audit.record(actor, "outdated_rule.removed", rule, words=rule.words, years=rule.years)
    db.session.delete(rule)
    db.session.flush()
    return rule


def flags(titles: list[Title], today: date | None = None) -> dict[int, Flag]:
    """The titles (by id) that a rule says may be outdated, with the rule: two queries however many
    titles (the rules, and the catalogue records' subjects of their ISBNs)."""
    dated = [title for title in titles if title is not None and title.year]
    if not dated:
        return {}
    rules = all_rules()
    if not rules:
        return {}
    year = (today or date.today()).year
    known = records.by_isbn([title.isbn13 for title in dated if title.isbn13])
    found: dict[int, Flag] = {}
    for title in dated:
        record = known.get(title.isbn13 or "")
        words = " | ".join(w for w in (title.subject, title.title, record.subjects if record else None) if w)
        age = year - int(title.year or year)
        for rule in rules:
            if age > rule.years and re.search(rf"\b{re.escape(rule.words)}", words, re.IGNORECASE):
                found[title.id] = Flag(rule, age)
                break
    return found
