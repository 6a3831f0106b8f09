"""A session as plain JSON data, and back: what lets a reload restore the reader's place.

:func:`dump` gives everything the simulator knows except any password (the
reader's new password is never written down; a restored session that needed it
goes back to the step where it is chosen). :func:`load` takes such data back and
checks it like any other input: it comes from the browser's storage, which a
reader, an extension or an older version of this site may have changed.
Anything that is not a session this core could have produced raises
:class:`SavedError`, never anything else.
"""

from __future__ import annotations

import re
from copy import replace

from . import flow
from . import messages as M
from .contract import Channel
from .flow import DEMO_OLD_PHONE, DEMO_PASSWORD, Session
from .services import CODE_ATTEMPTS, SIGN_IN_ATTEMPTS, SIGN_IN_LOCK, Call, Code, Letter, call_for, sms_for
from .steps import StepId
from .validators import check_email, check_phone

__all__ = ["FORMAT", "SavedError", "dump", "load"]

#: Bumped whenever the shape below changes: older data is refused, not misread.
FORMAT = 1
#: Bounds on what a session can hold (far above what a reader produces).
MAX_ITEMS = 500
MAX_CLOCK = flow.MAX_CLOCK
MAX_DRAWS = 10**9
MAX_SEED = flow.MAX_SEED

_TOKEN = re.compile(r"[0-9a-f]{32}")
_CODE = re.compile(r"[0-9]{6}")
S = StepId
_NEEDS_EMAIL = {S.CHECK_INBOX, S.ENTER_PHONE, S.CONFIRM_PHONE, S.NEW_PASSWORD, S.SIGN_IN}
_NEEDS_PHONE = {S.CONFIRM_PHONE, S.NEW_PASSWORD, S.SIGN_IN}
_NEEDS_CONFIRMED = {S.NEW_PASSWORD, S.SIGN_IN}


class SavedError(ValueError):
    """The data is not a session this core can take back."""


def dump(s: Session) -> dict:
    """The session as JSON-ready data, without any password or message."""
    code = s.code
    return {
        "format": FORMAT,
        "step": s.step.value,
        "seed": s.seed,
        "draws": s.draws,
        "clock": s.clock,
        "session_active": s.session_active,
        "start_session_active": s.start_session_active,
        "email": s.email,
        "phone": s.phone,
        "phone_confirmed": s.phone_confirmed,
        "password_set": s.password is not None or s.done,
        "demo_password": s.demo_password,
        "letters": [[l.to, l.token, l.sent_at, l.used, l.replaced] for l in s.letters],
        "letter_sent_at": s.letter_sent_at,
        "sms": [[m.code, m.sent_at] for m in s.sms],
        # A voice call as FORMAT 1 first had it; a call whose number carries the code says so.
        "call": None
        if s.call is None
        else [s.call.code, s.call.sent_at] + ([s.call.kind] if s.call.kind != Channel.CALL else []),
        "channel": s.channel,
        "code": None if code is None else [code.value, code.channel, code.sent_at, code.attempts_left],
        "code_sent_at": s.code_sent_at,
        "drafts": [s.email_draft, s.phone_draft, s.code_draft],
        "done": s.done,
        "sign_in": [s.sign_in_failures, s.sign_in_closed_until],
    }


# --- checks --------------------------------------------------------------------------


def _int(value: object, low: int, high: int) -> int:
    if isinstance(value, bool) or not isinstance(value, int) or not low <= value <= high:
        raise SavedError("integer out of range")
    return value


def _time(value: object, clock: int) -> int:
    return _int(value, 0, clock)


def _optional_time(value: object, clock: int) -> int | None:
    return None if value is None else _time(value, clock)


def _bool(value: object) -> bool:
    if not isinstance(value, bool):
        raise SavedError("not a boolean")
    return value


def _str(value: object) -> str:
    if not isinstance(value, str):
        raise SavedError("not a string")
    return value


def _list(value: object, length: int | None = None) -> list:
    if not isinstance(value, list) or len(value) > MAX_ITEMS or (length is not None and len(value) != length):
        raise SavedError("not a list of the right length")
    return value


def _match(pattern: re.Pattern, value: object) -> str:
    if not isinstance(value, str) or not pattern.fullmatch(value):
        raise SavedError("malformed token or code")
    return value


def _email(value: object) -> tuple[str, str] | None:
    """The readable and the ASCII form of a valid address."""
    if value is None:
        return None
    verdict = check_email(_str(value))
    if not verdict.ok:
        raise SavedError("invalid e-mail")
    return verdict.display, verdict.value


def load(data: object) -> Session:
    """The session ``data`` (from :func:`dump`) describes; :class:`SavedError` if it is
    not one this core could have produced.

    A session at the sign-in step whose password was the reader's own (never saved)
    comes back at the step where a new password is chosen, with a notice.
    """
    if not isinstance(data, dict):
        raise SavedError("not an object")
    if data.get("format") != FORMAT:
        raise SavedError("another format")
    try:
        step = StepId(data.get("step"))
    except ValueError:
        raise SavedError("unknown step") from None
    clock = _int(data.get("clock"), 0, MAX_CLOCK)
    email = _email(data.get("email"))
    phone = data.get("phone")
    if phone is not None:
        verdict = check_phone(_str(phone), DEMO_OLD_PHONE)
        if not verdict.ok or verdict.value != phone:
            raise SavedError("invalid phone number")
    letters = []
    for i, item in enumerate(_list(data.get("letters"))):
        to, token, sent_at, used, replaced = _list(item, 5)
        address = _email(to)
        if address is None:
            raise SavedError("a letter without an address")
        letters.append(
            Letter(
                f"letter-{i + 1}",
                address[0],
                _match(_TOKEN, token),
                _time(sent_at, clock),
                _bool(used),
                _bool(replaced),
            )
        )
    sms = []
    for item in _list(data.get("sms")):
        value, sent_at = _list(item, 2)
        sms.append(sms_for(Code(_match(_CODE, value), Channel.SMS, _time(sent_at, clock))))
    call: Call | None = None
    if data.get("call") is not None:
        item = _list(data.get("call"))
        if len(item) not in (2, 3) or (len(item) == 3 and item[2] != Channel.CALL_NUMBER):
            raise SavedError("not a call")
        kind = Channel(item[2]) if len(item) == 3 else Channel.CALL
        call = call_for(Code(_match(_CODE, item[0]), kind, _time(item[1], clock)))
    channel = data.get("channel")
    if channel is not None and channel not in tuple(Channel):
        raise SavedError("unknown channel")
    code = None
    if data.get("code") is not None:
        value, code_channel, sent_at, attempts = _list(data.get("code"), 4)
        if code_channel != channel:
            raise SavedError("the code came by another channel")
        code = Code(
            _match(_CODE, value), Channel(code_channel), _time(sent_at, clock), _int(attempts, 0, CODE_ATTEMPTS)
        )
        if code.channel != Channel.SMS and (call is None or call.kind != code.channel):
            raise SavedError("a code by call without that call")
    email_draft, phone_draft, code_draft = (_str(d) for d in _list(data.get("drafts"), 3))
    # Added after FORMAT 1 was published: data saved before it has no "sign_in", and
    # means no wrong password yet (a reader's place is not lost to an upgrade).
    failures, closed_until = _list(data.get("sign_in", [0, None]), 2)
    failures = _int(failures, 0, SIGN_IN_ATTEMPTS - 1)
    closed_until = None if closed_until is None else _int(closed_until, 0, clock + SIGN_IN_LOCK)
    s = Session(
        step=step,
        seed=_int(data.get("seed"), -MAX_SEED, MAX_SEED),
        draws=_int(data.get("draws"), 0, MAX_DRAWS),
        clock=clock,
        session_active=_bool(data.get("session_active")),
        start_session_active=_bool(data.get("start_session_active")),
        email=email[0] if email else None,
        email_ascii=email[1] if email else None,
        phone=phone,
        phone_confirmed=_bool(data.get("phone_confirmed")),
        demo_password=_bool(data.get("demo_password")),
        letters=tuple(letters),
        letter_sent_at=_optional_time(data.get("letter_sent_at"), clock),
        sms=tuple(sms),
        call=call,
        channel=channel,
        code=code,
        code_sent_at=_optional_time(data.get("code_sent_at"), clock),
        email_draft=email_draft,
        phone_draft=phone_draft,
        code_draft=code_draft,
        done=_bool(data.get("done")),
        sign_in_failures=failures,
        sign_in_closed_until=closed_until,
    )
    _consistent(s)
    if s.step == S.SIGN_IN and not s.done:
        if s.demo_password:
            return replace(s, password=DEMO_PASSWORD)
        return replace(s, step=S.NEW_PASSWORD).say("info", "password_not_kept", M.flow("password_not_kept"))
    return s


def _consistent(s: Session) -> None:
    """What every session the flow produces holds; the view relies on it."""
    if s.step in _NEEDS_EMAIL and s.email is None:
        raise SavedError("a step past the e-mail without one")
    if s.step == S.CHECK_INBOX and not s.letters:
        raise SavedError("the inbox step without a letter")
    if s.step in _NEEDS_PHONE and s.phone is None:
        raise SavedError("a step past the phone number without one")
    if s.step in _NEEDS_CONFIRMED and not s.phone_confirmed:
        raise SavedError("a step past the confirmation without it")
    if s.code is not None and s.step != S.CONFIRM_PHONE:
        raise SavedError("a code outside the confirmation step")
    if s.channel is not None and s.code_sent_at is None:
        raise SavedError("a channel without a code sent")
    if s.done and s.step != S.SIGN_IN:
        raise SavedError("done before the last step")
