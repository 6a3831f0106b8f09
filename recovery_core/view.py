"""The state the browser widget renders: a JSON-ready view of a :class:`Session`."""

from __future__ import annotations

from . import messages as M
from .contract import Button, Channel, Countdown, Device, Screen, State
from .flow import (
    DEMO_EMAIL,
    DEMO_NEW_PHONE,
    DEMO_PASSWORD,
    Session,
    allowed_actions,
    code_cooldown,
    letter_cooldown,
    sign_in_wait,
)
from .ru import clock_text
from .services import CODE_ATTEMPTS, letter_view
from .steps import STEPS, TOTAL, StepId
from .steps import step as step_info
from .validators import PASSWORD_MIN_LENGTH, format_phone

__all__ = ["render", "browser_texts"]

S = StepId


def _button(
    action: str, label_key: str | None = None, kind: str = "secondary", uses_field: bool = False, wait: int = 0
) -> Button:
    """A button of the screen; ``wait``: seconds of a cooldown it shows as a countdown."""
    label = M.BUTTONS[label_key or action]
    countdown = _countdown(wait, M.ui("button_wait", label=label)) if wait else None
    return {"action": action, "label": label, "kind": kind, "uses_field": uses_field, "countdown": countdown}


def _countdown(seconds: int, template: str) -> Countdown:
    return {"seconds": int(seconds), "template": template}


def _field(name: str, label: str, type_: str, inputmode: str, autocomplete: str, value: str, placeholder: str) -> dict:
    return {
        "name": name,
        "label": label,
        "type": type_,
        "inputmode": inputmode,
        "autocomplete": autocomplete,
        "value": value,
        "placeholder": placeholder,
    }


def _screen(s: Session) -> Screen:
    """Heading, paragraphs, field, buttons and list of the simulated screen.

    Buttons are those the screen shows; one whose action is not in ``actions``
    right now (e.g. a resend during its countdown) is shown disabled by the widget.
    """
    sc = M.screen
    old = format_phone(s.old_phone)
    phone = format_phone(s.phone) if s.phone else ""
    text: list[str] = []
    field = None
    buttons: list[Button] = []
    countdowns: list[Countdown] = []
    items = None
    aside = None  # what the screen repeats from the side panels where those are out of sight
    step = s.step

    if step == S.OPEN_OZON:
        heading = sc("open_heading")
        text = [sc("open_text"), sc("open_session", old_phone=old) if s.session_active else sc("open_no_session")]
        buttons = [_button("open_app", kind="primary")]
    elif step == S.SIGN_OUT:
        heading = sc("signout_heading")
        text = [sc("signout_text", old_phone=old), sc("signout_hint")]
        buttons = [_button("sign_out", kind="primary")]
    elif step == S.FORGOT_PASSWORD:
        heading = sc("forgot_heading")
        text = [sc("forgot_text"), sc("forgot_hint")]
        buttons = [_button("forgot_password", kind="link")]
    elif step == S.ENTER_EMAIL:
        heading = sc("email_heading")
        text = [sc("email_text"), sc("email_hint", demo=DEMO_EMAIL)]
        field = _field("email", sc("email_label"), "email", "email", "off", s.email_draft, sc("email_placeholder"))
        buttons = [_button("submit_email", kind="primary", uses_field=True), _button("no_email_access", kind="link")]
    elif step == S.CHECK_INBOX:
        heading = sc("inbox_heading")
        text = [sc("inbox_text", email=s.email), sc("inbox_hint")]
        left = s.letters[-1].expires_in(s.clock) if s.letters else None
        if left:
            countdowns.append(_countdown(left, M.SCREENS["inbox_link_left"]))
        else:
            text.append(sc("inbox_link_gone"))
        text.append(sc("inbox_spam"))
        buttons = [_button("resend_letter", wait=letter_cooldown(s)), _button("no_email_access", kind="link")]
        aside = "letter"
    elif step == S.ENTER_PHONE:
        heading = sc("phone_heading")
        text = [sc("phone_text"), sc("phone_hint"), sc("phone_demo", demo=format_phone(DEMO_NEW_PHONE))]
        field = _field("phone", sc("phone_label"), "tel", "tel", "off", s.phone_draft, sc("phone_placeholder"))
        buttons = [_button("submit_phone", kind="primary", uses_field=True)]
    elif step == S.CONFIRM_PHONE:
        heading = sc("confirm_heading")
        code = s.code
        if code is None:
            text = [sc("confirm_choose", phone=phone), sc("confirm_channels")]
            wait = code_cooldown(s)
            buttons = [
                _button("choose_sms", kind="primary", wait=wait),
                _button("choose_call", wait=wait),
                _button("choose_call_number", wait=wait),
            ]
        else:
            text = [sc(f"confirm_sent_{code.channel}", phone=phone)]
            if code.attempts_left <= 0:
                text.append(sc("confirm_code_burned"))
            elif code.expired(s.clock):
                text.append(sc("confirm_code_expired"))
            else:
                countdowns.append(_countdown(code.expires_in(s.clock), M.SCREENS["confirm_code_left"]))
                # «Неверный код. Осталось 2 попытки.» already says it while it is shown.
                if code.attempts_left < CODE_ATTEMPTS and not any(m.code == "code_wrong" for m in s.messages):
                    text.append(M.attempts_remaining(code.attempts_left))
            text.append(sc("confirm_safety"))
            label = sc(f"code_label_{code.channel}")
            field = _field("code", label, "text", "numeric", "one-time-code", s.code_draft, sc("code_placeholder"))
            wait = code_cooldown(s)
            buttons = [
                _button("submit_code", kind="primary", uses_field=True),
                _button("resend_code", f"resend_code_{code.channel}", wait=wait),
                *(_button(f"choose_{other}", kind="link", wait=wait) for other in Channel if other != code.channel),
            ]
    elif step == S.NEW_PASSWORD:
        heading = sc("password_heading")
        text = [
            sc("password_text"),
            sc("password_advice", minimum=M.characters(PASSWORD_MIN_LENGTH)),
            sc("password_words"),
        ]
        placeholder = M.checklist_length(PASSWORD_MIN_LENGTH)  # «Не короче 8 символов», as the checklist says it
        field = _field("password", sc("password_label"), "password", "text", "new-password", "", placeholder)
        buttons = [_button("submit_password", kind="primary", uses_field=True)]
    elif step == S.SIGN_IN and s.done:
        heading = sc("done_heading")
        text = [sc("done_text", phone=phone), sc("done_reminder")]
        buttons = [_button("restart")]
    elif step == S.SIGN_IN:
        heading = sc("signin_heading")
        text = [sc("signin_text"), sc("signin_phone", phone=phone)]
        if s.demo_password:
            text.append(sc("signin_demo_password", password=DEMO_PASSWORD))
        field = _field("password", sc("signin_label"), "password", "text", "current-password", "", "")
        buttons = [_button("sign_in", kind="primary", uses_field=True, wait=sign_in_wait(s))]
    else:  # contact-support
        heading = sc("support_heading")
        # «Что подготовить заранее:» introduces the list, so it stays above it (see below).
        text = [sc("support_text"), sc("support_prepare"), sc("support_questions")]
        items = list(M.SUPPORT_CHECKLIST)

    # «Назад» itself lives in the widget's bar; the screen keeps the backs that read as part of it.
    back_label = {S.CHECK_INBOX: "back_inbox", S.CONFIRM_PHONE: "back_confirm", S.CONTACT_SUPPORT: "back_support"}
    if step in back_label:
        buttons.append(_button("back", back_label[step], kind="secondary" if step == S.CONTACT_SUPPORT else "link"))
    if step == S.CONFIRM_PHONE and s.code is not None:
        aside = "device"
    # The first paragraph leads to the controls; the rest are hints below them, so a
    # phone shows the step's field or button without scrolling past every hint. A
    # list (rendered above the controls) keeps its introducing paragraph with it.
    lead = 2 if items else 1
    return {
        "heading": heading,
        "text": text[:lead],
        "countdowns": countdowns,
        "field": field,
        "buttons": buttons,
        "hints": text[lead:],
        "list": items,
        "aside": aside,
    }


def _timers(s: Session) -> list[Countdown]:
    """Every running countdown, for the panel «Время в тренажёре»."""
    out: list[Countdown] = []
    link_left = next((l.expires_in(s.clock) for l in reversed(s.letters) if l.expires_in(s.clock)), None)
    if link_left:
        out.append(_countdown(link_left, M.ui("timer_link")))
    if s.step == S.CHECK_INBOX and (wait := letter_cooldown(s)):
        out.append(_countdown(wait, M.ui("timer_letter_resend")))
    if s.code is not None and (left := s.code.expires_in(s.clock)):
        out.append(_countdown(left, M.ui("timer_code")))
    if s.step == S.CONFIRM_PHONE and (wait := code_cooldown(s)):
        out.append(_countdown(wait, M.ui("timer_code_resend")))
    if s.step == S.SIGN_IN and not s.done and (wait := sign_in_wait(s)):
        out.append(_countdown(wait, M.ui("timer_sign_in")))
    return out


def _device(s: Session) -> Device:
    """The simulated phone: SMS oldest first, the call, and the newest of them all."""
    sms = [
        {"meta": M.meta_line(M.ui("sms_meta", sender=m.sender), clock_text(m.sent_at)), "text": m.text} for m in s.sms
    ]
    call = None
    if s.call is not None:
        meta = M.meta_line(M.ui("call_meta", caller=s.call.caller), clock_text(s.call.sent_at))
        call = {"meta": meta, "text": s.call.transcript}
    sent = [(m.sent_at, view) for m, view in zip(s.sms, sms, strict=True)] + ([(s.call.sent_at, call)] if call else [])
    latest = max(sent, key=lambda pair: pair[0], default=(None, None))[1]
    return {"sms": sms, "call": call, "latest": latest}


#: Messages about the simulator itself rather than the shop's screen: shown apart from it.
NOTICE_CODES = frozenset({"training_notice", "demo_data", "unknown_step", "restarted", "password_not_kept"})


def _messages(s: Session, screen: Screen) -> tuple[list[dict], list[dict]]:
    """The session's messages and notices; a paragraph of the screen that says the
    same as a message is dropped from the screen instead (never said twice)."""
    out = [m._asdict() for m in s.messages]
    said = {m["text"] for m in out}
    screen["text"] = [t for t in screen["text"] if t not in said]
    screen["hints"] = [t for t in screen["hints"] if t not in said]
    return [m for m in out if m["code"] not in NOTICE_CODES], [m for m in out if m["code"] in NOTICE_CODES]


def render(s: Session) -> State:
    """The state as the widget sees it (see :class:`recovery_core.contract.State`)."""
    actions = allowed_actions(s)
    info = step_info(s.step)
    screen = _screen(s)
    messages, notices = _messages(s, screen)
    return {
        "step": s.step.value,
        "number": info.number,
        "total": TOTAL,
        "title": info.title,
        "where": M.where(info.number, TOTAL),
        "page_title": M.page_title(info.number, TOTAL, info.title),
        "actions": actions,
        "screen": screen,
        "messages": messages,
        "notices": notices,
        "inbox": [letter_view(l, s.clock) for l in s.letters],  # oldest first
        "device": _device(s),
        "timers": _timers(s),
        "attempts_left": s.code.attempts_left if s.code is not None and s.step == S.CONFIRM_PHONE else None,
        "data": {
            "session_active": s.session_active,
            "email": s.email,
            "old_phone": format_phone(s.old_phone),
            "phone": s.phone,
            "phone_display": format_phone(s.phone) if s.phone else None,
            "channel": s.channel,
            "phone_confirmed": s.phone_confirmed,
            "password_set": s.password is not None or s.done,  # a restored finished session keeps none
        },
        "clock": s.clock,
        "clock_text": clock_text(s.clock),
        "done": s.done,
        "branch": "contact-support" if s.step == S.CONTACT_SUPPORT else None,
        "error_code": s.error_code,
    }


def browser_texts(download_bytes: int) -> dict:
    """What the browser files say before Python is up, written into them by the build
    (``sitebuild/build.py``): the widget's texts, the fast-forward buttons, each step's line
    and title (for a deep link's launch card and the tab), with the real download size
    (``download_bytes``: what a first start transfers) in the launch text."""
    ui = dict(M.UI)
    ui["launch_text"] = M.ui("launch_text", size=M.download_size(download_bytes))
    steps = {
        info.id.value: {
            "where": M.where(info.number, TOTAL),
            "title": info.title,
            "page_title": M.page_title(info.number, TOTAL, info.title),
        }
        for info in STEPS
    }
    return {"ui": ui, "ticks": [list(t) for t in M.TICKS], "steps": steps}
