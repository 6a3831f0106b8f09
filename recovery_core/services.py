"""Simulated services: the mailbox with the recovery letter, the SMS gateway, the voice call.

Pure data and functions. Randomness comes from the session's seed and a count
of draws (:func:`draw`), time from the simulated clock.
"""

# Value types: NamedTuple, and no `from __future__ import annotations` (see the package docstring).

import random
from copy import replace
from typing import NamedTuple

from . import messages as M
from .ru import clock_text

__all__ = [
    "LINK_LIFETIME",
    "LETTER_COOLDOWN",
    "CODE_LIFETIME",
    "CODE_COOLDOWN",
    "CODE_ATTEMPTS",
    "SIGN_IN_ATTEMPTS",
    "SIGN_IN_LOCK",
    "Letter",
    "Sms",
    "Call",
    "Code",
    "draw",
    "new_token",
    "new_code",
    "send_letter",
    "use_link",
    "letter_view",
    "sms_for",
    "call_for",
]

LINK_LIFETIME = 24 * 3600  # the letter's link works for 24 hours
LETTER_COOLDOWN = 60  # «Письмо не пришло»: wait before resending
CODE_LIFETIME = 5 * 60  # a confirmation code works for 5 minutes
CODE_COOLDOWN = 60  # wait before another code
CODE_ATTEMPTS = 3  # wrong attempts before the code is burned
SIGN_IN_ATTEMPTS = 5  # wrong passwords at sign-in before it closes for a while
SIGN_IN_LOCK = 15 * 60  # how long sign-in stays closed after them


def draw(seed: int, n: int, fn):
    """Run ``fn(rng)`` on the ``n``-th random source of ``seed``.

    Each draw has a ``random.Random`` of its own, seeded by ``(seed, n)`` (a string
    seed goes through SHA-512, stable across Python versions), so a session needs
    to remember two integers, not a generator's 625-word state, to be saved and
    restored exactly.
    """
    return fn(random.Random(f"{seed}/{n}"))


def new_token(rng: random.Random) -> str:
    """A one-time link token: 32 hex digits."""
    return f"{rng.getrandbits(128):032x}"


def new_code(rng: random.Random) -> str:
    """A 6-digit confirmation code (leading zeros allowed)."""
    return f"{rng.randrange(10**6):06d}"


class Letter(NamedTuple):
    """A recovery letter in the mailbox, with its one-time link."""

    id: str
    to: str
    token: str
    sent_at: int
    used: bool = False
    replaced: bool = False

    def status(self, clock: int) -> str:
        """``active``, ``used``, ``replaced`` (a newer letter was sent) or ``expired``."""
        if self.used:
            return "used"
        if self.replaced:
            return "replaced"
        if clock - self.sent_at >= LINK_LIFETIME:
            return "expired"
        return "active"

    def expires_in(self, clock: int) -> int | None:
        """Seconds until the link expires, or ``None`` if it is not active."""
        if self.status(clock) != "active":
            return None
        return self.sent_at + LINK_LIFETIME - clock


class Sms(NamedTuple):
    """A text message on the simulated phone."""

    sender: str
    text: str
    sent_at: int
    code: str = ""  # the code it carries (a saved session keeps only this)


class Call(NamedTuple):
    """An incoming call: an automated voice reads the code out, or (``call_number``)
    the code is the last 6 digits of the number that calls."""

    caller: str
    transcript: str
    sent_at: int
    code: str = ""  # the code it carries
    kind: str = "call"  # the channel: ``call`` (a voice) or ``call_number``


class Code(NamedTuple):
    """The current confirmation code."""

    value: str
    channel: str
    sent_at: int
    attempts_left: int = CODE_ATTEMPTS

    def expired(self, clock: int) -> bool:
        """Whether the code's lifetime is over."""
        return clock - self.sent_at >= CODE_LIFETIME

    def live(self, clock: int) -> bool:
        """Whether the code may still be entered."""
        return self.attempts_left > 0 and not self.expired(clock)

    def expires_in(self, clock: int) -> int | None:
        """Seconds until the code expires, or ``None`` if it is not live."""
        if not self.live(clock):
            return None
        return self.sent_at + CODE_LIFETIME - clock


def send_letter(letters: tuple[Letter, ...], to: str, token: str, clock: int) -> tuple[Letter, ...]:
    """Deliver a new letter; older links that were still unused stop working."""
    older = tuple(l if l.used else replace(l, replaced=True) for l in letters)
    return older + (Letter(f"letter-{len(letters) + 1}", to, token, clock),)


def use_link(letters: tuple[Letter, ...], token: str, clock: int) -> tuple[str, tuple[Letter, ...]]:
    """Follow a link: ``(status before, letters after)``; ``invalid`` for an unknown token.

    Only an ``active`` link works, and using it marks it ``used``.
    """
    for i, letter in enumerate(letters):
        if letter.token == token:
            status = letter.status(clock)
            if status == "active":
                letters = letters[:i] + (replace(letter, used=True),) + letters[i + 1 :]
            return status, letters
    return "invalid", letters


def letter_view(letter: Letter, clock: int) -> dict:
    """A letter as the state shows it in ``inbox``."""
    return {
        "id": letter.id,
        "sender": M.LETTER_FROM,
        "subject": M.LETTER_SUBJECT,
        "time": clock_text(letter.sent_at),
        "meta": M.meta_line(M.LETTER_FROM, clock_text(letter.sent_at)),
        "body": M.letter_body(letter.to),
        "link": {
            "action": "open_link",
            "value": letter.token,
            "label": M.LINK_LABEL,
            "status": (status := letter.status(clock)),
            "status_text": M.LINK_STATUS.get(status),
        },
    }


def sms_for(code: Code) -> Sms:
    """The SMS that carries ``code``."""
    return Sms(M.SMS_FROM, M.sms_text(code.value), code.sent_at, code.value)


def call_for(code: Code) -> Call:
    """The call that carries ``code``: read out, or as the end of the calling number."""
    if code.channel == "call_number":
        number = M.calling_number(code.value)
        return Call(number, M.call_number_text(), code.sent_at, code.value, "call_number")
    return Call(M.CALL_FROM, M.call_transcript(code.value), code.sent_at, code.value)
