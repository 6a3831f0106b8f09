"""The Russian catalogue: complete, Russian, typographically consistent."""

import re

import pytest

from recovery_core import messages as M
from recovery_core.flow import ACTIONS
from tests.typography import NEEDS_YO, problems

CYRILLIC = re.compile(r"[а-яё]", re.IGNORECASE)

#: UI templates made only of fields and signs (no words of their own): checked as the
#: reader sees them, filled with what the view and the widget put in.
TEMPLATES = {
    "tab_title": M.ui("tab_title", step=M.page_title(6, 9, "Введите новый номер телефона"), page="Тренажёр"),
    "jump_count": M.ui("jump_count", label=M.UI["jump_inbox"], n=2),
    "sms_meta": M.ui("sms_meta", sender=M.SMS_FROM),
}

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
    + [
        M.sms_text("123456"),
        M.call_transcript("123456"),
        M.LETTER_FROM,
        M.LETTER_SUBJECT,
        M.LINK_LABEL,
        M.SMS_FROM,
        M.CALL_FROM,
    ]
    + [v for k, v in M.UI.items() if k not in TEMPLATES]
    + list(TEMPLATES.values())
    + list(M.LINK_STATUS.values())
    + list(M.STRENGTH)
    + [label for _, label in M.TICKS]
    + [
        M.call_number_text(),
        M.calling_number("123456"),
        M.password_wrong(4),
        M.password_wrong(1),
        M.sign_in_closed(5, "15 минут"),
        M.phone_digits_entered(11),
        M.checklist_length(8),
    ]
)


@pytest.mark.parametrize("text", ALL_TEXTS)
def test_yo_where_it_belongs(text):
    assert not NEEDS_YO.search(text), text


@pytest.mark.parametrize("text", ALL_TEXTS)
def test_no_known_error_english_chrome_or_other_spelling_of_the_shop(text):
    assert problems(text) == [], text


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
        (8, 5, "Пароль слишком короткий: в тренажёре нужно не меньше 8 символов, сейчас 5."),
        (1, 0, "Пароль слишком короткий: в тренажёре нужно не меньше 1 символа, сейчас 0."),
        (21, 3, "Пароль слишком короткий: в тренажёре нужно не меньше 21 символа, сейчас 3."),
    ],
)
def test_password_length(minimum, n, text):
    assert M.password_length(minimum, n) == text


@pytest.mark.parametrize(
    ("n", "text"),
    [
        (1, "Осталась 1 попытка ввода кода."),
        (2, "Осталось 2 попытки ввода кода."),
        (5, "Осталось 5 попыток ввода кода."),
        (21, "Осталась 21 попытка ввода кода."),
    ],
)
def test_attempts_remaining(n, text):
    assert M.attempts_remaining(n) == text


def test_ui_fills_only_the_fields_given():
    """``{time}`` is left for the page; other fields are filled."""
    assert M.ui("button_wait", label="Отправить код ещё раз") == "Отправить код ещё раз через {time}"
    assert M.ui("timer_code") == "Код действует ещё {time}"
    assert M.ui("sms_meta", sender="Ozon (демо)") == "SMS · Ozon (демо)"
    assert M.ui("jump_count", label="↓ Почта", n=2) == "↓ Почта (2)"
    assert M.ui("strength", name=M.STRENGTH[4]) == "Надёжность: высокая"
    with pytest.raises(KeyError):
        M.ui("no_such_key")


def test_countdown_templates_hold_time():
    for key in ("button_wait", "timer_link", "timer_letter_resend", "timer_code", "timer_code_resend"):
        assert M.UI[key].count("{time}") == 1, key
    for key in ("inbox_link_left", "confirm_code_left"):
        assert M.SCREENS[key].count("{time}") == 1, key


def test_where_and_page_title():
    assert M.where(6, 9) == "Шаг 6 из 9"
    assert M.where(None, 9) == "Отдельный случай: нет доступа к почте"
    assert M.page_title(6, 9, "Введите новый номер телефона") == "Шаг 6 из 9. Введите новый номер телефона"
    assert M.page_title(None, 9, "Нет доступа к почте: обратитесь в поддержку") == (
        "Отдельный случай: нет доступа к почте. Нет доступа к почте: обратитесь в поддержку"
    )


def test_meta_line_and_download_size():
    assert M.meta_line(M.SENDER, "10:05") == "Ozon (демо) · 10:05"
    assert M.download_size(7_400_000) == "7 МБ"
    assert M.download_size(7_600_000) == "8 МБ"
    assert M.download_size(0) == M.download_size(300_000) == "1 МБ"  # never «0 МБ»


def test_strength_ticks_and_link_status():
    assert len(M.STRENGTH) == 5 and M.STRENGTH[0] == "очень низкая" and M.STRENGTH[-1] == "высокая"
    seconds = [s for s, _ in M.TICKS]
    assert seconds == sorted(seconds) and seconds[0] == 60 and seconds[-1] == 24 * 3600
    assert set(M.LINK_STATUS) == {"used", "expired", "replaced"}  # an active link needs no words
    assert not hasattr(M, "wait_before_resend")


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
