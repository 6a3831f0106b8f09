"""The Russian catalogue: complete, Russian, typographically consistent."""

import re

import pytest

from recovery_core import messages as M
from recovery_core.flow import ACTIONS

CYRILLIC = re.compile(r"[а-яё]", re.IGNORECASE)

ALL_TEXTS = (
    list(M.ERRORS.values())
    + list(M.VALIDATION.values())
    + list(M.FLOW.values())
    + list(M.ZXCVBN_RU.values())
    + list(M.RU_DICTIONARY_WARNINGS.values())
    + list(M.CHECKLIST_LABELS.values())
    + list(M.SUPPORT_CHECKLIST)
    + [v for k, v in M.SCREENS.items() if k not in ("email_placeholder", "phone_placeholder")]
    + list(M.BUTTONS.values())
    + M.letter_body("anna@mail.ru")
    + [M.sms_text("123456"), M.call_transcript("123456"), M.LETTER_FROM, M.LETTER_SUBJECT, M.LINK_LABEL, M.SMS_FROM, M.CALL_FROM]
)

# Words that must be written with «ё» (a reader notices «еще», «придет»).
NEEDS_YO = re.compile(
    r"\b(еще|придет|пришлем|подойдет|истек|сохранен|подтвержден|заменен|включен|введен|найдет|ее)\b"
    r"|надежн|распространенн|учетн|четыр[еe]хзначн",
    re.IGNORECASE,
)


@pytest.mark.parametrize("text", ALL_TEXTS)
def test_yo_where_it_belongs(text):
    assert not NEEDS_YO.search(text), text


@pytest.mark.parametrize("text", ALL_TEXTS)
def test_text_is_russian_and_tidy(text):
    assert CYRILLIC.search(text), text
    assert '"' not in text, "use «ёлочки»"
    assert "  " not in text and text == text.strip()
    assert " ," not in text and " ." not in text.replace(" .ru", "").replace(" .рф", "")
    assert text.count("«") == text.count("»")
    assert "--" not in text and " - " not in text, "use an em dash «—»"


def test_yo_check_works():
    for bad in ("Код придет", "еще раз", "Надежный пароль", "Пароль сохранен.", "Срок истек"):
        assert NEEDS_YO.search(bad)
    for good in ("Код придёт", "ещё раз", "Пароль сохранён.", "Данные сохранены", "введено 2", "истекает"):
        assert not NEEDS_YO.search(good)


def test_placeholders():
    assert M.SCREENS["email_placeholder"] == "name@example.com"
    assert M.SCREENS["phone_placeholder"] == "+7 900 000-00-00"


def test_every_action_has_a_button_label():
    labels = set(M.BUTTONS)
    assert M.LINK_LABEL == "Восстановить доступ"  # open_link is a link in the letter
    for action in set(ACTIONS) - {"open_link"}:
        assert action in labels or any(k.startswith(action) for k in labels), action


@pytest.mark.parametrize(
    ("n", "text"),
    [
        (1, "Неверный код. Осталась 1 попытка."),
        (2, "Неверный код. Осталось 2 попытки."),
        (5, "Неверный код. Осталось 5 попыток."),
        (21, "Неверный код. Осталась 21 попытка."),
    ],
)
def test_attempts_left(n, text):
    assert M.attempts_left(n) == text


@pytest.mark.parametrize(
    ("minimum", "n", "text"),
    [
        (8, 5, "Пароль слишком короткий: нужно не меньше 8 символов, сейчас 5."),
        (1, 0, "Пароль слишком короткий: нужно не меньше 1 символа, сейчас 0."),
        (21, 3, "Пароль слишком короткий: нужно не меньше 21 символа, сейчас 3."),
    ],
)
def test_password_length(minimum, n, text):
    assert M.password_length(minimum, n) == text


def test_wait_before_resend():
    assert M.wait_before_resend("Отправить письмо ещё раз", 1) == "Отправить письмо ещё раз можно через 1 секунду."
    assert M.wait_before_resend("Запросить новый код", 90) == "Запросить новый код можно через 1 минуту 30 секунд."


def test_lookups():
    assert M.error("too_long", limit=5) == "Запрос слишком длинный: не больше 5 символов."
    assert M.validation("phone_ok", display="+7 900 555-44-66") == "Номер подходит: +7 900 555-44-66."
    assert M.flow("signed_out") == "Вы вышли из аккаунта."
    assert M.translate_feedback("Avoid sequences.") == "Избегайте последовательностей."
    assert M.translate_feedback("Unknown English text.") is None
    with pytest.raises(KeyError):
        M.flow("no_such_code")


def test_neutral_wording():
    # No account enumeration: the letter message never says the address is known.
    assert M.FLOW["letter_sent"].startswith("Если такой адрес привязан к аккаунту")
    assert M.FLOW["letter_resent"].startswith("Если такой адрес привязан к аккаунту")
