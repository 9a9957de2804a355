"""What an ISBN says of its book with nothing else known, offline: the registration group that issued
it (a country or a language area, from python-stdnum's copy of the International ISBN Agency's
ranges), and so the language the book is most likely in. A suggestion for the sorter, never stored
unasked."""
from __future__ import annotations

from dataclasses import dataclass
from functools import cache

from babel import Locale
from stdnum import numdb

from books2iraq.i18n import DEFAULT, chosen_language, cldr

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

    @property
    def group_shown(self) -> str:
        """The group in the language of the page: a country or a language by CLDR's names (Babel's),
        "Iraq" as العراق; as the ranges name it where CLDR has no such name ("Korea, Republic")."""
        code = _cldr_codes().get(self.group)
        if code is None or chosen_language() == DEFAULT:
            return self.group
        names = cldr()
        return str((names.languages if code.islower() else names.territories).get(code, self.group))


@cache
def _cldr_codes() -> dict[str, str]:
    """English name → CLDR code: territories ("Iraq": "IQ") and language areas ("English language": "en")."""
    english = Locale("en")
    return {
        **{name: code for code, name in english.territories.items() if code.isalpha()},
        **{f"{name} language": code for code, name in english.languages.items()},
    }


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
