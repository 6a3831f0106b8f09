"""The fast zxcvbn matchers (recovery_core/matching.py) give zxcvbn's answers."""

from __future__ import annotations

import contextlib
import random

import pytest

from recovery_core import check_password
from recovery_core import matching as fast
from recovery_core.passwords import _engine

SYMBOLS = "!$%(+0123456789<@[{|"
#: l33t spellings a reader might use: each letter's most usual symbol.
LEET = str.maketrans({"a": "@", "o": "0", "e": "3", "i": "1", "s": "$", "t": "7", "l": "1", "g": "9"})
INPUTS = ("anna.demo@example.com", "+79005554466", "+79001112233")


def zx():
    """zxcvbn's matching module, with the Russian lists and the fast matchers in place."""
    _engine()
    from zxcvbn import matching

    return matching


@contextlib.contextmanager
def zxcvbns_own():
    """zxcvbn's own matchers while the block runs."""
    matching = zx()
    matching.dictionary_match = fast.ORIGINALS["dictionary_match"]
    matching.l33t_match = fast.ORIGINALS["l33t_match"]
    try:
        yield
    finally:
        fast.install()


def ordinary_passwords() -> list[str]:
    """Passwords as people make them: zxcvbn's most common ones and a spread of the
    rest, as typed, capitalised with a year, in l33t, and a few of their own kinds."""
    common = list(zx().RANKED_DICTIONARIES["passwords"])  # in rank order
    picked = common[:40] + common[40::1000]
    out = []
    for word in picked:
        out += [word, word.capitalize() + "1987", word.translate(LEET), word.translate(LEET) + "!"]
    out += [
        "89123456789",
        "+7 912 345-67-89",
        "Masha19.05.1987",
        "P@$$w0rd1",
        "1q2w3e4r5t6y",
        "Ласточка-Вертолёт-Сирень-42",
        "gfhjkm123",
        "Veter-Lodka-2718",
        "correct horse battery staple",
        "Tr0ub4dor&3",
        "Kx9vQ2mZ8wLp4RtY7nBs3HdF6jGc5VaE1uNq0XeW",
    ]
    return out


def verdict(password):
    v = check_password(password, INPUTS)
    return v.ok, v.code, v.score, v.feedback, v.crack_time, v.checklist


def test_ordinary_passwords_get_zxcvbns_own_verdict():
    passwords = ordinary_passwords()
    readings = [len(fast.readings(zx().relevant_l33t_subtable(p, zx().L33T_TABLE), 10**6)) for p in passwords]
    assert max(readings) <= fast.L33T_READINGS  # so the bound changes nothing for them
    ours = [verdict(p) for p in passwords]
    with zxcvbns_own():
        theirs = [verdict(p) for p in passwords]
    changed = [p for p, a, b in zip(passwords, ours, theirs, strict=True) if a != b]
    assert changed == []
    assert len(passwords) > 250


def random_passwords(seed: int, n: int):
    rnd = random.Random(seed)
    alphabet = "abcdefghijklmnopqrstuvwxyzабвгдеёжзийклмнопрстуфхцчшщыьэюяİ" + SYMBOLS + "ABCZ -."
    words = ["password", "qwerty", "пароль", "masha", "dragon", "monkey", "gfhjkm", *INPUTS, "anna.demo"]
    for _ in range(n):
        parts = [
            rnd.choice(words) if rnd.random() < 0.4 else "".join(rnd.choices(alphabet, k=rnd.randint(1, 6)))
            for _ in range(rnd.randint(1, 5))
        ]
        yield "".join(parts)[:40]


@pytest.mark.parametrize("seed", range(3))
def test_the_dictionary_matches_are_zxcvbns_in_its_order(seed):
    matching = zx()
    dictionaries = matching.RANKED_DICTIONARIES
    dictionaries["user_inputs"] = matching.build_ranked_dict([w.lower() for w in (*INPUTS, "anna", "ab")])
    for password in random_passwords(seed, 150):
        expected = fast.ORIGINALS["dictionary_match"](password, dictionaries)
        assert fast.dictionary_match(password, dictionaries) == expected, password
        with zxcvbns_own():
            reverse = matching.reverse_dictionary_match(password, dictionaries)
        assert matching.reverse_dictionary_match(password, dictionaries) == reverse, password


@pytest.mark.parametrize("seed", range(4))
def test_the_readings_are_zxcvbns_first_ones(seed):
    matching = zx()
    rnd = random.Random(seed)
    for _ in range(500):
        password = "".join(rnd.choices(SYMBOLS + "il", k=rnd.randint(1, 16)))
        table = matching.relevant_l33t_subtable(password, matching.L33T_TABLE)
        theirs = matching.enumerate_l33t_subs(table)
        assert fast.readings(table, 10**6) == theirs
        assert fast.readings(table) == theirs[: fast.L33T_READINGS]


def test_the_l33t_matches_are_zxcvbns_when_within_the_bound():
    matching = zx()
    dictionaries = matching.RANKED_DICTIONARIES
    dictionaries["user_inputs"] = matching.build_ranked_dict([])
    checked = 0
    for password in random_passwords(9, 300):
        table = matching.relevant_l33t_subtable(password, matching.L33T_TABLE)
        if len(matching.enumerate_l33t_subs(table)) > fast.L33T_READINGS:
            continue
        with zxcvbns_own():
            theirs = matching.l33t_match(password, dictionaries)
        assert fast.l33t_match(password, dictionaries) == theirs, password
        checked += 1
    assert checked > 200


def test_a_password_dense_in_symbols_is_bounded():
    """Hundreds of readings in zxcvbn (seconds in Pyodide); at most the bound here."""
    password = "74122$[@%|[l!$7872@3(6@6@<{%923!!<$+i+15"
    table = zx().relevant_l33t_subtable(password, zx().L33T_TABLE)
    assert len(zx().enumerate_l33t_subs(table)) > 20 * fast.L33T_READINGS
    assert len(fast.readings(table)) == fast.L33T_READINGS
    assert check_password(password).ok
