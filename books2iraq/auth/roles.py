from __future__ import annotations

import enum


class Role(enum.StrEnum):
    """The staff's roles are cumulative: admin ⊇ coordinator ⊇ warehouse ⊇ volunteer. The recipient
    stands apart: a librarian of one receiving institution (User.recipient) sees its shipments and
    checks in its crates, and nothing of the staff's; coordinators and admins may do what a recipient
    does, for any recipient (a check-in given over the phone)."""

    VOLUNTEER = "volunteer"
    WAREHOUSE = "warehouse"
    COORDINATOR = "coordinator"
    ADMIN = "admin"
    RECIPIENT = "recipient"

    @property
    def staff(self) -> bool:
        return self is not Role.RECIPIENT

    @property
    def rank(self) -> int:
        return list(Role).index(self)

    def includes(self, other: Role) -> bool:
        if self is Role.RECIPIENT:
            return other is Role.RECIPIENT
        if other is Role.RECIPIENT:
            return self.rank >= Role.COORDINATOR.rank
        return self.rank >= other.rank
