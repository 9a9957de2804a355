"""The state machines of lots, crates and shipments: one shape, and one function that moves them.

A machine is a table of named moves. Each move says from which states it may be made, the state it
leads to (None: the state stays, as when packing a book into an open crate), the words that refuse
it, and its guards: further rules the subject must meet (a crate must hold books to be sealed).
Services call `MACHINE.move(subject, "seal")`; nothing else checks or sets a status.

Checking a move locks the subject's row first (SELECT … FOR UPDATE on PostgreSQL; SQLite's write
lock is already held from BEGIN IMMEDIATE) and reads its newest committed state, so a check and the
write after it cannot be overtaken by another request: the second of two requests at the same moment
waits for the first and then sees what it did. Rows are always locked in one order, the outer thing
first (shipment, then crate, then lot): a machine names the `outer` rows to lock before its subject,
so two requests never wait for each other in a circle.
"""
from __future__ import annotations

import enum
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any, Generic, TypeVar

from flask_babel import gettext as _

from books2iraq.concurrency import lock
from books2iraq.errors import InvalidTransition
from books2iraq.labels import label

S = TypeVar("S", bound=enum.Enum)
Guard = Callable[[Any], None]  # raises a DomainError when the subject does not meet the rule


@dataclass(frozen=True)
class Move(Generic[S]):
    sources: frozenset[S]
    target: S | None
    refusal: str  # follows "<Subject> is <status>; ", in the language of the page (lazy_gettext)
    guards: tuple[Guard, ...] = ()


class StateMachine(Generic[S]):
    def __init__(
        self,
        name: Callable[[Any], str],
        moves: Mapping[str, Move[S]],
        outer: Callable[[Any], list[Any]] = lambda subject: [],
    ) -> None:
        self.name = name  # what a person calls the subject: "Lot 12", "Crate B2I-C-000003"
        self.moves = dict(moves)
        self.outer = outer  # the rows locked before the subject's own, outermost first (a crate's shipment)

    def allows(self, subject: Any, move: str) -> bool:
        """Whether the subject's state allows the move (its guards are not run)."""
        return subject.status in self.moves[move].sources

    def check(self, subject: Any, move: str) -> Move[S]:
        """The move, or InvalidTransition when the subject's state does not allow it; then its guards.

        The subject (and its outer row) are locked and read afresh first: see the module's doc."""
        step = self.moves[move]
        for record in [*self.outer(subject), subject]:
            if record is not None:
                lock(record)
        if subject.status not in step.sources:
            raise InvalidTransition(_("%(subject)s is %(status)s; %(refusal)s",
                                      subject=self.name(subject), status=label(subject.status), refusal=step.refusal))
        for guard in step.guards:
            guard(subject)
        return step

    def move(self, subject: Any, move: str) -> S:
        """Make the move: check it, then set the new state. Returns the state the subject was in."""
        step = self.check(subject, move)
        previous: S = subject.status
        if step.target is not None:
            subject.status = step.target
        return previous

    def transitions(self) -> dict[S, frozenset[S]]:
        """Every (from, to) change of state the moves allow, as {from: {to, …}} for every state."""
        states = type(next(iter(next(iter(self.moves.values())).sources)))
        table: dict[S, set[S]] = {state: set() for state in states}
        for step in self.moves.values():
            for source in step.sources:
                if step.target is not None and step.target != source:
                    table[source].add(step.target)
        return {source: frozenset(targets) for source, targets in table.items()}

