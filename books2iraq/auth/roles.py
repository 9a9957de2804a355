from __future__ import annotations

import enum


class Role(enum.StrEnum):
    """Roles are cumulative: admin ⊇ coordinator ⊇ warehouse ⊇ volunteer."""

    VOLUNTEER = "volunteer"
    WAREHOUSE = "warehouse"
    COORDINATOR = "coordinator"
    ADMIN = "admin"

    @property
    def rank(self) -> int:
        return list(Role).index(self)

    def includes(self, other: Role) -> bool:
        return self.rank >= other.rank
