"""Russian language helpers: plural forms, durations, clock text, digits read out.

Only grammar lives here; the wording itself is in :mod:`recovery_core.messages`.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:  # imported where used: not on the simulator's start-up path
    from decimal import Decimal

__all__ = [
    "plural",
    "count",
    "duration",
    "clock_text",
    "crack_time",
    "digits_spoken",
    "quote",
    "DAY_START",
]

#: The simulated day starts at 10:00 (seconds after midnight).
DAY_START = 10 * 3600


def plural(n: int, one: str, few: str, many: str) -> str:
    """Pick the Russian plural form for ``n``: 1 попытка, 2 попытки, 5 попыток.

    ``one`` is used for 1, 21, 31 … (but not 11), ``few`` for 2–4, 22–24 …
    (but not 12–14), ``many`` for everything else, including 0 and 11–19.
    """
    n = abs(int(n))
    if n % 10 == 1 and n % 100 != 11:
        return one
    if 2 <= n % 10 <= 4 and not 12 <= n % 100 <= 14:
        return few
    return many


def count(n: int, one: str, few: str, many: str) -> str:
    """``n`` followed by the matching form: ``count(21, …) == "21 попытка"``."""
    return f"{n} {plural(n, one, few, many)}"


_NOMINATIVE = (("час", "часа", "часов"), ("минута", "минуты", "минут"), ("секунда", "секунды", "секунд"))
_ACCUSATIVE = (("час", "часа", "часов"), ("минуту", "минуты", "минут"), ("секунду", "секунды", "секунд"))


def duration(seconds: int, *, accusative: bool = False) -> str:
    """Render a span of time in words, with at most two neighbouring units.

    ``duration(135) == "2 минуты 15 секунд"``, ``duration(86340) == "23 часа 59 минут"``
    (seconds are dropped once there are hours). With ``accusative=True`` the form
    fits after «через» or «ещё»: «через 1 минуту 1 секунду». Zero or less is «0 секунд».
    """
    seconds = max(0, int(seconds))
    if seconds == 0:
        return "0 секунд"
    forms = _ACCUSATIVE if accusative else _NOMINATIVE
    hours, rest = divmod(seconds, 3600)
    minutes, secs = divmod(rest, 60)
    if hours:
        parts = ((hours, 0), (minutes, 1))
    elif minutes:
        parts = ((minutes, 1), (secs, 2))
    else:
        parts = ((secs, 2),)
    return " ".join(count(value, *forms[unit]) for value, unit in parts if value)


def clock_text(clock: int) -> str:
    """The simulated time of day, ``hh:mm``; the day starts at 10:00."""
    total = (DAY_START + max(0, int(clock))) % 86400
    return f"{total // 3600:02d}:{total % 3600 // 60:02d}"


_MINUTE = 60
_HOUR = 60 * _MINUTE
_DAY = 24 * _HOUR
_MONTH = 31 * _DAY
_YEAR = 12 * _MONTH
_CENTURY = 100 * _YEAR

_CRACK_UNITS = (
    (_MINUTE, 1, ("секунду", "секунды", "секунд")),
    (_HOUR, _MINUTE, ("минуту", "минуты", "минут")),
    (_DAY, _HOUR, ("час", "часа", "часов")),
    (_MONTH, _DAY, ("день", "дня", "дней")),
    (_YEAR, _MONTH, ("месяц", "месяца", "месяцев")),
    (_CENTURY, _YEAR, ("год", "года", "лет")),
)


def crack_time(seconds: float | Decimal) -> str:
    """How long a guess takes, in Russian, with zxcvbn's own thresholds.

    After «подбор займёт …»: «меньше секунды», «примерно 1 минуту», «примерно
    3 минуты», «примерно 2 часа», «примерно 12 лет», «века».
    """
    from decimal import Decimal  # zxcvbn's own type; zxcvbn has imported it by now

    seconds = Decimal(seconds) if not isinstance(seconds, Decimal) else seconds
    if seconds < 1:
        return "меньше секунды"
    for limit, size, forms in _CRACK_UNITS:
        if seconds < limit:
            return "примерно " + count(round(seconds / size), *forms)
    return "века"


_DIGIT_WORDS = ("ноль", "один", "два", "три", "четыре", "пять", "шесть", "семь", "восемь", "девять")


def digits_spoken(code: str, *, words: bool = False) -> str:
    """A code as an automated voice reads it out: ``"4, 8, 1, 5, 9, 2"``.

    With ``words=True`` the digits are spelled: «четыре, восемь, один…».
    """
    if words:
        return ", ".join(_DIGIT_WORDS[int(c)] for c in code)
    return ", ".join(code)


def quote(text: str) -> str:
    """Put ``text`` in «ёлочки»; quotes inside become „лапки“: «Нажмите „Забыли пароль?“»."""
    return "«" + str(text).replace("«", "„").replace("»", "“") + "»"
