"""The state the browser widget renders: a JSON-ready view of a :class:`Session`."""

from __future__ import annotations

from dataclasses import asdict

from . import messages as M
from .flow import (
    DEMO_EMAIL,
    DEMO_NEW_PHONE,
    DEMO_PASSWORD,
    Session,
    allowed_actions,
    code_cooldown,
    letter_cooldown,
)
from .ru import clock_text, duration
from .services import letter_view
from .steps import TOTAL, StepId, step as step_info
from .validators import format_phone

__all__ = ["render"]

S = StepId


def _button(action: str, label_key: str | None = None, kind: str = "secondary", uses_field: bool = False) -> dict:
    return {"action": action, "label": M.BUTTONS[label_key or action], "kind": kind, "uses_field": uses_field}


def _field(name: str, label: str, type_: str, inputmode: str, autocomplete: str, value: str, placeholder: str) -> dict:
    return {
        "name": name, "label": label, "type": type_, "inputmode": inputmode,
        "autocomplete": autocomplete, "value": value, "placeholder": placeholder,
    }


def _screen(s: Session) -> dict:
    """Heading, paragraphs, field, buttons and list of the simulated screen.

    Buttons are those the screen shows; one whose action is not in ``actions``
    right now (e.g. a resend during its countdown) is shown disabled by the widget.
    """
    sc = M.screen
    old = format_phone(s.old_phone)
    phone = format_phone(s.phone) if s.phone else ""
    text: list[str] = []
    field = None
    buttons: list[dict] = []
    items = None
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
        text.append(sc("inbox_link_left", left=duration(left, accusative=True)) if left else sc("inbox_link_gone"))
        text.append(sc("inbox_spam"))
        wait = letter_cooldown(s)
        if wait:
            text.append(M.wait_before_resend(sc("inbox_resend_wait"), wait))
        buttons = [_button("resend_letter"), _button("no_email_access", kind="link")]
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
            buttons = [_button("choose_sms", kind="primary"), _button("choose_call")]
        else:
            text = [sc(f"confirm_sent_{code.channel}", phone=phone)]
            if code.attempts_left <= 0:
                text.append(sc("confirm_code_burned"))
            elif code.expired(s.clock):
                text.append(sc("confirm_code_expired"))
            else:
                text.append(sc("confirm_code_left", left=duration(code.expires_in(s.clock), accusative=True)))
            text.append(sc("confirm_safety"))
            label = sc(f"code_label_{code.channel}")
            field = _field("code", label, "text", "numeric", "one-time-code", s.code_draft, sc("code_placeholder"))
            other = "choose_call" if code.channel == "sms" else "choose_sms"
            buttons = [
                _button("submit_code", kind="primary", uses_field=True),
                _button("resend_code", f"resend_code_{code.channel}"),
                _button(other, kind="link"),
            ]
        wait = code_cooldown(s)
        if wait:
            text.append(M.wait_before_resend(sc("confirm_resend_wait"), wait))
    elif step == S.NEW_PASSWORD:
        heading = sc("password_heading")
        text = [sc("password_text"), sc("password_advice"), sc("password_words")]
        field = _field("password", sc("password_label"), "password", "text", "new-password", "", sc("password_placeholder"))
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
        buttons = [_button("sign_in", kind="primary", uses_field=True)]
    else:  # contact-support
        heading = sc("support_heading")
        text = [sc("support_text"), sc("support_questions"), sc("support_prepare")]
        items = list(M.SUPPORT_CHECKLIST)

    # «Назад» itself lives in the widget's bar; the screen keeps the backs that read as part of it.
    back_label = {S.CHECK_INBOX: "back_inbox", S.CONFIRM_PHONE: "back_confirm", S.CONTACT_SUPPORT: "back_support"}
    if step in back_label:
        buttons.append(_button("back", back_label[step], kind="secondary" if step == S.CONTACT_SUPPORT else "link"))
    return {"heading": heading, "text": text, "field": field, "buttons": buttons, "list": items}


def _timers(s: Session) -> dict:
    letter_wait = letter_cooldown(s) if s.step == S.CHECK_INBOX else 0
    link_left = next((l.expires_in(s.clock) for l in s.letters if l.expires_in(s.clock)), None)
    code_left = s.code.expires_in(s.clock) if s.code is not None else None
    code_wait = code_cooldown(s) if s.step == S.CONFIRM_PHONE else 0
    return {
        "letter_resend_in": letter_wait or None,
        "link_expires_in": link_left,
        "code_expires_in": code_left,
        "code_resend_in": code_wait or None,
    }


def render(s: Session) -> dict:
    """The state as the widget sees it (see the contract in the project notes)."""
    actions = allowed_actions(s)
    info = step_info(s.step)
    return {
        "step": s.step.value,
        "number": info.number,
        "total": TOTAL,
        "title": info.title,
        "actions": actions,
        "screen": _screen(s),
        "messages": [asdict(m) for m in s.messages],
        "inbox": [letter_view(l, s.clock) for l in s.letters],  # oldest first
        "device": {
            "sms": [{"from": m.sender, "text": m.text, "time": clock_text(m.sent_at)} for m in s.sms],
            "call": None if s.call is None else {
                "from": s.call.caller, "transcript": s.call.transcript, "time": clock_text(s.call.sent_at),
            },
        },
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
            "password_set": s.password is not None,
        },
        "clock": s.clock,
        "clock_text": clock_text(s.clock),
        "done": s.done,
        "branch": "contact-support" if s.step == S.CONTACT_SUPPORT else None,
        "error_code": s.error_code,
    }
