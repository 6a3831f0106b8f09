"""Validators of what the reader types: e-mail, phone number, confirmation code.

Each ``check_*`` returns a frozen verdict with ``ok``, ``value`` (normalised, or
``None``), ``message`` (Russian) and ``code`` (a stable reason, ``None`` when ok).
The password validator lives in :mod:`recovery_core.passwords`.
"""

# Verdicts are frozen dataclasses (DESIGN.md); no `from __future__ import annotations`
# (see the package docstring).

import re
import unicodedata
from dataclasses import asdict, dataclass

import phonenumbers
from phonenumbers import PhoneNumberFormat, PhoneNumberType

from . import messages as M
from .ru import quote

__all__ = [
    "EmailVerdict",
    "PhoneVerdict",
    "CodeVerdict",
    "check_email",
    "check_phone",
    "check_code",
    "format_as_you_type",
    "format_phone",
    "CODE_LENGTH",
    "PASSWORD_MIN_LENGTH",
]

CODE_LENGTH = 6
#: The shortest new password. The password check itself (:mod:`recovery_core.passwords`)
#: is imported at its first use; the screens name this rule before that.
PASSWORD_MIN_LENGTH = 8
_MAX_INPUT = 1000


class Verdict:
    """Base of the check results: JSON-ready as a dict (no fields of its own)."""

    __slots__ = ()

    def as_dict(self) -> dict:
        """The verdict as JSON-ready data."""
        return asdict(self)


@dataclass(frozen=True, slots=True)
class EmailVerdict(Verdict):
    """Result of :func:`check_email`; ``value`` is the ASCII (punycode) form."""

    ok: bool
    value: str | None
    message: str
    code: str | None = None
    display: str | None = None
    #: The likely address when the domain looks like a typo of a common one (never a refusal).
    suggestion: str | None = None


@dataclass(frozen=True, slots=True)
class PhoneVerdict(Verdict):
    """Result of :func:`check_phone`; ``value`` is E.164."""

    ok: bool
    value: str | None
    message: str
    code: str | None = None
    display: str = ""
    complete: bool = False


@dataclass(frozen=True, slots=True)
class CodeVerdict(Verdict):
    """Result of :func:`check_code`; ``value`` is the bare digits."""

    ok: bool
    value: str | None
    message: str
    code: str | None = None


# --- common -----------------------------------------------------------------------

_DASHES = dict.fromkeys(map(ord, "\u2010\u2011\u2012\u2013\u2014\u2015\u2212\ufe58\ufe63"), "-")


def _normalise(text: str) -> str:
    """NFKC (full-width digits and signs, NBSP) and every kind of dash as ``-``."""
    text = unicodedata.normalize("NFKC", text[:_MAX_INPUT])
    text = text.translate(_DASHES)
    # Other scripts' decimal digits (e.g. Arabic-Indic) as ASCII.
    return "".join(
        str(unicodedata.decimal(c)) if not c.isascii() and unicodedata.decimal(c, None) is not None else c for c in text
    )


_FULLWIDTH = {c: c - 0xFEE0 for c in range(0xFF01, 0xFF5F)} | {0x3000: 0x20}


def _narrow(text: str) -> str:
    """Full-width Latin letters, digits and signs (``ａｎｎａ＠…``) as ASCII; then NFC.

    Unlike NFKC this keeps ``™`` or ``①`` as they are, so they can be refused.
    """
    return unicodedata.normalize("NFC", text[:_MAX_INPUT].translate(_FULLWIDTH))


def _strip(text: str) -> str:
    """Trim whitespace, including NBSP and zero-width characters."""
    return text.strip().strip("\u200b\u200c\u200d\u2060\ufeff").strip()


# --- e-mail --------------------------------------------------------------------------

_LOCAL_OK = re.compile(r"[A-Za-z0-9!#$%&'*+/=?^_`{|}~.-]+")
#: An internationalised mailbox (``иван@почта.рф``, RFC 6531): letters, digits and ``._+-``.
_LOCAL_INTL_OK = re.compile(r"[^\W_]+(?:[._+-]+[^\W_]+)*[._+-]*")
_LABEL_OK = re.compile(r"[a-z0-9-]+")


#: Mail domains readers in Russia use most: a domain one or two typos away from one
#: of them is probably it («gmail.con», «mial.ru»), as the well-known mailcheck
#: library suggests. Written here, not imported: mailcheck is JavaScript, and the
#: rule is one distance and two lists.
COMMON_DOMAINS = (
    "gmail.com",
    "mail.ru",
    "yandex.ru",
    "ya.ru",
    "bk.ru",
    "list.ru",
    "inbox.ru",
    "rambler.ru",
    "icloud.com",
    "outlook.com",
    "hotmail.com",
)
#: Real domains close to those above: never "corrected" into them (gmx.com is not gmail.com).
_OTHER_DOMAINS = frozenset(
    {
        "gmx.com",
        "gmx.de",
        "gmx.net",
        "mail.com",
        "email.com",
        "yandex.com",
        "yandex.by",
        "yandex.kz",
        "yandex.ua",
        "yahoo.com",
        "ymail.com",
        "live.com",
        "live.ru",
        "me.com",
        "mac.com",
        "ukr.net",
        "tut.by",
        "mail.ua",
        "list.ua",
        "bk.com",
        "inbox.lv",
        "inbox.lt",
        "outlook.de",
        "hotmail.de",
        "hotmail.fr",
        "hotmail.co.uk",
        "aol.com",
        "msn.com",
        "yandex.net",
        "myrambler.ru",
        "mai.ru",
        "ok.ru",
        "vk.ru",
        "vk.com",
        "ya.ua",
        "ya.by",
        "ya.kz",
    }
)
#: Real zones: a domain in one of them is not "corrected" into another zone (rambler.ua,
#: mail.kz and inbox.eu are addresses of their own); only a misspelt zone is (gmail.con).
_REAL_ZONES = frozenset(
    {
        "ru",
        "su",
        "xn--p1ai",
        "com",
        "net",
        "org",
        "info",
        "biz",
        "edu",
        "gov",
        "io",
        "me",
        "eu",
        "ua",
        "by",
        "kz",
        "uz",
        "kg",
        "tj",
        "tm",
        "am",
        "az",
        "ge",
        "md",
        "ee",
        "lv",
        "lt",
        "de",
        "fr",
        "it",
        "es",
        "pl",
        "cz",
        "fi",
        "uk",
        "us",
        "ca",
        "il",
        "tr",
    }
)


def _distance(a: str, b: str) -> int:
    """Edit distance counting a swap of neighbours as one edit («gmial» → «gmail»)."""
    prev2: list[int] = []
    prev = list(range(len(b) + 1))
    for i, ca in enumerate(a, 1):
        row = [i]
        for j, cb in enumerate(b, 1):
            row.append(min(prev[j] + 1, row[j - 1] + 1, prev[j - 1] + (ca != cb)))
            if i > 1 and j > 1 and ca == b[j - 2] and a[i - 2] == cb:
                row[j] = min(row[j], prev2[j - 2] + 1)
        prev2, prev = prev, row
    return prev[-1]


def suggest_domain(domain: str) -> str | None:
    """The common domain this one is probably a typo of, or ``None``.

    One edit away for short domains (``bk.ru``), two for longer ones; a tie
    between two common domains suggests neither.
    """
    domain = domain.lower()
    if domain in COMMON_DOMAINS or domain in _OTHER_DOMAINS:
        return None
    allowed = 1 if len(domain) <= 6 else 2
    zone = domain.rpartition(".")[2]
    scored = sorted(
        (_distance(domain, d), d) for d in COMMON_DOMAINS if zone not in _REAL_ZONES or d.rpartition(".")[2] == zone
    )
    if not scored:
        return None
    best, name = scored[0]
    second = scored[1][0] if len(scored) > 1 else allowed + 1
    return name if best <= allowed and best < second else None


def _email_fail(code: str) -> EmailVerdict:
    return EmailVerdict(False, None, M.validation(code), code)


def check_email(text: str) -> EmailVerdict:
    """Check and normalise an e-mail address.

    Trims the input, lowercases the domain and converts an internationalised
    domain (``почта.рф``) to its ASCII form (``xn--80a1acny.xn--p1ai``) with the
    stdlib ``idna`` codec; ``display`` keeps the readable Unicode form.
    """
    if not isinstance(text, str):
        return _email_fail("email_empty")
    text = _strip(_narrow(text))
    if not text:
        return _email_fail("email_empty")
    if any(c.isspace() for c in text):
        return _email_fail("email_spaces")
    if "," in text:
        return _email_fail("email_comma")
    if "@" not in text:
        return _email_fail("email_no_at")
    if text.count("@") > 1:
        return _email_fail("email_many_at")
    local, domain = text.split("@")
    if not local:
        return _email_fail("email_no_local")
    if not domain:
        return _email_fail("email_no_domain")
    if not local.isascii():
        # A Cyrillic mailbox is real on a Cyrillic domain (иван@почта.рф); before a
        # Latin domain it is almost always the keyboard layout (фттф@mail.ru).
        letters = any(unicodedata.category(c).startswith("L") for c in local if not c.isascii())
        if letters and domain.isascii():
            return _email_fail("email_local_not_latin")
        local = unicodedata.normalize("NFC", local)
        if domain.isascii() or not _LOCAL_INTL_OK.fullmatch(local):
            return _email_fail("email_local_chars")
    elif not _LOCAL_OK.fullmatch(local):
        return _email_fail("email_local_chars")
    if local.startswith(".") or local.endswith(".") or ".." in local:
        return _email_fail("email_local_dots")
    if len(local) > 64:
        return _email_fail("email_local_long")
    domain = domain.lower()
    if domain.startswith(".") or domain.endswith(".") or ".." in domain:
        return _email_fail("email_domain_dots")
    if "." not in domain:
        return _email_fail("email_domain_dot")
    if any(len(label) > 63 for label in domain.split(".")):
        return _email_fail("email_domain_long")
    try:
        ascii_domain = domain.encode("idna").decode("ascii")
        unicode_domain = ascii_domain.encode("ascii").decode("idna")
    except UnicodeError:
        return _email_fail("email_domain_chars")
    labels = ascii_domain.split(".")
    for label in labels:
        if not _LABEL_OK.fullmatch(label):
            return _email_fail("email_domain_chars")
        if label.startswith("-") or label.endswith("-"):
            return _email_fail("email_domain_hyphen")
    tld = labels[-1]
    if len(tld) < 2 or tld.isdigit():
        return _email_fail("email_domain_tld")
    value = f"{local}@{ascii_domain}"
    if len(value) > 254:
        return _email_fail("email_too_long")
    likely = suggest_domain(ascii_domain)
    if likely is not None:
        suggestion = f"{local}@{likely}"
        return EmailVerdict(
            True,
            value,
            M.validation("email_suggest", address=suggestion),
            None,
            f"{local}@{unicode_domain}",
            suggestion,
        )
    return EmailVerdict(True, value, M.validation("email_ok"), None, f"{local}@{unicode_domain}")


# --- phone -----------------------------------------------------------------------------

_PHONE_ALLOWED = re.compile(r"[0-9+()\-./ ]*")
#: An extension after the number: «доб. 1», «доп. 12», «ext 5», «вн. 3», «#12», «,1».
#: The word alone counts too («доб.»), and while typing so does its start («д», «до»).
_NUMBER_THEN = r"^(?P<number>[0-9+()\-./ ]*\d)[\s,;]*"
_EXTENSION = re.compile(_NUMBER_THEN + r"(?P<ext>(?:доб|доп|ext|вн|x)\.?\s*\d{0,6}|[#,]\s*\d{1,6})$", re.IGNORECASE)
_EXTENSION_STARTED = re.compile(_NUMBER_THEN + r"(?P<ext>до?|ex?|в|#)$", re.IGNORECASE)
_ACCEPTED_TYPES = (PhoneNumberType.MOBILE, PhoneNumberType.FIXED_LINE_OR_MOBILE)
_TYPE_REASONS = {
    PhoneNumberType.FIXED_LINE: "phone_landline",
    PhoneNumberType.TOLL_FREE: "phone_toll_free",
    PhoneNumberType.PREMIUM_RATE: "phone_premium",
}


def format_phone(e164: str) -> str:
    """An E.164 number in the international format: ``+7 900 555-44-66``."""
    number = phonenumbers.parse(e164, None)
    return phonenumbers.format_number(number, PhoneNumberFormat.INTERNATIONAL)


def _dial_string(text: str) -> str:
    """Only the digits, with a leading ``+`` for an international number.

    Russian habits are mapped to ``+7``: a leading trunk ``8`` (``8 912 …``),
    ``7`` without the plus, and a national number without any prefix
    (``912 …``); ``8 10`` is the old international prefix.
    """
    text = _normalise(text)
    plus = text.lstrip().startswith("+")
    digits = "".join(c for c in text if c.isdigit())[:20]
    if plus:
        return "+" + digits
    if not digits:
        return ""
    if digits.startswith("810") and len(digits) > 3:
        return "+" + digits[3:]
    if digits[0] in "78":
        return "+7" + digits[1:]
    return "+7" + digits


def format_as_you_type(text: str) -> str:
    """Format a partly typed number like ``+7 912 345-6``.

    Feeds the digits (with the leading ``+``, see :func:`_dial_string`) to
    ``phonenumbers.AsYouTypeFormatter``.
    """
    if not isinstance(text, str):
        return ""
    dial = _dial_string(text)
    if not dial:
        return ""
    formatter = phonenumbers.AsYouTypeFormatter("RU")
    out = ""
    for c in dial:
        out = formatter.input_digit(c)
    return out.rstrip()


#: Refusals whose number is shown as typed: reformatting would drop or hide what the
#: reader typed (letters, an extension, a stray «+», the extra digits themselves).
_AS_TYPED = ("phone_letters", "phone_plus", "phone_extension", "phone_too_long", "phone_too_long_foreign")


def _phone_fail(code: str, text: str, *, complete: bool = True, message: str | None = None) -> PhoneVerdict:
    if code in ("phone_too_short", "phone_too_long") and not _dial_string(text).startswith("+7"):
        code += "_foreign"
    elif code == "phone_too_long":
        message = M.phone_digits_entered(len(_dial_string(text)) - 2)
    display = text[:_MAX_INPUT] if code in _AS_TYPED else format_as_you_type(text)
    return PhoneVerdict(False, None, message or M.validation(code), code, display, complete)


def check_phone(text: str, old_phone: str | None = None, *, typing: bool = False) -> PhoneVerdict:
    """Check a new phone number, written in any usual Russian way.

    Accepts numbers that can receive an SMS or a call (mobile, or
    "fixed line or mobile" where the numbering plan cannot tell); refuses
    landlines, toll-free, premium-rate and other numbers with a specific
    reason, and the ``old_phone`` (E.164) if given. ``typing=True`` is for
    live checks: an incomplete number gets a gentle «Номер пока неполный».
    ``complete`` is false only while the input is empty or still too short,
    i.e. when the verdict is not final yet.
    """
    if not isinstance(text, str):
        text = ""
    norm = _strip(_normalise(text))
    if not norm:
        return _phone_fail("phone_empty", text, complete=False)
    spaced = " ".join(norm.split())
    if not _PHONE_ALLOWED.fullmatch(spaced):
        extension = _EXTENSION.fullmatch(spaced) or (_EXTENSION_STARTED.fullmatch(spaced) if typing else None)
        if extension and _PHONE_ALLOWED.fullmatch(extension["number"]):
            message = M.validation("phone_extension", extension=quote(extension["ext"]))
            return _phone_fail("phone_extension", text, message=message)
        return _phone_fail("phone_letters", text)
    if norm.count("+") > 1 or (norm.count("+") == 1 and not norm.startswith("+")):
        return _phone_fail("phone_plus", text)
    dial = _dial_string(norm)
    digits = dial.lstrip("+")
    if len(digits) > 15 or len("".join(c for c in norm if c.isdigit())) > 15:
        return _phone_fail("phone_too_long", text)
    try:
        number = phonenumbers.parse(dial, None)
    except phonenumbers.NumberParseException as exc:
        if exc.error_type == phonenumbers.NumberParseException.INVALID_COUNTRY_CODE:
            return _phone_fail("phone_bad_country", text)
        return _phone_fail("phone_typing" if typing else "phone_too_short", text, complete=False)
    reason = phonenumbers.is_possible_number_with_reason(number)
    if reason in (phonenumbers.ValidationResult.TOO_SHORT, phonenumbers.ValidationResult.IS_POSSIBLE_LOCAL_ONLY):
        return _phone_fail("phone_typing" if typing else "phone_too_short", text, complete=False)
    if reason == phonenumbers.ValidationResult.TOO_LONG:
        return _phone_fail("phone_too_long", text)
    if reason == phonenumbers.ValidationResult.INVALID_LENGTH:
        # For +7 only longer numbers get here; elsewhere the length is between
        # the possible ones of the country: too short for some, too long for others.
        if number.country_code == 7:
            return _phone_fail("phone_too_long", text)
        return _phone_fail("phone_typing" if typing else "phone_length_foreign", text, complete=not typing)
    if not phonenumbers.is_valid_number(number):
        return _phone_fail("phone_invalid", text)
    kind = phonenumbers.number_type(number)
    if kind not in _ACCEPTED_TYPES:
        return _phone_fail(_TYPE_REASONS.get(kind, "phone_not_mobile"), text)
    value = phonenumbers.format_number(number, PhoneNumberFormat.E164)
    display = phonenumbers.format_number(number, PhoneNumberFormat.INTERNATIONAL)
    if old_phone is not None and value == old_phone:
        return PhoneVerdict(False, None, M.validation("phone_is_old"), "phone_is_old", display, True)
    return PhoneVerdict(True, value, M.validation("phone_ok", display=display), None, display, True)


# --- code ----------------------------------------------------------------------------

_CODE_SEPARATORS = re.compile(r"[\s\-.]+")


def check_code(text: str) -> CodeVerdict:
    """Check a confirmation code: 6 digits; spaces and dashes between them are fine."""
    if not isinstance(text, str):
        text = ""
    bare = _CODE_SEPARATORS.sub("", _normalise(text))
    if not bare:
        return CodeVerdict(False, None, M.validation("code_empty"), "code_empty")
    if not bare.isascii() or not bare.isdigit():
        return CodeVerdict(False, None, M.validation("code_not_digits"), "code_not_digits")
    if len(bare) != CODE_LENGTH:
        return CodeVerdict(False, None, M.code_digits_entered(CODE_LENGTH, len(bare)), "code_length")
    return CodeVerdict(True, bare, M.validation("code_ok"), None)
