"""Validators: e-mail, phone number, confirmation code, as-you-type formatting."""

import dataclasses

import pytest

from recovery_core import check_code, check_email, check_phone, format_as_you_type
from recovery_core.validators import format_phone

OLD = "+79001112233"
CYRILLIC = set("абвгдеёжзийклмнопрстуфхцчшщъыьэюя")


def is_russian(text: str) -> bool:
    return bool(text) and any(c in CYRILLIC for c in text.lower())


# --- e-mail ----------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "value", "display"),
    [
        ("anna.demo@example.com", "anna.demo@example.com", "anna.demo@example.com"),
        ("  anna.demo@example.com\t", "anna.demo@example.com", "anna.demo@example.com"),
        ("\u00a0anna@mail.ru\u00a0", "anna@mail.ru", "anna@mail.ru"),
        ("Anna.Demo@Example.COM", "Anna.Demo@example.com", "Anna.Demo@example.com"),
        ("anna@почта.рф", "anna@xn--80a1acny.xn--p1ai", "anna@почта.рф"),
        ("иван@почта.рф", "иван@xn--80a1acny.xn--p1ai", "иван@почта.рф"),
        ("Иван.Петров-2@Почта.РФ", "Иван.Петров-2@xn--80a1acny.xn--p1ai", "Иван.Петров-2@почта.рф"),
        ("ёлка@пример.рф", "ёлка@xn--e1afmkfd.xn--p1ai", "ёлка@пример.рф"),
        ("ANNA@ПОЧТА.РФ", "ANNA@xn--80a1acny.xn--p1ai", "ANNA@почта.рф"),
        ("anna@xn--80a1acny.xn--p1ai", "anna@xn--80a1acny.xn--p1ai", "anna@почта.рф"),
        ("anna＠mail.ru", "anna@mail.ru", "anna@mail.ru"),
        ("a+tag@sub.example.co.uk", "a+tag@sub.example.co.uk", "a+tag@sub.example.co.uk"),
        ("o'neil_1-x@my-mail.org", "o'neil_1-x@my-mail.org", "o'neil_1-x@my-mail.org"),
        ("user@пример.испытание", "user@xn--e1afmkfd.xn--80akhbyknj4f", "user@пример.испытание"),
    ],
)
def test_email_accepted(text, value, display):
    v = check_email(text)
    assert v.ok, v.message
    assert v.value == value
    assert v.display == display
    assert v.code is None
    assert is_russian(v.message)


@pytest.mark.parametrize(
    ("text", "code"),
    [
        ("", "email_empty"),
        ("   ", "email_empty"),
        (None, "email_empty"),
        (42, "email_empty"),
        ("anna mail@mail.ru", "email_spaces"),
        ("anna@mail,ru", "email_comma"),
        ("anna.mail.ru", "email_no_at"),
        ("anna@@mail.ru", "email_many_at"),
        ("a@b@mail.ru", "email_many_at"),
        ("@mail.ru", "email_no_local"),
        ("anna@", "email_no_domain"),
        ("фттф@mail.ru", "email_local_not_latin"),
        ("иван™@почта.рф", "email_local_chars"),
        ("ива\u202eн@почта.рф", "email_local_chars"),
        ("ива\u200bн@почта.рф", "email_local_chars"),
        ("ива..н@почта.рф", "email_local_dots"),
        ("✓@почта.рф", "email_local_chars"),
        ("anna™@mail.ru", "email_local_chars"),
        ("an(na)@mail.ru", "email_local_chars"),
        (".anna@mail.ru", "email_local_dots"),
        ("anna.@mail.ru", "email_local_dots"),
        ("an..na@mail.ru", "email_local_dots"),
        ("a" * 65 + "@mail.ru", "email_local_long"),
        ("anna@mail", "email_domain_dot"),
        ("anna@.mail.ru", "email_domain_dots"),
        ("anna@mail.ru.", "email_domain_dots"),
        ("anna@mail..ru", "email_domain_dots"),
        ("anna@" + "a" * 64 + ".ru", "email_domain_long"),
        ("anna@ma_il.ru", "email_domain_chars"),
        ("anna@ma!l.ru", "email_domain_chars"),
        ("anna@xn--zz.ru", "email_domain_chars"),
        ("anna@-mail.ru", "email_domain_hyphen"),
        ("anna@mail-.ru", "email_domain_hyphen"),
        ("anna@mail.r", "email_domain_tld"),
        ("anna@mail.123", "email_domain_tld"),
        ("a" * 60 + "@" + ".".join(["b" * 60] * 4) + ".ru", "email_too_long"),
    ],
)
def test_email_refused(text, code):
    v = check_email(text)
    assert not v.ok
    assert v.value is None
    assert v.code == code
    assert is_russian(v.message)


def test_email_verdict_is_frozen():
    v = check_email("anna@mail.ru")
    with pytest.raises(dataclasses.FrozenInstanceError):
        v.ok = False
    assert v.as_dict() == {
        "ok": True,
        "value": "anna@mail.ru",
        "message": v.message,
        "code": None,
        "display": "anna@mail.ru",
        "suggestion": None,
    }


# --- phone -----------------------------------------------------------------------


@pytest.mark.parametrize(
    "text",
    [
        "+7 912 345-67-89",
        "8 (912) 345-67-89",
        "89123456789",
        "9123456789",
        "79123456789",
        "+7(912)3456789",
        "+7 (912) 345 67 89",
        "８９１２３４５６７８９",
        "＋７ ９１２ ３４５-６７-８９",
        "+7\u00a0912\u00a0345-67-89",
        "+7\u2009912\u2009345\u201167\u201389",
        "8-912-345-67-89",
        "8.912.345.67.89",
        "\t +7 912 345 67 89 \n",
        "+7 912 345 67 89\u200b",
        "٨٩١٢٣٤٥٦٧٨٩",
    ],
)
def test_phone_russian_spellings(text):
    v = check_phone(text, OLD)
    assert v.ok, v.message
    assert v.value == "+79123456789"
    assert v.display == "+7 912 345-67-89"
    assert v.complete is True
    assert v.message == "Номер подходит: +7 912 345-67-89."


@pytest.mark.parametrize(
    ("text", "value", "display"),
    [
        ("+7 701 123 4567", "+77011234567", "+7 701 123 4567"),  # Kazakhstan
        ("+375 29 123-45-67", "+375291234567", "+375 29 123-45-67"),  # Belarus
        ("810 375 29 123-45-67", "+375291234567", "+375 29 123-45-67"),  # old 8-10 prefix
        ("+7 900 555-44-66", "+79005554466", "+7 900 555-44-66"),
        ("+44 7911 123456", "+447911123456", "+44 7911 123456"),
    ],
)
def test_phone_foreign_and_demo(text, value, display):
    v = check_phone(text, OLD)
    assert v.ok, v.message
    assert (v.value, v.display) == (value, display)


@pytest.mark.parametrize(
    ("text", "code", "complete"),
    [
        ("", "phone_empty", False),
        ("   ", "phone_empty", False),
        (None, "phone_empty", False),
        ("+7 495 123-45-67", "phone_landline", True),
        ("8 (3412) 12-34-56", "phone_landline", True),
        ("8 800 555-35-35", "phone_toll_free", True),
        ("8 809 505-12-34", "phone_premium", True),
        ("+7 912 345", "phone_too_short", False),
        ("912", "phone_too_short", False),
        ("+", "phone_too_short_foreign", False),
        ("+375 29 12", "phone_too_short_foreign", False),
        ("+7 912 345 67 890", "phone_too_long", True),
        ("8 912 345 67 89 0", "phone_too_long", True),
        ("+7 912 345 67 89 01 23 45", "phone_too_long", True),
        ("+375 29 123 45 67 89 01 23", "phone_too_long_foreign", True),
        ("+44 7911 1234 5678", "phone_too_long_foreign", True),
        ("+90 532 123 45", "phone_length_foreign", True),
        ("+7 912 345 6", "phone_too_short", False),
        ("abc", "phone_letters", True),
        ("8912abc4567", "phone_letters", True),
        ("8-800-FLOWERS", "phone_letters", True),
        ("+7 912 345 67 89 доб. 12", "phone_extension", True),
        ("7+912 345 67 89", "phone_plus", True),
        ("++7 912 345 67 89", "phone_plus", True),
        ("+999 123 45 67", "phone_bad_country", True),
        ("+7 000 123-45-67", "phone_invalid", True),
        ("+7 900 111-22-33", "phone_is_old", True),
        ("89001112233", "phone_is_old", True),
    ],
)
def test_phone_refused(text, code, complete):
    v = check_phone(text, OLD)
    assert not v.ok
    assert v.value is None
    assert v.code == code
    assert v.complete is complete
    assert is_russian(v.message)


def test_phone_refusals_have_distinct_reasons():
    texts = [
        "+7 495 123-45-67",
        "8 800 555-35-35",
        "8 809 505-12-34",
        "+7 912 345",
        "+7 912 345 67 890",
        "abc",
        "+7 900 111-22-33",
    ]
    messages = {check_phone(t, OLD).message for t in texts}
    assert len(messages) == len(texts)


def test_phone_old_number_only_refused_when_given():
    assert check_phone("+7 900 111-22-33").ok
    assert not check_phone("+7 900 111-22-33", OLD).ok


def test_phone_typing_is_gentle_abroad_too():
    v = check_phone("+90 532 123 45", typing=True)
    assert (v.code, v.complete) == ("phone_typing", False)


def test_phone_typing_is_gentle():
    v = check_phone("+7 912 34", typing=True)
    assert (v.ok, v.code, v.complete, v.message) == (False, "phone_typing", False, "Номер пока неполный.")
    assert v.display == "+7 912 34"
    # A landline is a final verdict even while typing.
    assert check_phone("+7 495 123-45-67", typing=True).code == "phone_landline"


@pytest.mark.parametrize("text", ["abc", "8912abc", "7+912", "+7 912 доб. 5"])
def test_phone_display_keeps_what_cannot_be_formatted(text):
    # The widget writes «display» back into the field: it must not swallow letters.
    assert check_phone(text, typing=True).display == text


def test_phone_verdict_shape():
    d = check_phone("89123456789").as_dict()
    assert set(d) == {"ok", "value", "message", "code", "display", "complete"}


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("", ""),
        (None, ""),
        ("abc", ""),
        ("8", "+7"),
        ("7", "+7"),
        ("89", "+7 9"),
        ("9", "+7 9"),
        ("912", "+7 912"),
        ("8 (912) 345", "+7 912 345"),
        ("8912345678", "+7 912 345-67-8"),
        ("89123456789", "+7 912 345-67-89"),
        ("+7912345678", "+7 912 345-67-8"),
        ("+", "+"),
        ("+375291234567", "+375 29 123-45-67"),
        ("810375", "+375"),
        ("８９１２", "+7 912"),
        ("88005553535", "+7 800 555-35-35"),
    ],
)
def test_format_as_you_type(text, expected):
    assert format_as_you_type(text) == expected


def test_format_phone():
    assert format_phone("+79005554466") == "+7 900 555-44-66"


# --- code --------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "value"),
    [
        ("123456", "123456"),
        ("012345", "012345"),
        (" 123456 ", "123456"),
        ("123 456", "123456"),
        ("123-456", "123456"),
        ("12-34-56", "123456"),
        ("1 2 3 4 5 6", "123456"),
        ("123\u00a0456", "123456"),
        ("123–456", "123456"),
        ("１２３４５６", "123456"),
        ("１２３ ４５６", "123456"),
    ],
)
def test_code_accepted(text, value):
    v = check_code(text)
    assert v.ok
    assert v.value == value


@pytest.mark.parametrize(
    ("text", "code", "message"),
    [
        ("", "code_empty", "Введите код из SMS или звонка."),
        ("  - ", "code_empty", "Введите код из SMS или звонка."),
        (None, "code_empty", "Введите код из SMS или звонка."),
        ("12a456", "code_not_digits", "Код состоит только из цифр."),
        ("код", "code_not_digits", "Код состоит только из цифр."),
        ("1", "code_length", "В коде 6 цифр, а введена 1."),
        ("12", "code_length", "В коде 6 цифр, а введено 2."),
        ("12345", "code_length", "В коде 6 цифр, а введено 5."),
        ("1234567", "code_length", "В коде 6 цифр, а введено 7."),
        ("1" * 21, "code_length", "В коде 6 цифр, а введена 21."),
    ],
)
def test_code_refused(text, code, message):
    v = check_code(text)
    assert (v.ok, v.value, v.code, v.message) == (False, None, code, message)


# --- e-mail typo suggestions (mailcheck's approach) ----------------------------------


@pytest.mark.parametrize(
    ("typed", "suggested"),
    [
        ("anna@gmail.con", "anna@gmail.com"),
        ("anna@gmial.com", "anna@gmail.com"),  # two letters swapped
        ("anna@gmal.com", "anna@gmail.com"),
        ("anna@gmail.co", "anna@gmail.com"),
        ("anna@mial.ru", "anna@mail.ru"),
        ("anna@mail.ry", "anna@mail.ru"),
        ("anna@yandex.ry", "anna@yandex.ru"),
        ("anna@yandx.ru", "anna@yandex.ru"),
        ("anna@ya.ri", "anna@ya.ru"),
        ("anna@bk.ry", "anna@bk.ru"),
        ("anna@lits.ru", "anna@list.ru"),
        ("anna@inbx.ru", "anna@inbox.ru"),
        ("anna@rambler.tu", "anna@rambler.ru"),
        ("anna@icloud.co", "anna@icloud.com"),
        ("anna@outlok.com", "anna@outlook.com"),
        ("anna@hotmial.com", "anna@hotmail.com"),
        ("Anna.Petrova@GMAIL.CON", "Anna.Petrova@gmail.com"),  # the mailbox kept as typed
    ],
)
def test_a_common_domains_typo_gets_a_suggestion_never_a_refusal(typed, suggested):
    v = check_email(typed)
    assert (v.ok, v.suggestion) == (True, suggested)
    assert v.message == f"Проверьте адрес: может быть, вы имели в виду {suggested}?"
    assert check_email(suggested).suggestion is None


@pytest.mark.parametrize(
    "address",
    [
        "anna@gmail.com",
        "anna@mail.ru",
        "anna@yandex.ru",
        "anna@ya.ru",
        "anna@bk.ru",
        "anna@list.ru",
        "anna@inbox.ru",
        "anna@rambler.ru",
        "anna@icloud.com",
        "anna@outlook.com",
        "anna@hotmail.com",
        # real domains near the common ones, and any other domain: left alone
        "anna@gmx.com",
        "anna@mail.com",
        "anna@yandex.com",
        "anna@yahoo.com",
        "anna@live.ru",
        "anna@me.com",
        "anna@ukr.net",
        "anna@list.ua",
        "anna@example.com",
        "anna@company.ru",
        "anna@почта.рф",
        "anna@university.edu",
        "anna@myrambler.ru",
        "anna@rambler.ua",
        "anna@inbox.ua",
        "anna@inbox.eu",
        "anna@mail.kz",
        "anna@mail.by",
        "anna@mail.ee",
        "anna@list.by",
        "anna@yandex.uz",
        "anna@yandex.am",
        "anna@mai.ru",
        "anna@ok.ru",
        "anna@vk.ru",
    ],
)
def test_a_correct_address_gets_no_suggestion(address):
    v = check_email(address)
    assert (v.ok, v.suggestion, v.message) == (True, None, "Формат адреса правильный.")


@pytest.mark.parametrize(
    ("typed", "shown"),
    [
        ("+7 916 123 45 67 доб. 1", "«доб. 1»"),
        ("89161234567 доб.12", "«доб.12»"),
        ("+7 916 123-45-67, доп. 3", "«доп. 3»"),
        ("+7 916 123 45 67 ext 1", "«ext 1»"),
        ("+44 7911 123456 ext. 2", "«ext. 2»"),
        ("+7 916 123-45-67 #12", "«#12»"),
        ("+7 916 123 45 67 доб.", "«доб.»"),  # the word alone
        ("+7 916 123 45 67 ext", "«ext»"),
    ],
)
def test_an_extension_is_explained_and_kept_as_typed(typed, shown):
    for typing in (True, False):
        v = check_phone(typed, typing=typing)
        assert (v.ok, v.code, v.display) == (False, "phone_extension", typed)
        assert v.message == f"Добавочный номер здесь не нужен: код приходит на сам мобильный. Уберите {shown}."


@pytest.mark.parametrize(
    "typed", ["+7 916 123 45 67 д", "+7 916 123 45 67 до", "89161234567 e", "+7 916 123 45 67 в", "+7 916 123 45 67 #"]
)
def test_an_extension_half_typed_is_explained_while_typing(typed):
    """The first letters of «доб.» already get the extension's message, not «только цифры»;
    submitted as they are, they are just letters."""
    assert check_phone(typed, typing=True).code == "phone_extension"
    assert check_phone(typed).code == "phone_letters"
    assert check_phone(typed.rsplit(" ", 1)[0] + " да", typing=True).code == "phone_letters"


@pytest.mark.parametrize(
    ("typed", "n"),
    [
        ("+7 916 123 45 678", "введено 11"),
        ("8 916 123 45 67 89", "введено 12"),
        ("+7 916 1234567 89 01 2", "введено 15"),
    ],
)
def test_an_over_long_number_keeps_its_formatting_and_says_how_many_digits(typed, n):
    v = check_phone(typed, typing=True)
    assert (v.code, v.display) == ("phone_too_long", typed)
    assert v.message == f"В номере лишние цифры: после +7 должно быть 10 цифр, а {n}."
