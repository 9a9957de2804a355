"""Domain errors: raised by services, shown to users as they are written (in the language of the page:
services write their messages with gettext)."""
from books2iraq.i18n import N_

CONCURRENT_CHANGE = N_(  # translated where it is shown: _(CONCURRENT_CHANGE)
    "Someone else changed the same books at the same moment, so nothing was saved. Look again and retry."
)


class DomainError(Exception):
    """A rule of the operation was broken; the message is meant for the person at the screen.

    `field` names the input the refusal is about, when it is about one (`received_on`, `isbn`): a page
    shows the message under that field of its form."""

    field: str | None = None

    def __init__(self, message: str = "", *, field: str | None = None) -> None:
        super().__init__(message)
        if field is not None:
            self.field = field


class NotFound(DomainError):
    pass


class Conflict(DomainError):
    """The request contradicts what is recorded already (the API answers 409)."""


class InvalidTransition(Conflict):
    """The record's state does not allow the move."""


def refusal_status(exc: DomainError) -> int:
    """The HTTP status of a refusal: 409 when it contradicts what is recorded, else 422."""
    return 409 if isinstance(exc, Conflict) else 422

