"""Russian grammar helpers: plural forms, durations, clock, crack times."""

from decimal import Decimal

import pytest

from recovery_core import plural
from recovery_core.ru import clock_text, count, crack_time, digits_spoken, duration

ATTEMPT = ("попытка", "попытки", "попыток")


@pytest.mark.parametrize(
    ("n", "expected"),
    [
        (0, "0 попыток"),
        (1, "1 попытка"),
        (2, "2 попытки"),
        (3, "3 попытки"),
        (4, "4 попытки"),
        (5, "5 попыток"),
        (10, "10 попыток"),
        (11, "11 попыток"),
        (12, "12 попыток"),
        (14, "14 попыток"),
        (15, "15 попыток"),
        (21, "21 попытка"),
        (22, "22 попытки"),
        (25, "25 попыток"),
        (101, "101 попытка"),
        (111, "111 попыток"),
        (112, "112 попыток"),
        (122, "122 попытки"),
        (1001, "1001 попытка"),
        (-1, "-1 попытка"),
    ],
)
def test_plural_attempts(n, expected):
    assert f"{n} {plural(n, *ATTEMPT)}" == expected
    assert count(n, *ATTEMPT) == expected


@pytest.mark.parametrize(
    ("n", "forms", "expected"),
    [
        (1, ("год", "года", "лет"), "год"),
        (3, ("год", "года", "лет"), "года"),
        (12, ("год", "года", "лет"), "лет"),
        (31, ("день", "дня", "дней"), "день"),
        (44, ("день", "дня", "дней"), "дня"),
        (13, ("секунда", "секунды", "секунд"), "секунд"),
    ],
)
def test_plural_other_words(n, forms, expected):
    assert plural(n, *forms) == expected


@pytest.mark.parametrize(
    ("seconds", "accusative", "expected"),
    [
        (0, False, "0 секунд"),
        (-5, False, "0 секунд"),
        (1, False, "1 секунда"),
        (1, True, "1 секунду"),
        (21, True, "21 секунду"),
        (22, True, "22 секунды"),
        (45, True, "45 секунд"),
        (60, True, "1 минуту"),
        (61, True, "1 минуту 1 секунду"),
        (135, False, "2 минуты 15 секунд"),
        (300, True, "5 минут"),
        (3600, False, "1 час"),
        (3661, False, "1 час 1 минута"),
        (7200, True, "2 часа"),
        (86340, True, "23 часа 59 минут"),
        (86400, True, "24 часа"),
        (5 * 3600 + 30, False, "5 часов"),
    ],
)
def test_duration(seconds, accusative, expected):
    assert duration(seconds, accusative=accusative) == expected


@pytest.mark.parametrize(
    ("clock", "expected"),
    [
        (0, "10:00"),
        (59, "10:00"),
        (60, "10:01"),
        (3600 * 13 + 60 * 59, "23:59"),
        (3600 * 14, "00:00"),
        (86400, "10:00"),
        (-10, "10:00"),
    ],
)
def test_clock_text(clock, expected):
    assert clock_text(clock) == expected


MINUTE, HOUR, DAY = 60, 3600, 86400
MONTH, YEAR = 31 * DAY, 12 * 31 * DAY


@pytest.mark.parametrize(
    ("seconds", "expected"),
    [
        (0, "меньше секунды"),
        (0.5, "меньше секунды"),
        (1, "примерно 1 секунду"),
        (2, "примерно 2 секунды"),
        (21, "примерно 21 секунду"),
        (MINUTE, "примерно 1 минуту"),
        (21 * MINUTE, "примерно 21 минуту"),
        (59, "примерно 59 секунд"),
        (3 * MINUTE, "примерно 3 минуты"),
        (2 * HOUR, "примерно 2 часа"),
        (5 * DAY, "примерно 5 дней"),
        (4 * MONTH, "примерно 4 месяца"),
        (12 * YEAR, "примерно 12 лет"),
        (1 * YEAR, "примерно 1 год"),
        (22 * YEAR, "примерно 22 года"),
        (100 * YEAR, "века"),
        (Decimal("1e30"), "века"),
    ],
)
def test_crack_time(seconds, expected):
    assert crack_time(seconds) == expected


def test_digits_spoken():
    assert digits_spoken("481592") == "4, 8, 1, 5, 9, 2"
    assert digits_spoken("051") == "0, 5, 1"
    assert digits_spoken("4810", words=True) == "четыре, восемь, один, ноль"


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Вход", "«Вход»"),
        ("Нажмите «Забыли пароль?»", "«Нажмите „Забыли пароль?“»"),
        ("", "«»"),
    ],
)
def test_quote(text, expected):
    from recovery_core.ru import quote

    assert quote(text) == expected
