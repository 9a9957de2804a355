"""The words of the search index: Arabic and Kurdish spelt one way, codes found by their parts."""
from __future__ import annotations

from books2iraq.search.index import isbn_words, words


def test_arabic_spelling_variants_become_the_same_words():
    # alef with hamza or madda, ta marbuta, alef maqsura, harakat, tatweel: one form each.
    assert words("أحمد") == words("احمد") == words("إحمد") == ["احمد"]
    assert words("مكتبة المُتَنَبّي") == words("مكتبه المتنبي") == ["مكتبه", "المتنبي"]
    assert words("كتـــاب") == ["كتاب"]
    assert words("مستشفى") == words("مستشفي")
    assert words("آداب") == ["اداب"]


def test_kurdish_is_found_by_its_arabic_spelling_and_its_own():
    assert words("دهۆک") == words("دهوك") == ["دهوك"]
    assert words("کتێبخانەی") == words("كتيبخانهي")
    assert words("هەولێر") == words("ھەولێر") == words("هەولير")


def test_digits_case_and_codes():
    assert words("٩٧٨٣١٦١٤٨٤١٠٠") == ["9783161484100"]  # an ISBN typed in Eastern Arabic digits
    assert words("Salahaddin UNIVERSITY-Erbil") == ["salahaddin", "university", "erbil"]  # words, not a code
    assert words("B2I-C-000041") == ["b2i", "c", "000041", "b2ic000041"]
    assert words("D-2026-000123") == ["d", "2026", "000123", "d2026000123"]
    assert words("Smith & Jones; <b>") == ["smith", "jones", "b"]  # punctuation and markup are not words
    assert words(None, "", "   ") == []


def test_a_book_is_found_by_its_isbn_13_and_its_isbn_10():
    assert isbn_words("9780140449136") == ["9780140449136", "0140449132"]
    assert isbn_words("9798886451740") == ["9798886451740"]  # 979 has no ISBN-10
    assert isbn_words("9780306406157") == ["9780306406157", "0306406152"]
    assert isbn_words("9780804429573") == ["9780804429573", "080442957x"]  # an X check digit, case folded
    assert isbn_words(None) == []
