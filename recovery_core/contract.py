"""The contract between the core and the browser widget, as types.

The widget (``web/widget.js``) is a generic renderer of these shapes: every
Russian text and every rule lives on this side. The enums are ``StrEnum``, so
their members are the very strings that cross the JSON boundary; the
``TypedDict`` classes document (and let a type checker verify) what
:func:`recovery_core.view.render` and :func:`recovery_core.protocol.respond`
produce. ``DESIGN.md``'s protocol section is the prose version of this file.

No ``from __future__ import annotations`` here: with it, ``TypedDict`` turns each
annotation into a ``typing.ForwardRef``, compiling its text at import (about 4 of the
8 ms this module took to import in Pyodide under Node); every name the annotations
use is defined above them.
"""

from enum import StrEnum
from typing import Literal, TypedDict

__all__ = [
    "Op",
    "Action",
    "Level",
    "ErrorCode",
    "INTERNAL",
    "Channel",
    "LinkStatus",
    "FieldName",
    "ButtonKind",
    "Countdown",
    "Button",
    "FieldView",
    "Screen",
    "MessageView",
    "LetterLink",
    "LetterView",
    "SmsView",
    "CallView",
    "Device",
    "State",
    "ErrorInfo",
    "StateReply",
    "VerdictReply",
    "ErrorReply",
    "Reply",
]


class Op(StrEnum):
    """What a request asks for."""

    START = "start"  # open the flow at a step (or the first)
    ACT = "act"  # the reader pressed something
    CHECK = "check"  # live validation while typing; changes nothing
    TICK = "tick"  # simulated time passes
    RESTORE = "restore"  # take back a session handed out as ``saved``


class Action(StrEnum):
    """What the reader can do (the events of the flow)."""

    OPEN_APP = "open_app"
    SIGN_OUT = "sign_out"
    FORGOT_PASSWORD = "forgot_password"
    SUBMIT_EMAIL = "submit_email"
    NO_EMAIL_ACCESS = "no_email_access"
    OPEN_LINK = "open_link"
    RESEND_LETTER = "resend_letter"
    SUBMIT_PHONE = "submit_phone"
    CHOOSE_SMS = "choose_sms"
    CHOOSE_CALL = "choose_call"
    CHOOSE_CALL_NUMBER = "choose_call_number"
    SUBMIT_CODE = "submit_code"
    RESEND_CODE = "resend_code"
    SUBMIT_PASSWORD = "submit_password"
    SIGN_IN = "sign_in"
    BACK = "back"
    RESTART = "restart"


class ErrorCode(StrEnum):
    """What a refused request says went wrong: the codes the page may act on.

    The finer reasons the core tells apart (a field of the wrong type, too deep,
    one value too long) are answered with ``BAD_REQUEST`` and ``TOO_LONG``.
    """

    BAD_JSON = "bad_json"
    BAD_REQUEST = "bad_request"
    TOO_LONG = "too_long"
    UNKNOWN_OP = "unknown_op"
    UNKNOWN_FIELD = "unknown_field"
    UNKNOWN_ACTION = "unknown_action"
    ACTION_NOT_ALLOWED = "action_not_allowed"
    NO_SESSION = "no_session"
    BAD_SAVED = "bad_saved"


#: The code of a reply to a request the core failed on: a bug in the core, never a
#: valid answer to any request (the tests fail on it); the page offers to start over.
INTERNAL = "internal"


class Level(StrEnum):
    """How a message is shown."""

    INFO = "info"
    SUCCESS = "success"
    WARNING = "warning"
    ERROR = "error"


class Channel(StrEnum):
    """How the confirmation code arrives."""

    SMS = "sms"
    CALL = "call"  # an automated voice reads the code out (the source text)
    CALL_NUMBER = "call_number"  # the code is the last 6 digits of the calling number (Ozon's help)


class LinkStatus(StrEnum):
    """The state of a letter's one-time link."""

    ACTIVE = "active"
    USED = "used"
    REPLACED = "replaced"
    EXPIRED = "expired"
    INVALID = "invalid"  # a token no letter carries


class FieldName(StrEnum):
    """The fields a ``check`` request may name."""

    EMAIL = "email"
    PHONE = "phone"
    CODE = "code"
    PASSWORD = "password"


ButtonKind = Literal["primary", "secondary", "link"]


class Countdown(TypedDict):
    """A text that counts down in real time on the page.

    ``template`` holds ``{time}``, which the page fills with ``seconds`` less the
    real time since the state arrived, as ``m:ss``; at zero the page sends a
    ``tick`` and renders the state that comes back.
    """

    seconds: int
    template: str


class Button(TypedDict):
    action: Action
    label: str
    kind: ButtonKind
    uses_field: bool
    #: Set while the button waits for a cooldown: it is disabled and shows this instead.
    countdown: Countdown | None


class FieldView(TypedDict):
    name: FieldName
    label: str
    type: str
    inputmode: str
    autocomplete: str
    value: str
    placeholder: str


class Screen(TypedDict):
    heading: str
    #: What leads to the controls (above them).
    text: list[str]
    countdowns: list[Countdown]
    field: FieldView | None
    buttons: list[Button]
    #: The rest of the explanation (below the controls).
    hints: list[str]
    list: list[str] | None
    #: Repeated beside the field where the side panels are out of sight (phones, the
    #: dock): the newest letter (``letter``) or SMS/call (``device``).
    aside: Literal["letter", "device"] | None


class MessageView(TypedDict):
    level: Level
    text: str
    code: str | None
    #: The field the message is about: shown under it, not in the message box.
    field: FieldName | None


class LetterLink(TypedDict):
    action: Action
    value: str
    label: str
    status: LinkStatus
    status_text: str | None


class LetterView(TypedDict):
    id: str
    sender: str
    subject: str
    time: str
    #: «sender · time», as shown above the letter.
    meta: str
    body: list[str]
    link: LetterLink


class SmsView(TypedDict):
    meta: str
    text: str


class CallView(TypedDict):
    meta: str
    text: str


class Device(TypedDict):
    sms: list[SmsView]
    call: CallView | None
    #: The newest SMS or call, repeated next to the code field on narrow screens.
    latest: SmsView | CallView | None


class State(TypedDict):
    """What the widget renders (``{"ok": true, "state": …}``)."""

    step: str
    number: int | None
    total: int
    title: str
    #: «Шаг 6 из 9» or the branch's name: the widget's step line.
    where: str
    #: For the tab: names the step.
    page_title: str
    actions: list[Action]
    screen: Screen
    #: Results of the last action, shown on the screen.
    messages: list[MessageView]
    #: About the simulator itself (a demo start, a restart): shown above the screen.
    notices: list[MessageView]
    inbox: list[LetterView]
    device: Device
    timers: list[Countdown]
    attempts_left: int | None
    data: dict
    clock: int
    clock_text: str
    done: bool
    branch: str | None
    error_code: str | None


class ErrorInfo(TypedDict):
    code: str  # an ErrorCode, or INTERNAL
    message: str


class StateReply(TypedDict):
    ok: Literal[True]
    id: object
    state: State
    #: The session, serialisable and without any password: handed back by ``restore``.
    saved: dict


class VerdictReply(TypedDict):
    ok: Literal[True]
    id: object
    verdict: dict


class ErrorReply(TypedDict):
    ok: Literal[False]
    id: object
    error: ErrorInfo


Reply = StateReply | VerdictReply | ErrorReply
