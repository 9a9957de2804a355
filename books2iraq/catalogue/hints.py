"""What an ISBN says of its book with nothing else known, offline: the registration group that issued
it (a country or a language area, from python-stdnum's copy of the International ISBN Agency's
ranges), and so the language the book is most likely in. A suggestion for the sorter, never stored
unasked."""
from __future__ import annotations

from dataclasses import dataclass

from stdnum import numdb

# The language most books of a registration group are in, where one clearly is (groups that publish
# in several languages, such as Morocco or India, are left out: no suggestion beats a wrong one).
GROUP_LANGUAGES = {
    "English language": "en",
    "French language": "fr",
    "German language": "de",
    **dict.fromkeys(
        (
            "Bahrain", "Egypt", "Iraq", "Jordan", "Kuwait", "Lebanon", "Libya", "Oman", "Palestine", "Qatar",
            "Saudi Arabia", "Sudan", "Syria", "United Arab Emirates",
        ),
        "ar",
    ),
    "Iran": "fa",
    "Türkiye": "tr",
    "Israel": "he",
    "Spain": "es",
    "Italy": "it",
    "Netherlands": "nl",
    "Portugal": "pt",
    "Brazil": "pt",
    "Greece": "el",
    "Japan": "ja",
    "China, People's Republic": "zh",
    "Korea, Republic": "ko",
    "Poland": "pl",
    "Sweden": "sv",
    "Denmark": "da",
    "Norway": "nb",
    "Finland": "fi",
}


@dataclass(frozen=True)
class Hint:
    group: str  # "Iraq", "English language"
    language: str | None  # ISO 639-1, when the group suggests one


def hint(isbn13: str | None) -> Hint | None:
    """The registration group of an ISBN-13, and the language it suggests (None: not an ISBN-13, or a
    group the ranges do not know)."""
    if not isbn13 or len(isbn13) != 13 or not isbn13.isdigit():
        return None
    parts = numdb.get("isbn").info(isbn13)
    group = parts[1][1].get("agency") if len(parts) > 1 else None
    if not group:
        return None
    return Hint(group=group, language=GROUP_LANGUAGES.get(group))
