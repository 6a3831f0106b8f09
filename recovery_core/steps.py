"""The recovery steps: ids, order and Russian titles, defined once.

The ids are part of the public URL scheme (``/guide/#step-<id>``,
``/simulator/?step=<id>``), so they never change.
"""

# Value types: NamedTuple, and no `from __future__ import annotations` (see the package docstring).

from enum import StrEnum
from typing import NamedTuple

__all__ = ["StepId", "Step", "STEPS", "STEP_IDS", "MAIN_STEPS", "TOTAL", "step"]


class StepId(StrEnum):
    """Stable, ASCII, kebab-case ids of the steps."""

    OPEN_OZON = "open-ozon"
    SIGN_OUT = "sign-out"
    FORGOT_PASSWORD = "forgot-password"
    ENTER_EMAIL = "enter-email"
    CHECK_INBOX = "check-inbox"
    ENTER_PHONE = "enter-phone"
    CONFIRM_PHONE = "confirm-phone"
    NEW_PASSWORD = "new-password"
    SIGN_IN = "sign-in"
    CONTACT_SUPPORT = "contact-support"


class Step(NamedTuple):
    """One step: its id, number (1–9, ``None`` for a branch) and Russian titles."""

    id: StepId
    number: int | None
    title: str
    short: str

    @property
    def anchor(self) -> str:
        """The id of the step's section on ``/guide/``."""
        return f"step-{self.id}"


STEPS: tuple[Step, ...] = (
    Step(StepId.OPEN_OZON, 1, "Откройте приложение или сайт Ozon", "Открыть Ozon"),
    Step(StepId.SIGN_OUT, 2, "Выйдите из аккаунта", "Выйти из аккаунта"),
    Step(StepId.FORGOT_PASSWORD, 3, "Нажмите «Забыли пароль?»", "«Забыли пароль?»"),
    Step(StepId.ENTER_EMAIL, 4, "Укажите электронную почту аккаунта", "Ввести почту"),
    Step(StepId.CHECK_INBOX, 5, "Откройте письмо и перейдите по ссылке", "Письмо и ссылка"),
    Step(StepId.ENTER_PHONE, 6, "Введите новый номер телефона", "Новый номер"),
    Step(StepId.CONFIRM_PHONE, 7, "Подтвердите номер кодом из SMS или звонка", "Код из SMS или звонка"),
    Step(StepId.NEW_PASSWORD, 8, "Придумайте новый надёжный пароль", "Новый пароль"),
    Step(StepId.SIGN_IN, 9, "Войдите с новым номером и паролем", "Вход"),
    Step(StepId.CONTACT_SUPPORT, None, "Нет доступа к почте: обратитесь в поддержку", "Нет доступа к почте"),
)

#: Every step's id, in order: what ``?step=`` and ``start`` accept.
STEP_IDS: tuple[str, ...] = tuple(s.id.value for s in STEPS)
MAIN_STEPS: tuple[Step, ...] = tuple(s for s in STEPS if s.number is not None)
TOTAL: int = len(MAIN_STEPS)

_BY_ID = {s.id.value: s for s in STEPS}


def step(step_id: str) -> Step:
    """Return the step with this id; ``KeyError`` for an unknown id."""
    return _BY_ID[str(step_id)]
