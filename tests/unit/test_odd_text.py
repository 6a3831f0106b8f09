"""Odd text in the e-mail, phone and code fields, and in a new password: refused with a Russian reason.

These are rules of the core, checked here rather than through the browser; the e2e test
``test_hostile_input_is_inert_and_refused_in_russian`` keeps the markup payloads, which
are about how the page renders what was typed.
"""

from __future__ import annotations

import re

import pytest

from recovery_core import check_code, check_email, check_password, check_phone

CYRILLIC = re.compile(r"[а-яё]", re.IGNORECASE)

ODD = [
    "\u202eтекст\u202c@пример.рф",  # right-to-left override around the text
    "an\u200bna@exa\u200dmple.com",  # zero-width characters inside
    "😀📱🔑",
    "９１２３４ＡＢＣ",  # full-width digits and letters
    "x" * 100_000,
]
CHECKS = {"email": check_email, "phone": check_phone, "code": check_code}


@pytest.mark.parametrize("text", ODD, ids=["rtl", "zero-width", "emoji", "full-width", "100k"])
@pytest.mark.parametrize("field", CHECKS)
def test_odd_text_is_refused_in_russian(field, text):
    verdict = CHECKS[field](text)
    assert not verdict.ok
    assert verdict.code
    assert CYRILLIC.search(verdict.message), verdict.message


@pytest.mark.parametrize("text", ["😀📱🔑", "x" * 100_000])
def test_a_new_password_refuses_what_cannot_be_a_password(text):
    verdict = check_password(text)
    assert not verdict.ok
    assert CYRILLIC.search(verdict.message), verdict.message
