"""Simulated services: letters and links, codes, SMS and calls, the random source."""

import random

import pytest

from recovery_core.services import (
    CODE_ATTEMPTS,
    CODE_LIFETIME,
    LINK_LIFETIME,
    Code,
    Letter,
    call_for,
    draw,
    letter_view,
    new_code,
    new_token,
    send_letter,
    sms_for,
    use_link,
)


def test_draw_is_pure_and_repeatable():
    """The ``n``-th draw of a seed is ``fn`` on ``random.Random(f"{seed}/{n}")``, every time."""
    a = draw(5, 0, new_code)
    assert a == draw(5, 0, new_code) == new_code(random.Random("5/0"))
    assert len(a) == 6 and a.isdigit()
    token = draw(5, 0, new_token)
    assert token == new_token(random.Random("5/0"))
    assert len(token) == 32 and int(token, 16) >= 0
    assert draw(5, 3, lambda rng: rng) is not draw(5, 3, lambda rng: rng)  # a fresh source each time


def test_draws_are_independent():
    """Another ``n`` or another seed gives another source; earlier draws change nothing."""
    tokens = [draw(5, n, new_token) for n in range(50)]
    assert len(set(tokens)) == 50
    assert len({draw(seed, 0, new_token) for seed in range(50)}) == 50
    # «5/12» is not «51/2»: the separator keeps seed and count apart.
    assert draw(5, 12, new_token) != draw(51, 2, new_token)
    assert draw(-5, 1, new_token) != draw(5, 1, new_token)
    # The n-th draw does not depend on which draws came before it.
    assert draw(5, 7, new_code) == new_code(random.Random("5/7"))


def test_codes_keep_leading_zeros():
    rng = random.Random(0)
    codes = [new_code(rng) for _ in range(2000)]
    assert all(len(c) == 6 and c.isdigit() for c in codes)
    assert any(c.startswith("0") for c in codes)


@pytest.mark.parametrize(
    ("letter", "clock", "status", "left"),
    [
        (Letter("letter-1", "a@b.ru", "t", 0), 0, "active", LINK_LIFETIME),
        (Letter("letter-1", "a@b.ru", "t", 0), LINK_LIFETIME - 1, "active", 1),
        (Letter("letter-1", "a@b.ru", "t", 0), LINK_LIFETIME, "expired", None),
        (Letter("letter-1", "a@b.ru", "t", 100), LINK_LIFETIME + 99, "active", 1),
        (Letter("letter-1", "a@b.ru", "t", 0, used=True), 0, "used", None),
        (Letter("letter-1", "a@b.ru", "t", 0, replaced=True), 0, "replaced", None),
        (Letter("letter-1", "a@b.ru", "t", 0, used=True), LINK_LIFETIME * 2, "used", None),
    ],
)
def test_letter_status(letter, clock, status, left):
    assert letter.status(clock) == status
    assert letter.expires_in(clock) == left


def test_send_letter_replaces_unused_links_only():
    letters = send_letter((), "a@b.ru", "t1", 0)
    status, letters = use_link(letters, "t1", 10)
    assert status == "active" and letters[0].used
    letters = send_letter(letters, "a@b.ru", "t2", 20)
    letters = send_letter(letters, "a@b.ru", "t3", 30)
    assert [(l.id, l.status(30)) for l in letters] == [
        ("letter-1", "used"),
        ("letter-2", "replaced"),
        ("letter-3", "active"),
    ]


@pytest.mark.parametrize(("token", "status"), [("t1", "used"), ("t2", "active"), ("zzz", "invalid"), ("", "invalid")])
def test_use_link(token, status):
    letters = send_letter((), "a@b.ru", "t1", 0)
    _, letters = use_link(letters, "t1", 0)
    letters = send_letter(letters, "a@b.ru", "t2", 0)
    got, after = use_link(letters, token, 5)
    assert got == status
    assert (after != letters) == (status == "active")


def test_code_lifecycle():
    code = Code("123456", "sms", 100)
    assert code.attempts_left == CODE_ATTEMPTS
    assert code.live(100) and code.expires_in(100) == CODE_LIFETIME
    assert code.live(100 + CODE_LIFETIME - 1) and not code.live(100 + CODE_LIFETIME)
    assert code.expires_in(100 + CODE_LIFETIME) is None
    burned = Code("123456", "sms", 100, 0)
    assert not burned.live(100) and not burned.expired(100) and burned.expires_in(100) is None


def test_sms_and_call():
    code = Code("048159", "sms", 65)
    sms = sms_for(code)
    assert (sms.sender, sms.sent_at) == ("Ozon (демо)", 65)
    assert sms.text == "Код для восстановления доступа: 048159. Никому не сообщайте этот код."
    call = call_for(code)
    assert call.transcript == (
        "Здравствуйте! Ваш код подтверждения: 0, 4, 8, 1, 5, 9. Повторяю: 0, 4, 8, 1, 5, 9. Никому не сообщайте этот код."
    )


def test_letter_view():
    letter = Letter("letter-1", "anna@почта.рф", "abc", 3600)
    view = letter_view(letter, 3600)
    assert set(view) == {"id", "sender", "subject", "time", "meta", "body", "link"}
    assert view["sender"] == "Ozon (демо)"
    assert view["time"] == "11:00"
    assert view["meta"] == "Ozon (демо) · 11:00"
    assert view["body"][0] == "Здравствуйте!"
    assert "anna@почта.рф" in view["body"][1]
    assert view["link"] == {
        "action": "open_link",
        "value": "abc",
        "label": "Восстановить доступ",
        "status": "active",
        "status_text": None,
    }


@pytest.mark.parametrize(
    ("letter", "status", "text"),
    [
        (Letter("letter-1", "a@b.ru", "t", 0, used=True), "used", "Ссылка уже использована"),
        (Letter("letter-1", "a@b.ru", "t", 0, replaced=True), "replaced", "Эта ссылка заменена новым письмом"),
        (Letter("letter-1", "a@b.ru", "t", 0), "expired", "Срок действия ссылки истёк"),
    ],
)
def test_letter_view_says_why_a_link_no_longer_works(letter, status, text):
    link = letter_view(letter, LINK_LIFETIME)["link"]
    assert (link["status"], link["status_text"]) == (status, text)
