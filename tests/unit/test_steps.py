"""Steps: one source of truth for ids, numbers and titles."""

import pytest

from recovery_core import MAIN_STEPS, STEPS, TOTAL, StepId
from recovery_core.steps import step

EXPECTED = [
    "open-ozon",
    "sign-out",
    "forgot-password",
    "enter-email",
    "check-inbox",
    "enter-phone",
    "confirm-phone",
    "new-password",
    "sign-in",
    "contact-support",
]


def test_ids_and_order():
    assert [s.id.value for s in STEPS] == EXPECTED
    assert [s.value for s in StepId] == EXPECTED
    assert TOTAL == 9 == len(MAIN_STEPS)
    assert [s.number for s in MAIN_STEPS] == list(range(1, 10))


@pytest.mark.parametrize("info", STEPS, ids=lambda s: s.id.value)
def test_each_step(info):
    assert step(info.id.value) is info
    assert info.anchor == f"step-{info.id.value}"
    assert info.title and info.short and info.title[0].isupper()
    assert info.id.value.isascii() and info.id.value == info.id.value.lower()


def test_unknown_step():
    with pytest.raises(KeyError):
        step("nope")


def test_branch_has_no_number():
    assert step("contact-support").number is None
