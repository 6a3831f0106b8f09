"""The recovery flow as a plain transition table and pure functions.

Vocabulary after python-statemachine: the *states* are the steps
(:class:`~recovery_core.steps.StepId`), the *events* are the reader's actions,
each :class:`Transition` has a *guard* (``cond``) that says whether it is
enabled now and an *effect* that computes the new session; a failed
validation keeps the state (the effect reports it with a message).

A :class:`Session` is immutable: :func:`start`, :func:`act` and :func:`tick`
return a new one. The random source is the caller's seed and the count of draws
so far (:func:`~recovery_core.services.draw`), the clock is simulated seconds.
"""

# Value types: NamedTuple, and no `from __future__ import annotations` (see the package docstring).

from collections.abc import Callable
from copy import replace
from typing import NamedTuple

from . import messages as M
from .contract import Action, Channel, FieldName, Level
from .ru import duration, quote
from .services import (
    CODE_ATTEMPTS,
    CODE_COOLDOWN,
    CODE_LIFETIME,
    LETTER_COOLDOWN,
    SIGN_IN_ATTEMPTS,
    SIGN_IN_LOCK,
    Call,
    Code,
    Letter,
    Sms,
    call_for,
    draw,
    new_code,
    new_token,
    send_letter,
    sms_for,
    use_link,
)
from .steps import STEP_IDS, TOTAL, StepId
from .steps import step as step_info
from .validators import check_code, check_email, check_phone, format_phone

__all__ = [
    "ACTIONS",
    "DEFAULT_SEED",
    "DEMO_EMAIL",
    "DEMO_OLD_PHONE",
    "DEMO_NEW_PHONE",
    "DEMO_PASSWORD",
    "MAX_TICK",
    "Message",
    "Session",
    "Transition",
    "TRANSITIONS",
    "BACK",
    "FlowError",
    "start",
    "act",
    "tick",
    "allowed_actions",
    "letter_cooldown",
    "code_cooldown",
    "sign_in_wait",
    "password_inputs",
    "pristine",
]

DEFAULT_SEED = 0
DEMO_EMAIL = "anna.demo@example.com"
DEMO_OLD_PHONE = "+79001112233"
DEMO_NEW_PHONE = "+79005554466"
DEMO_PASSWORD = "Veter-Lodka-2718"
MAX_TICK = 48 * 3600  # one tick advances the clock by at most two days
MAX_CLOCK = 10**9  # the simulated clock stops after ~31 years
MAX_SEED = 2**63  # seeds are within ±MAX_SEED
KEEP_ITEMS = 50  # letters and SMS kept (the newest), so a session stays small

ACTIONS: tuple[str, ...] = tuple(Action)


class Message(NamedTuple):
    """One line in ``state.messages``."""

    level: Level
    text: str
    code: str | None = None
    field: FieldName | None = None  # the field it is about: shown under that field


class Session(NamedTuple):
    """Everything the simulator knows; immutable."""

    step: StepId = StepId.OPEN_OZON
    seed: int = DEFAULT_SEED
    draws: int = 0  # random draws so far (tokens, codes)
    clock: int = 0
    session_active: bool = True
    start_session_active: bool = True
    email: str | None = None  # the readable (Unicode) form
    email_ascii: str | None = None
    old_phone: str = DEMO_OLD_PHONE
    phone: str | None = None  # E.164
    phone_confirmed: bool = False
    password: str | None = None
    demo_password: bool = False
    letters: tuple[Letter, ...] = ()
    letter_sent_at: int | None = None
    sms: tuple[Sms, ...] = ()
    call: Call | None = None
    channel: str | None = None
    code: Code | None = None
    code_sent_at: int | None = None
    email_draft: str = ""
    phone_draft: str = ""
    code_draft: str = ""
    done: bool = False
    #: Wrong passwords at sign-in so far, and when sign-in opens again after too many.
    sign_in_failures: int = 0
    sign_in_closed_until: int | None = None
    messages: tuple[Message, ...] = ()
    error_code: str | None = None

    def say(self, level: Level | str, code: str, text: str, field: FieldName | None = None) -> "Session":
        """The session with one more message."""
        return replace(self, messages=self.messages + (Message(Level(level), text, code, field),))

    def draw(self, fn) -> "tuple[object, Session]":
        """``fn(rng)`` on this session's next random source, and the session after the draw."""
        return draw(self.seed, self.draws, fn), replace(self, draws=self.draws + 1)


class FlowError(Exception):
    """An action that is unknown (``unknown_action``) or not allowed now (``action_not_allowed``)."""

    def __init__(self, code: str):
        super().__init__(code)
        self.code = code


# --- guards -----------------------------------------------------------------------


def letter_cooldown(s: Session) -> int:
    """Seconds left before another letter may be sent (0 if it may)."""
    if s.letter_sent_at is None:
        return 0
    return max(0, s.letter_sent_at + LETTER_COOLDOWN - s.clock)


def code_cooldown(s: Session) -> int:
    """Seconds left before another code may be requested (0 if it may)."""
    if s.code_sent_at is None:
        return 0
    return max(0, s.code_sent_at + CODE_COOLDOWN - s.clock)


def sign_in_wait(s: Session) -> int:
    """Seconds left before sign-in opens again after too many wrong passwords (0 if open)."""
    if s.sign_in_closed_until is None:
        return 0
    return max(0, s.sign_in_closed_until - s.clock)


def _always(s: Session) -> bool:
    return True


def _can_sign_in(s: Session) -> bool:
    return sign_in_wait(s) == 0


def _session_active(s: Session) -> bool:
    return s.session_active


def _no_session(s: Session) -> bool:
    return not s.session_active


def _has_letters(s: Session) -> bool:
    return bool(s.letters)


def _can_resend_letter(s: Session) -> bool:
    return letter_cooldown(s) == 0


def _can_choose(channel: str) -> Callable[[Session], bool]:
    """A code by ``channel`` may be asked for: another channel than now, after the cooldown."""

    def cond(s: Session) -> bool:
        return s.channel != channel and code_cooldown(s) == 0

    cond.__name__ = f"_can_choose_{channel}"
    return cond


def _code_sent(s: Session) -> bool:
    return s.code is not None


def pristine(s: Session) -> bool:
    """Whether nothing has happened yet: a restart would change nothing."""
    return s == _fresh(s.seed, s.start_session_active)


def _can_restart(s: Session) -> bool:
    return not pristine(replace(s, messages=(), error_code=None))


def _can_resend_code(s: Session) -> bool:
    return s.channel is not None and code_cooldown(s) == 0


# --- effects: (session, value) -> (session, moved) -----------------------------------

Effect = Callable[[Session, str], "tuple[Session, bool]"]


def _nothing(s: Session, value: str) -> tuple[Session, bool]:
    return s, True


def _open_app(s: Session, value: str) -> tuple[Session, bool]:
    if s.session_active:
        # Step 2's own screen says it: «…Чтобы восстановить доступ, сначала выйдите из него.»
        return s, True
    return s.say("info", "sign_out_skipped", M.flow("sign_out_skipped")), True


def _sign_out(s: Session, value: str) -> tuple[Session, bool]:
    return replace(s, session_active=False).say("success", "signed_out", M.flow("signed_out")), True


def _deliver_letter(s: Session) -> Session:
    token, s = s.draw(new_token)
    letters = send_letter(s.letters, s.email or "", token, s.clock)[-KEEP_ITEMS:]
    return replace(s, letters=letters, letter_sent_at=s.clock)


def _submit_email(s: Session, value: str) -> tuple[Session, bool]:
    verdict = check_email(value)
    if not verdict.ok:
        return replace(s, email_draft=value).say("error", verdict.code, verdict.message, FieldName.EMAIL), False
    s = replace(s, email=verdict.display, email_ascii=verdict.value, email_draft=verdict.display)
    return _deliver_letter(s).say("info", "letter_sent", M.flow("letter_sent")), True


def _resend_letter(s: Session, value: str) -> tuple[Session, bool]:
    return _deliver_letter(s).say("info", "letter_resent", M.flow("letter_resent")), True


def _open_link(s: Session, value: str) -> tuple[Session, bool]:
    status, letters = use_link(s.letters, value.strip(), s.clock)
    if status != "active":
        return s.say("error", f"link_{status}", M.flow(f"link_{status}")), False
    s = replace(s, letters=letters, phone=None, phone_confirmed=False, channel=None, code=None)
    return s.say("success", "link_opened", M.flow("link_opened")), True


def _submit_phone(s: Session, value: str) -> tuple[Session, bool]:
    verdict = check_phone(value, s.old_phone)
    if not verdict.ok:
        return replace(s, phone_draft=value).say("error", verdict.code, verdict.message, FieldName.PHONE), False
    s = replace(s, phone=verdict.value, phone_draft=verdict.display, channel=None, code=None, code_draft="")
    return s.say("success", "phone_accepted", M.flow("phone_accepted", display=verdict.display)), True


def _send_code(s: Session, channel: str) -> Session:
    value, s = s.draw(new_code)
    code = Code(value, channel, s.clock, CODE_ATTEMPTS)
    s = replace(s, code=code, channel=channel, code_sent_at=s.clock, code_draft="")
    if channel == "sms":
        return replace(s, sms=(s.sms + (sms_for(code),))[-KEEP_ITEMS:])
    return replace(s, call=call_for(code))


def _choose(channel: str) -> Effect:
    def effect(s: Session, value: str) -> tuple[Session, bool]:
        s = _send_code(s, channel)
        return s.say(
            "info", f"code_sent_{channel}", M.flow(f"code_sent_{channel}", display=format_phone(s.phone))
        ), True

    effect.__name__ = f"_choose_{channel}"
    return effect


def _resend_code(s: Session, value: str) -> tuple[Session, bool]:
    s = _send_code(s, s.channel)
    return s.say("info", "code_resent", M.flow(f"code_resent_{s.channel}")), True


def _submit_code(s: Session, value: str) -> tuple[Session, bool]:
    verdict = check_code(value)
    code = s.code
    field = FieldName.CODE
    if not verdict.ok:
        return replace(s, code_draft=value).say("error", verdict.code, verdict.message, field), False
    if code.attempts_left <= 0:
        return replace(s, code_draft="").say("error", "code_burned", M.flow("code_burned"), field), False
    if code.expired(s.clock):
        lifetime = duration(CODE_LIFETIME, accusative=True)
        s = replace(s, code_draft="")
        return s.say("error", "code_expired", M.flow("code_expired", lifetime=lifetime), field), False
    if verdict.value != code.value:
        left = code.attempts_left - 1
        s = replace(s, code=replace(code, attempts_left=left), code_draft="")
        if left == 0:
            return s.say(
                "error", "code_attempts_exhausted", M.flow("code_wrong_last", attempts=CODE_ATTEMPTS), field
            ), False
        return s.say("error", "code_wrong", M.attempts_left(left), field), False
    s = replace(s, phone_confirmed=True, code=None, code_draft="")
    return s.say("success", "phone_confirmed", M.flow("phone_confirmed", display=format_phone(s.phone))), True


def password_inputs(s: Session) -> tuple[str, ...]:
    """What zxcvbn should know about the reader: e-mail and phone numbers."""
    return tuple(x for x in (s.email, s.email_ascii, s.phone, s.old_phone) if x)


def _submit_password(s: Session, value: str) -> tuple[Session, bool]:
    from .passwords import check_password  # at first use, not at the worker's start (~17 ms)

    verdict = check_password(value, password_inputs(s))
    if not verdict.ok:
        return s.say("error", verdict.code, verdict.message, FieldName.PASSWORD), False
    s = replace(s, password=value, demo_password=False)
    return s.say("success", "password_saved", M.flow("password_saved")), True


def _sign_in(s: Session, value: str) -> tuple[Session, bool]:
    if not value:
        return s.say("error", "password_empty", M.validation("password_empty"), FieldName.PASSWORD), False
    if value != s.password:
        failures = s.sign_in_failures + 1
        if failures >= SIGN_IN_ATTEMPTS:
            s = replace(s, sign_in_failures=0, sign_in_closed_until=s.clock + SIGN_IN_LOCK)
            text = M.sign_in_closed(SIGN_IN_ATTEMPTS, duration(SIGN_IN_LOCK, accusative=True))
            return s.say("error", "sign_in_closed", text, FieldName.PASSWORD), False
        s = replace(s, sign_in_failures=failures)
        text = M.password_wrong(SIGN_IN_ATTEMPTS - failures)
        return s.say("error", "password_wrong", text, FieldName.PASSWORD), False
    return replace(s, done=True).say("success", "signed_in", M.flow("signed_in")), True


def _back(s: Session, value: str) -> tuple[Session, bool]:
    if s.step == StepId.CONFIRM_PHONE:
        # The code sent to this number stops working; the number can be changed.
        s = replace(
            s, code=None, channel=None, code_draft="", phone_draft=format_phone(s.phone) if s.phone else s.phone_draft
        )
    return s, True


def _restart(s: Session, value: str) -> tuple[Session, bool]:
    fresh = _fresh(s.seed, s.start_session_active)
    return fresh.say("info", "restarted", M.flow("restarted")), True


# --- the table ------------------------------------------------------------------------


class Transition(NamedTuple):
    """``event`` from ``source`` (``None``: any step) to ``target`` (``None``: stay).

    Enabled when ``cond`` holds (and the flow is not done, except for
    ``restart``); ``effect`` computes the new session and says whether the
    move happens (``False``: validation failed, stay with a message).
    """

    event: str
    source: StepId | None
    target: StepId | None
    cond: Callable[[Session], bool] = _always
    effect: Effect = _nothing


S = StepId

#: Where ``back`` leads (only from these steps).
BACK: dict[StepId, StepId] = {
    S.SIGN_OUT: S.OPEN_OZON,
    S.FORGOT_PASSWORD: S.OPEN_OZON,
    S.ENTER_EMAIL: S.FORGOT_PASSWORD,
    S.CHECK_INBOX: S.ENTER_EMAIL,
    S.CONFIRM_PHONE: S.ENTER_PHONE,
    S.CONTACT_SUPPORT: S.ENTER_EMAIL,
}

#: The transition table; the first enabled row for an event wins.
TRANSITIONS: tuple[Transition, ...] = (
    Transition("open_app", S.OPEN_OZON, S.SIGN_OUT, _session_active, _open_app),
    Transition("open_app", S.OPEN_OZON, S.FORGOT_PASSWORD, _no_session, _open_app),
    Transition("sign_out", S.SIGN_OUT, S.FORGOT_PASSWORD, _always, _sign_out),
    Transition("forgot_password", S.FORGOT_PASSWORD, S.ENTER_EMAIL),
    Transition("submit_email", S.ENTER_EMAIL, S.CHECK_INBOX, _always, _submit_email),
    Transition("no_email_access", S.ENTER_EMAIL, S.CONTACT_SUPPORT),
    Transition("open_link", None, S.ENTER_PHONE, _has_letters, _open_link),
    Transition("resend_letter", S.CHECK_INBOX, None, _can_resend_letter, _resend_letter),
    Transition("no_email_access", S.CHECK_INBOX, S.CONTACT_SUPPORT),
    Transition("submit_phone", S.ENTER_PHONE, S.CONFIRM_PHONE, _always, _submit_phone),
    *(Transition(f"choose_{c.value}", S.CONFIRM_PHONE, None, _can_choose(c.value), _choose(c.value)) for c in Channel),
    Transition("submit_code", S.CONFIRM_PHONE, S.NEW_PASSWORD, _code_sent, _submit_code),
    Transition("resend_code", S.CONFIRM_PHONE, None, _can_resend_code, _resend_code),
    Transition("submit_password", S.NEW_PASSWORD, S.SIGN_IN, _always, _submit_password),
    Transition("sign_in", S.SIGN_IN, None, _can_sign_in, _sign_in),
    *(Transition("back", source, target, _always, _back) for source, target in BACK.items()),
    Transition("restart", None, S.OPEN_OZON, _can_restart, _restart),
)


def _enabled(t: Transition, s: Session) -> bool:
    if t.source is not None and t.source != s.step:
        return False
    if s.done and t.event != "restart":
        return False
    return t.cond(s)


def allowed_actions(s: Session) -> list[str]:
    """The actions that may be sent now, in table order (ends with ``restart`` unless
    nothing has happened yet)."""
    out: list[str] = []
    for t in TRANSITIONS:
        if t.event not in out and _enabled(t, s):
            out.append(t.event)
    return out


def act(s: Session, action: str, value: str | None = None) -> Session:
    """Apply one action; raises :class:`FlowError` if it is unknown or not allowed now.

    The result's ``messages`` hold only what this action said.
    """
    if action not in ACTIONS:
        raise FlowError("unknown_action")
    for t in TRANSITIONS:
        if t.event == action and _enabled(t, s):
            break
    else:
        raise FlowError("action_not_allowed")
    base = replace(s, messages=(), error_code=None)
    new, moved = t.effect(base, value if isinstance(value, str) else "")
    if moved and t.target is not None:
        new = replace(new, step=t.target)
    return new


def tick(s: Session, seconds: float) -> Session:
    """Advance the simulated clock (whole seconds, at most :data:`MAX_TICK`).

    Messages report what expired meanwhile: the code, the letter's link. When
    nothing did, the last action's messages stay: time passing says nothing new.
    """
    seconds = int(min(max(seconds, 0), MAX_TICK))
    clock = min(s.clock + seconds, MAX_CLOCK)
    new = replace(s, clock=clock, messages=(), error_code=None)
    if s.code is not None and s.code.live(s.clock) and s.code.expired(clock):
        new = new.say("warning", "code_expired", M.flow("code_expired_now"))
    if any(l.status(s.clock) == "active" and l.status(clock) == "expired" for l in s.letters):
        new = new.say("warning", "link_expired", M.flow("link_expired_now"))
    if not new.messages:
        new = replace(new, messages=s.messages, error_code=s.error_code)
    return new


# --- start: any step, with consistent demo data -------------------------------------


def _fresh(seed: int, session_active: bool) -> Session:
    return Session(seed=seed, session_active=session_active, start_session_active=session_active)


def _path_to(target: StepId, email: str, phone: str) -> list[tuple[str, Callable[[Session], str]]]:
    """The happy-path actions that lead from ``open-ozon`` to ``target``."""
    path: list[tuple[str, Callable[[Session], str]]] = [
        ("open_app", lambda s: ""),
        ("sign_out", lambda s: ""),
        ("forgot_password", lambda s: ""),
    ]
    if target == S.CONTACT_SUPPORT:
        return path + [("no_email_access", lambda s: "")]
    path += [
        ("submit_email", lambda s: email),
        ("open_link", lambda s: s.letters[-1].token),
        ("submit_phone", lambda s: phone),
        ("choose_sms", lambda s: ""),
        ("submit_code", lambda s: s.code.value),
        ("submit_password", lambda s: DEMO_PASSWORD),
    ]
    return path[: _PATH_LENGTH[target]]


_STEP_IDS = frozenset(STEP_IDS)

#: How many happy-path actions lead to each step.
_PATH_LENGTH = {
    S.OPEN_OZON: 0,
    S.SIGN_OUT: 1,
    S.FORGOT_PASSWORD: 2,
    S.ENTER_EMAIL: 3,
    S.CHECK_INBOX: 4,
    S.ENTER_PHONE: 5,
    S.CONFIRM_PHONE: 6,
    S.NEW_PASSWORD: 8,
    S.SIGN_IN: 9,
}


def start(step: object = None, seed: int | None = None, data: object = None, session: object = None) -> Session:
    """Open the flow at ``step`` (an id; anything else means the first step).

    Steps after the first come with consistent demo data, obtained by playing
    the happy path: e-mail :data:`DEMO_EMAIL`, new number :data:`DEMO_NEW_PHONE`,
    the letter in the inbox, the code sent, a demo password for ``sign-in``.
    ``data`` (``{"email": …, "phone": …}``) replaces the demo e-mail and new
    number when valid; ``session=False`` starts signed out.
    """
    seed = DEFAULT_SEED if seed is None else seed
    active = session is not False
    target = S.OPEN_OZON
    unknown = False
    if step is not None:
        if isinstance(step, str) and step in _STEP_IDS:
            target = S(step)
        else:
            unknown = True

    email, email_draft = DEMO_EMAIL, ""
    phone, phone_draft = DEMO_NEW_PHONE, ""
    if isinstance(data, dict):
        given = data.get("email")
        verdict = check_email(given) if isinstance(given, str) else None
        if verdict is not None and verdict.ok:
            email = email_draft = verdict.display
        given = data.get("phone")
        pverdict = check_phone(given, DEMO_OLD_PHONE) if isinstance(given, str) else None
        if pverdict is not None and pverdict.ok:
            phone, phone_draft = pverdict.value, pverdict.display

    # Later steps are reached by signing out on the way; sign-out itself needs a session.
    s = replace(_fresh(seed, active or target != S.OPEN_OZON), start_session_active=active)
    for action, value in _path_to(target, email, phone):
        s = act(s, action, value(s))
    assert s.step == target, (s.step, target)

    s = replace(
        s,
        messages=(),
        email_draft=email_draft or s.email_draft,
        phone_draft=phone_draft or s.phone_draft,
        demo_password=target == S.SIGN_IN,
    )
    if unknown:
        s = replace(s, error_code="unknown_step").say("warning", "unknown_step", M.flow("unknown_step"))
    s = s.say("info", "training_notice", M.flow("training_notice"))
    info = step_info(target)
    if info.number is None:
        s = s.say("info", "demo_data", M.flow("demo_branch", title=quote(info.title)))
    elif info.number > 1:
        s = s.say("info", "demo_data", M.flow("demo_data", number=info.number, total=TOTAL, title=quote(info.title)))
    return s
