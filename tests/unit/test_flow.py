"""The flow: every transition, guard and detour, on immutable sessions."""

from copy import replace

import pytest

from recovery_core import DEMO_EMAIL, DEMO_NEW_PHONE, DEMO_OLD_PHONE, DEMO_PASSWORD, STEPS, FlowError, StepId
from recovery_core.contract import Action, FieldName
from recovery_core.flow import (
    ACTIONS,
    MAX_TICK,
    TRANSITIONS,
    act,
    allowed_actions,
    code_cooldown,
    letter_cooldown,
    pristine,
    start,
    tick,
)
from recovery_core.services import (
    CODE_ATTEMPTS,
    CODE_COOLDOWN,
    CODE_LIFETIME,
    LETTER_COOLDOWN,
    LINK_LIFETIME,
    draw,
    new_code,
    new_token,
)

S = StepId
STRONG = "Клён-Маяк-Весна-47!"


def codes(s):
    return [m.code for m in s.messages]


def levels(s):
    return [m.level for m in s.messages]


def token(s, i=-1):
    return s.letters[i].token


def wrong_code(s):
    return f"{(int(s.code.value) + 1) % 10**6:06d}"


def sent(s, channel="sms"):
    """At confirm-phone: choose a channel (code sent)."""
    return act(s, f"choose_{channel}")


# --- the transition table, one row per transition ------------------------------------


def _cooled(s):
    return tick(s, max(LETTER_COOLDOWN, CODE_COOLDOWN))


def _sms(s):
    return _cooled(sent(s))


def _call(s):
    return _cooled(sent(s, "call"))


def _same(s):
    return s


def _signed_out(s):
    return start("open-ozon", seed=3, session=False)


OK, FAIL = "ok", "error"
ROWS = [
    # (start at, prepare, action, value, expected step, expected message codes, outcome)
    (S.OPEN_OZON, _same, "open_app", None, S.SIGN_OUT, [], OK),
    (S.OPEN_OZON, _signed_out, "open_app", None, S.FORGOT_PASSWORD, ["sign_out_skipped"], OK),
    (S.SIGN_OUT, _same, "sign_out", None, S.FORGOT_PASSWORD, ["signed_out"], OK),
    (S.SIGN_OUT, _same, "back", None, S.OPEN_OZON, [], OK),
    (S.FORGOT_PASSWORD, _same, "forgot_password", None, S.ENTER_EMAIL, [], OK),
    (S.FORGOT_PASSWORD, _same, "back", None, S.OPEN_OZON, [], OK),
    (S.ENTER_EMAIL, _same, "submit_email", lambda s: "anna@mail.ru", S.CHECK_INBOX, ["letter_sent"], OK),
    (S.ENTER_EMAIL, _same, "submit_email", lambda s: "anna@", S.ENTER_EMAIL, ["email_no_domain"], FAIL),
    (S.ENTER_EMAIL, _same, "submit_email", lambda s: None, S.ENTER_EMAIL, ["email_empty"], FAIL),
    (S.ENTER_EMAIL, _same, "no_email_access", None, S.CONTACT_SUPPORT, [], OK),
    (S.ENTER_EMAIL, _same, "back", None, S.FORGOT_PASSWORD, [], OK),
    (S.CHECK_INBOX, _same, "open_link", token, S.ENTER_PHONE, ["link_opened"], OK),
    (S.CHECK_INBOX, _same, "open_link", lambda s: " " + token(s) + " ", S.ENTER_PHONE, ["link_opened"], OK),
    (S.CHECK_INBOX, _same, "open_link", lambda s: "0" * 32, S.CHECK_INBOX, ["link_invalid"], FAIL),
    (S.CHECK_INBOX, _same, "open_link", lambda s: None, S.CHECK_INBOX, ["link_invalid"], FAIL),
    (S.CHECK_INBOX, _cooled, "resend_letter", None, S.CHECK_INBOX, ["letter_resent"], OK),
    (S.CHECK_INBOX, _same, "no_email_access", None, S.CONTACT_SUPPORT, [], OK),
    (S.CHECK_INBOX, _same, "back", None, S.ENTER_EMAIL, [], OK),
    (S.CONTACT_SUPPORT, _same, "back", None, S.ENTER_EMAIL, [], OK),
    (S.ENTER_PHONE, _same, "submit_phone", lambda s: "8 (912) 345-67-89", S.CONFIRM_PHONE, ["phone_accepted"], OK),
    (S.ENTER_PHONE, _same, "submit_phone", lambda s: "+7 495 123-45-67", S.ENTER_PHONE, ["phone_landline"], FAIL),
    (S.ENTER_PHONE, _same, "submit_phone", lambda s: "8 800 555-35-35", S.ENTER_PHONE, ["phone_toll_free"], FAIL),
    (S.ENTER_PHONE, _same, "submit_phone", lambda s: "+7 900 111-22-33", S.ENTER_PHONE, ["phone_is_old"], FAIL),
    (S.ENTER_PHONE, _same, "submit_phone", lambda s: "+7 912", S.ENTER_PHONE, ["phone_too_short"], FAIL),
    (S.ENTER_PHONE, _same, "open_link", lambda s: token(s), S.ENTER_PHONE, ["link_used"], FAIL),
    (S.CONFIRM_PHONE, _same, "choose_sms", None, S.CONFIRM_PHONE, ["code_sent_sms"], OK),
    (S.CONFIRM_PHONE, _same, "choose_call", None, S.CONFIRM_PHONE, ["code_sent_call"], OK),
    (S.CONFIRM_PHONE, _sms, "choose_call", None, S.CONFIRM_PHONE, ["code_sent_call"], OK),
    (S.CONFIRM_PHONE, _call, "choose_sms", None, S.CONFIRM_PHONE, ["code_sent_sms"], OK),
    (S.CONFIRM_PHONE, _same, "choose_call_number", None, S.CONFIRM_PHONE, ["code_sent_call_number"], OK),
    (S.CONFIRM_PHONE, _sms, "choose_call_number", None, S.CONFIRM_PHONE, ["code_sent_call_number"], OK),
    (S.CONFIRM_PHONE, _sms, "resend_code", None, S.CONFIRM_PHONE, ["code_resent"], OK),
    (S.CONFIRM_PHONE, _sms, "submit_code", lambda s: s.code.value, S.NEW_PASSWORD, ["phone_confirmed"], OK),
    (S.CONFIRM_PHONE, _sms, "submit_code", wrong_code, S.CONFIRM_PHONE, ["code_wrong"], FAIL),
    (S.CONFIRM_PHONE, _sms, "submit_code", lambda s: "12 34", S.CONFIRM_PHONE, ["code_length"], FAIL),
    (S.CONFIRM_PHONE, _same, "back", None, S.ENTER_PHONE, [], OK),
    (S.NEW_PASSWORD, _same, "submit_password", lambda s: STRONG, S.SIGN_IN, ["password_saved"], OK),
    (S.NEW_PASSWORD, _same, "submit_password", lambda s: "qwerty123", S.NEW_PASSWORD, ["password_weak"], FAIL),
    (S.NEW_PASSWORD, _same, "submit_password", lambda s: "Ab1!", S.NEW_PASSWORD, ["password_short"], FAIL),
    (S.NEW_PASSWORD, _same, "submit_password", lambda s: DEMO_EMAIL, S.NEW_PASSWORD, ["password_is_email"], FAIL),
    (
        S.NEW_PASSWORD,
        _same,
        "submit_password",
        lambda s: "+7 900 555-44-66",
        S.NEW_PASSWORD,
        ["password_is_phone"],
        FAIL,
    ),
    (S.SIGN_IN, _same, "sign_in", lambda s: DEMO_PASSWORD, S.SIGN_IN, ["signed_in"], OK),
    (S.SIGN_IN, _same, "sign_in", lambda s: "wrong-password", S.SIGN_IN, ["password_wrong"], FAIL),
    (S.SIGN_IN, _same, "sign_in", lambda s: "", S.SIGN_IN, ["password_empty"], FAIL),
]


@pytest.mark.parametrize(("origin", "prepare", "action", "value", "target", "messages", "outcome"), ROWS)
def test_transition(origin, prepare, action, value, target, messages, outcome):
    s = prepare(start(origin.value, seed=3))
    assert s.step == origin
    assert action in allowed_actions(s)
    before = s
    new = act(s, action, value(s) if value else None)
    assert new.step == target
    assert codes(new) == messages
    if outcome == FAIL:
        assert levels(new) == ["error"]
        assert new.phone_confirmed == before.phone_confirmed and new.password == before.password
    else:
        assert "error" not in levels(new)
    # The old session is untouched: sessions are immutable.
    assert s == before and s.step == origin


def test_every_table_row_is_covered():
    covered = {(origin, action) for origin, _, action, *_ in ROWS}
    for t in TRANSITIONS:
        if t.event == "restart":
            continue
        if t.source is None:  # open_link from any step
            assert any(action == t.event for _, action in covered)
        else:
            assert (t.source, t.event) in covered, t


def test_validation_failure_keeps_state():
    s = start("enter-email", seed=1)
    new = act(s, "submit_email", "anna@")
    assert replace(new, messages=(), email_draft="") == replace(s, messages=(), email_draft="")
    assert new.email_draft == "anna@"
    assert levels(new) == ["error"]


def test_sessions_are_frozen():
    with pytest.raises(AttributeError):
        start().step = S.SIGN_IN


@pytest.mark.parametrize("action", ["fly", "", "OPEN_APP", "open-app", "__init__"])
def test_unknown_action(action):
    with pytest.raises(FlowError) as err:
        act(start(), action)
    assert err.value.code == "unknown_action"


@pytest.mark.parametrize(
    ("origin", "action"),
    [
        (S.OPEN_OZON, "sign_out"),
        (S.OPEN_OZON, "back"),
        (S.OPEN_OZON, "open_link"),
        (S.SIGN_OUT, "submit_email"),
        (S.ENTER_EMAIL, "open_link"),
        (S.CHECK_INBOX, "resend_letter"),  # cooldown
        (S.CHECK_INBOX, "submit_phone"),
        (S.ENTER_PHONE, "back"),
        (S.ENTER_PHONE, "choose_sms"),
        (S.CONFIRM_PHONE, "submit_code"),  # no code yet
        (S.CONFIRM_PHONE, "resend_code"),
        (S.CONFIRM_PHONE, "submit_password"),
        (S.NEW_PASSWORD, "back"),
        (S.NEW_PASSWORD, "sign_in"),
        (S.SIGN_IN, "submit_password"),
        (S.CONTACT_SUPPORT, "submit_email"),
        (S.CONTACT_SUPPORT, "open_link"),
    ],
)
def test_action_not_allowed(origin, action):
    s = start(origin.value, seed=2)
    assert action not in allowed_actions(s)
    with pytest.raises(FlowError) as err:
        act(s, action, "x")
    assert err.value.code == "action_not_allowed"


def test_actions_end_with_restart_unless_pristine_and_are_known():
    """Every deep-linked step offers ``restart`` last; the untouched first step does not."""
    for info in STEPS:
        s = start(info.id.value)
        actions = allowed_actions(s)
        if info.id == S.OPEN_OZON:
            assert "restart" not in actions
        else:
            assert actions[-1] == "restart"
        assert set(actions) <= set(ACTIONS)
        assert len(actions) == len(set(actions))


def test_actions_are_the_contract_enum():
    assert tuple(Action) == ACTIONS and all(isinstance(a, str) for a in ACTIONS)


@pytest.mark.parametrize("session", [True, False])
def test_restart_not_offered_while_pristine(session):
    """Nothing has happened yet (whatever the start's notices): a restart would change nothing."""
    s = start(session=session)
    assert allowed_actions(s) == ["open_app"]
    assert pristine(replace(s, messages=()))
    with pytest.raises(FlowError) as err:
        act(s, "restart")
    assert err.value.code == "action_not_allowed"
    # An unknown step lands on the same untouched first step.
    assert allowed_actions(start("no-such-step", session=session)) == ["open_app"]


def test_restart_offered_after_anything_happened():
    s = start()
    moved = act(s, "open_app")
    assert not pristine(moved) and allowed_actions(moved)[-1] == "restart"
    waited = tick(s, 1)
    assert allowed_actions(waited) == ["open_app", "restart"]
    assert allowed_actions(tick(s, 0)) == ["open_app"]  # no time passed: still untouched
    # After a restart the session is untouched again.
    again = act(moved, "restart")
    assert codes(again) == ["restarted"] and allowed_actions(again) == ["open_app"]


# --- e-mail and the letter ----------------------------------------------------------


def test_email_normalised_and_neutral_answer():
    s = start("enter-email", seed=1)
    known = act(s, "submit_email", f"  {DEMO_EMAIL} ")
    unknown = act(s, "submit_email", "nobody@почта.рф")
    assert known.messages[0].text == unknown.messages[0].text
    assert known.messages[0].text.startswith("Если такой адрес привязан к аккаунту, мы отправили на него письмо")
    assert known.email == DEMO_EMAIL
    assert (unknown.email, unknown.email_ascii) == ("nobody@почта.рф", "nobody@xn--80a1acny.xn--p1ai")
    assert unknown.letters[-1].to == "nobody@почта.рф"


def test_letter_link_expires_after_24_hours():
    s = start("check-inbox", seed=1)
    almost = tick(s, LINK_LIFETIME - 1)
    assert act(almost, "open_link", token(s)).step == S.ENTER_PHONE
    late = tick(s, LINK_LIFETIME)
    assert codes(late) == ["link_expired"]
    refused = act(late, "open_link", token(s))
    assert (refused.step, codes(refused), levels(refused)) == (S.CHECK_INBOX, ["link_expired"], ["error"])


def test_link_refused_after_use():
    s = act(start("check-inbox", seed=1), "open_link", token(start("check-inbox", seed=1)))
    assert s.letters[-1].used
    again = act(s, "open_link", s.letters[-1].token)
    assert (again.step, codes(again)) == (S.ENTER_PHONE, ["link_used"])


def test_resend_letter_cooldown_and_replacement():
    s = start("check-inbox", seed=1)
    first = token(s)
    assert "resend_letter" not in allowed_actions(tick(s, LETTER_COOLDOWN - 1))
    s = tick(s, LETTER_COOLDOWN)
    assert "resend_letter" in allowed_actions(s)
    s = act(s, "resend_letter")
    assert codes(s) == ["letter_resent"]
    assert len(s.letters) == 2 and token(s) != first
    assert [l.status(s.clock) for l in s.letters] == ["replaced", "active"]
    assert codes(act(s, "open_link", first)) == ["link_replaced"]
    assert "resend_letter" not in allowed_actions(s)
    assert act(s, "open_link", token(s)).step == S.ENTER_PHONE


def test_back_to_email_and_send_again():
    s = act(start("check-inbox", seed=1), "back")
    assert s.step == S.ENTER_EMAIL and s.email_draft == DEMO_EMAIL
    s = act(s, "submit_email", "other@mail.ru")
    assert [l.status(s.clock) for l in s.letters] == ["replaced", "active"]


def test_link_opens_from_support_branch():
    s = act(start("check-inbox", seed=1), "no_email_access")
    assert s.step == S.CONTACT_SUPPORT and "open_link" in allowed_actions(s)
    assert act(s, "open_link", token(s)).step == S.ENTER_PHONE


# --- phone and code --------------------------------------------------------------------


def test_submit_phone_normalises():
    s = act(start("enter-phone", seed=1), "submit_phone", "８ ９１２ ３４５ ６７ ８９")
    assert s.phone == "+79123456789" and s.phone_draft == "+7 912 345-67-89"


def test_sms_code_flow():
    s = sent(start("confirm-phone", seed=1))
    code = s.code.value
    assert len(code) == 6 and code.isdigit()
    assert s.sms[-1].text == f"Код для восстановления доступа: {code}. Никому не сообщайте этот код."
    assert s.call is None and s.channel == "sms"
    done = act(s, "submit_code", f"{code[:3]} {code[3:]}")
    assert (done.step, done.phone_confirmed, done.code) == (S.NEW_PASSWORD, True, None)
    assert codes(done) == ["phone_confirmed"]


def test_call_reads_digits_out():
    s = sent(start("confirm-phone", seed=1), "call")
    code = s.code.value
    spoken = ", ".join(code)
    assert s.call.transcript == (
        f"Здравствуйте! Ваш код подтверждения: {spoken}. Повторяю: {spoken}. Никому не сообщайте этот код."
    )
    assert s.sms == ()
    assert act(s, "submit_code", "-".join([code[:2], code[2:4], code[4:]])).step == S.NEW_PASSWORD


def test_wrong_attempts_are_limited():
    s = sent(start("confirm-phone", seed=1))
    right = s.code.value
    texts = []
    for left in range(CODE_ATTEMPTS - 1, -1, -1):
        s = act(s, "submit_code", wrong_code(s))
        assert s.code.attempts_left == left and s.step == S.CONFIRM_PHONE
        assert s.code_draft == ""  # a wrong code is not left in the field
        texts.append(s.messages[0].text)
    assert texts == [
        "Неверный код. Осталось 2 попытки.",
        "Неверный код. Осталась 1 попытка.",
        "Неверный код. Попытки закончились: в тренажёре на один код их 3 — запросите новый код.",
    ]
    burned = act(s, "submit_code", right)
    assert (burned.step, codes(burned), burned.code.attempts_left) == (S.CONFIRM_PHONE, ["code_burned"], 0)
    assert burned.code_draft == ""
    # A new code is needed, after the cooldown.
    assert "resend_code" not in allowed_actions(s)
    s = act(tick(s, CODE_COOLDOWN), "resend_code")
    assert s.code.attempts_left == CODE_ATTEMPTS and s.code.value != right
    assert codes(act(s, "submit_code", right)) == ["code_wrong"]
    assert act(s, "submit_code", s.code.value).step == S.NEW_PASSWORD


def test_format_errors_do_not_cost_attempts():
    s = sent(start("confirm-phone", seed=1))
    for bad in ["12", "abcdef", "", "1234567"]:
        s = act(s, "submit_code", bad)
        assert s.code.attempts_left == CODE_ATTEMPTS
    assert codes(s) == ["code_length"] and s.code_draft == "1234567"


def test_code_expires():
    s = sent(start("confirm-phone", seed=1))
    code = s.code.value
    assert act(tick(s, CODE_LIFETIME - 1), "submit_code", code).step == S.NEW_PASSWORD
    late = tick(s, CODE_LIFETIME)
    assert codes(late) == ["code_expired"] and levels(late) == ["warning"]
    refused = act(late, "submit_code", code)
    assert refused.step == S.CONFIRM_PHONE
    assert (
        refused.messages[0].text == "Срок действия кода истёк: в тренажёре код действует 5 минут. Запросите новый код."
    )
    assert refused.code.attempts_left == CODE_ATTEMPTS and refused.code_draft == ""


def test_resend_code_invalidates_old_one():
    s = sent(start("confirm-phone", seed=1))
    old = s.code.value
    assert "resend_code" not in allowed_actions(tick(s, CODE_COOLDOWN - 1))
    s = act(tick(s, CODE_COOLDOWN), "resend_code")
    assert codes(s) == ["code_resent"] and len(s.sms) == 2
    assert s.code.value != old
    assert codes(act(s, "submit_code", old)) == ["code_wrong"]


def test_switch_channel_after_cooldown():
    s = sent(start("confirm-phone", seed=1))
    assert "choose_call" not in allowed_actions(s) and "choose_sms" not in allowed_actions(s)
    s = tick(s, CODE_COOLDOWN)
    assert "choose_call" in allowed_actions(s) and "choose_sms" not in allowed_actions(s)
    s = act(s, "choose_call")
    assert s.channel == "call" and s.call is not None and s.code.channel == "call"
    assert codes(act(tick(s, CODE_COOLDOWN), "resend_code")) == ["code_resent"]


def test_a_call_whose_number_carries_the_code():
    """Ozon's help: the code is the last 6 digits of the number that called."""
    from recovery_core.view import render

    s = act(start("confirm-phone", seed=1), "choose_call_number")
    assert (s.channel, s.code.channel, s.call.kind) == ("call_number", "call_number", "call_number")
    assert (
        s.messages[0].text
        == "Мы звоним на номер +7 900 555-44-66: код — последние 6 цифр номера, с которого поступит звонок."
    )
    call = render(s)["device"]["call"]
    digits = "".join(c for c in call["meta"] if c.isdigit())
    assert call["meta"].startswith("Входящий звонок · +7 800 0") and "(демо)" in call["meta"]
    assert digits[-10:-4] == s.code.value  # the number's last 6 digits, before the time «10:00»
    assert call["text"] == "Код подтверждения — последние 6 цифр номера, с которого звонили."
    assert s.code.value not in call["text"]
    screen = render(s)["screen"]
    assert screen["field"]["label"] == "Последние 6 цифр номера, с которого звонили"
    assert [b["action"] for b in screen["buttons"]] == [
        "submit_code",
        "resend_code",
        "choose_sms",
        "choose_call",
        "back",
    ]
    assert act(s, "submit_code", s.code.value).step == S.NEW_PASSWORD
    again = act(tick(s, CODE_COOLDOWN), "resend_code")
    assert again.messages[0].text.startswith("Мы позвонили ещё раз, с другого номера")
    assert again.call.caller != s.call.caller


def test_back_from_confirm_burns_code_keeps_cooldown():
    s = sent(start("confirm-phone", seed=1))
    back = act(s, "back")
    assert back.step == S.ENTER_PHONE and back.code is None and back.channel is None
    assert back.phone_draft == "+7 900 555-44-66"
    again = act(back, "submit_phone", "+7 912 345-67-89")
    assert again.step == S.CONFIRM_PHONE and again.phone == "+79123456789"
    assert "choose_sms" not in allowed_actions(again)  # the cooldown still runs
    assert "choose_sms" in allowed_actions(tick(again, CODE_COOLDOWN))


def _burned(s):
    for _ in range(CODE_ATTEMPTS):
        s = act(s, "submit_code", wrong_code(s))
    return s


FIELD_ERRORS = [
    # (start at, prepare, action, value, the field the error is about)
    (S.ENTER_EMAIL, _same, "submit_email", "anna@", FieldName.EMAIL),
    (S.ENTER_EMAIL, _same, "submit_email", "", FieldName.EMAIL),
    (S.ENTER_PHONE, _same, "submit_phone", "+7 495 123-45-67", FieldName.PHONE),
    (S.ENTER_PHONE, _same, "submit_phone", "+7 900 111-22-33", FieldName.PHONE),
    (S.CONFIRM_PHONE, sent, "submit_code", "12", FieldName.CODE),
    (S.CONFIRM_PHONE, sent, "submit_code", "<wrong>", FieldName.CODE),
    (S.CONFIRM_PHONE, lambda s: tick(sent(s), CODE_LIFETIME), "submit_code", "<right>", FieldName.CODE),
    (S.CONFIRM_PHONE, lambda s: _burned(sent(s)), "submit_code", "<right>", FieldName.CODE),
    (S.NEW_PASSWORD, _same, "submit_password", "qwerty123", FieldName.PASSWORD),
    (S.NEW_PASSWORD, _same, "submit_password", DEMO_EMAIL, FieldName.PASSWORD),
    (S.SIGN_IN, _same, "sign_in", "wrong-password", FieldName.PASSWORD),
    (S.SIGN_IN, _same, "sign_in", "", FieldName.PASSWORD),
]


@pytest.mark.parametrize(("origin", "prepare", "action", "value", "field"), FIELD_ERRORS)
def test_validation_errors_name_their_field(origin, prepare, action, value, field):
    """The widget shows these under the field, not in the message box."""
    s = prepare(start(origin.value, seed=3))
    value = {"<wrong>": wrong_code(s) if s.code else "", "<right>": s.code.value if s.code else ""}.get(value, value)
    new = act(s, action, value)
    assert levels(new) == ["error"]
    assert [m.field for m in new.messages] == [field]
    assert isinstance(new.messages[0].field, FieldName)


def test_other_messages_name_no_field():
    s = act(start("enter-email", seed=3), "submit_email", DEMO_EMAIL)
    assert [m.field for m in s.messages] == [None]  # letter_sent
    refused = act(s, "open_link", "0" * 32)  # the link lives in the letter, not in a field
    assert codes(refused) == ["link_invalid"] and refused.messages[0].field is None
    assert all(m.field is None for m in start("sign-in").messages)
    late = tick(sent(start("confirm-phone")), CODE_LIFETIME)
    assert codes(late) == ["code_expired"] and late.messages[0].field is None


# --- password and sign-in -------------------------------------------------------------


def test_password_and_sign_in():
    s = act(start("new-password", seed=1), "submit_password", STRONG)
    assert s.password == STRONG and not s.demo_password
    wrong = act(s, "sign_in", STRONG.upper())
    assert codes(wrong) == ["password_wrong"] and not wrong.done
    done = act(s, "sign_in", STRONG)
    assert done.done and done.step == S.SIGN_IN
    assert allowed_actions(done) == ["restart"]
    with pytest.raises(FlowError):
        act(done, "sign_in", STRONG)


def test_sign_in_attempts_are_bounded_like_codes():
    """Five wrong passwords close sign-in for 15 minutes (the simulator's limits), counted down."""
    from recovery_core.view import render

    s = act(start("new-password", seed=1), "submit_password", STRONG)
    for left in (4, 3, 2, 1):
        s = act(s, "sign_in", "не-тот-пароль")
        word = {4: "Осталось 4 попытки", 3: "Осталось 3 попытки", 2: "Осталось 2 попытки", 1: "Осталась 1 попытка"}[
            left
        ]
        assert (
            s.messages[0].text == f"Неверный пароль. {word}. Проверьте раскладку клавиатуры и не включён ли Caps Lock."
        )
    s = act(s, "sign_in", "не-тот-пароль")
    assert codes(s) == ["sign_in_closed"]
    assert s.messages[0].text == (
        "Неверный пароль, и это уже 5 неверных попыток подряд: вход в тренажёре "
        "закрыт на 15 минут. Если пароль забыт, восстановите доступ заново."
    )
    assert "sign_in" not in allowed_actions(s)
    with pytest.raises(FlowError):
        act(s, "sign_in", STRONG)  # even the right one, while closed
    state = render(s)
    (button,) = [b for b in state["screen"]["buttons"] if b["action"] == "sign_in"]
    assert button["countdown"] == {"seconds": 900, "template": "Войти через {time}"}
    assert {"seconds": 900, "template": "Вход снова откроется через {time}"} in state["timers"]
    s = tick(s, 899)
    assert "sign_in" not in allowed_actions(s)
    s = tick(s, 1)
    assert "sign_in" in allowed_actions(s)
    again = act(s, "sign_in", "не-тот-пароль")  # a fresh count after the pause
    assert again.messages[0].text.startswith("Неверный пароль. Осталось 4 попытки.")
    assert act(s, "sign_in", STRONG).done


def test_restart():
    done = act(start("sign-in", seed=5, session=False), "sign_in", DEMO_PASSWORD)
    fresh = act(done, "restart")
    assert fresh.step == S.OPEN_OZON and codes(fresh) == ["restarted"]
    assert (fresh.email, fresh.phone, fresh.letters, fresh.done, fresh.clock) == (None, None, (), False, 0)
    assert fresh.session_active is False and fresh.seed == 5
    assert fresh.draws == 0
    assert allowed_actions(fresh) == ["open_app"]


# --- tick --------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("seconds", "clock"),
    [(0, 0), (1, 1), (59.9, 59), (-5, 0), (MAX_TICK, MAX_TICK), (MAX_TICK * 10, MAX_TICK), (1e300, MAX_TICK)],
)
def test_tick(seconds, clock):
    first = start()
    s = tick(first, seconds)
    assert s.clock == clock and s.messages == first.messages  # nothing expired: nothing new to say


def test_tick_keeps_messages_and_accumulates():
    s = act(start("enter-email"), "submit_email", "anna@")
    assert codes(s) == ["email_no_domain"]
    s = tick(tick(s, 30), 45)
    assert s.clock == 75 and codes(s) == ["email_no_domain"]


def test_tick_keeps_error_code():
    s = start("no-such-step")
    later = tick(s, 10)
    assert later.error_code == "unknown_step" and later.messages == s.messages


@pytest.mark.parametrize(
    ("origin", "prepare", "seconds", "expiry"),
    [
        (S.CONFIRM_PHONE, sent, CODE_LIFETIME, "code_expired"),
        (S.CHECK_INBOX, lambda s: s, LINK_LIFETIME, "link_expired"),
    ],
)
def test_tick_reports_only_the_expiry(origin, prepare, seconds, expiry):
    """The previous action's messages give way to the expiry; later ticks keep it."""
    s = prepare(start(origin.value, seed=1))
    assert s.messages and expiry not in codes(s)
    assert codes(tick(s, seconds - 1)) == codes(s)
    late = tick(tick(s, seconds - 1), 1)
    assert codes(late) == [expiry] and levels(late) == ["warning"]
    assert codes(tick(late, 60)) == [expiry]  # it expired before: nothing new


# --- start -----------------------------------------------------------------------------


@pytest.mark.parametrize("info", STEPS, ids=lambda i: i.id.value)
def test_start_at_every_step_is_consistent(info):
    s = start(info.id.value, seed=9)
    assert s.step == info.id
    order = [x.id for x in STEPS]
    reached = order.index(info.id)
    assert s.session_active == (info.id in (S.OPEN_OZON, S.SIGN_OUT))
    has_letter = info.id in (S.CHECK_INBOX, S.ENTER_PHONE, S.CONFIRM_PHONE, S.NEW_PASSWORD, S.SIGN_IN)
    assert bool(s.letters) == has_letter
    assert (s.email == DEMO_EMAIL) == has_letter
    if has_letter:
        assert s.letters[-1].status(s.clock) == ("active" if info.id == S.CHECK_INBOX else "used")
    assert (s.phone == DEMO_NEW_PHONE) == (info.id in (S.CONFIRM_PHONE, S.NEW_PASSWORD, S.SIGN_IN))
    assert s.phone_confirmed == (info.id in (S.NEW_PASSWORD, S.SIGN_IN))
    assert (s.password == DEMO_PASSWORD) == (info.id == S.SIGN_IN) == s.demo_password
    assert s.code is None and s.clock == 0 and not s.done
    assert s.old_phone == DEMO_OLD_PHONE
    expected = ["training_notice"] + (["demo_data"] if reached > 0 else [])
    assert codes(s) == expected
    assert s.error_code is None


def test_start_at_confirm_phone_shows_the_choice():
    s = start("confirm-phone")
    assert s.code is None and s.channel is None
    assert {"choose_sms", "choose_call"} <= set(allowed_actions(s))


def test_demo_data_message():
    s = start("enter-phone")
    assert s.messages[1].text == (
        "Вы начали с шага 6 из 9 — «Введите новый номер телефона». Данные предыдущих шагов заполнены для примера."
    )
    nested = start("forgot-password")
    assert nested.messages[1].text == (
        "Вы начали с шага 3 из 9 — «Нажмите „Забыли пароль?“». Данные предыдущих шагов заполнены для примера."
    )
    branch = start("contact-support")
    assert branch.messages[1].text == (
        "Вы начали с ветки «Нет доступа к почте: обратитесь в поддержку». Данные предыдущих шагов заполнены для примера."
    )


@pytest.mark.parametrize(
    "step", ["nope", "", "OPEN-OZON", "step-sign-in", "../etc/passwd", "<script>", 5, 1.5, True, [], {}, "sign_in"]
)
def test_start_unknown_step(step):
    s = start(step)
    assert s.step == S.OPEN_OZON
    assert s.error_code == "unknown_step"
    assert codes(s)[0] == "unknown_step" and levels(s)[0] == "warning"
    assert s.messages[0].text == "Такого шага в тренажёре нет — начинаем с первого."


def test_start_none_is_first_step():
    s = start(None)
    assert s.step == S.OPEN_OZON and s.error_code is None and s.session_active


def test_start_session_flag():
    assert start(session=False).session_active is False
    assert start(session=True).session_active is True
    assert start(session="no").session_active is True
    # Sign-out needs a session, whatever the flag says.
    assert start("sign-out", session=False).session_active is True
    assert start("enter-email", session=False).start_session_active is False


@pytest.mark.parametrize(
    ("data", "email", "phone"),
    [
        ({"email": "maria@почта.рф", "phone": "8 912 345 67 89"}, "maria@почта.рф", "+79123456789"),
        ({"email": "maria@mail.ru"}, "maria@mail.ru", DEMO_NEW_PHONE),
        ({"phone": "+375 29 123-45-67"}, DEMO_EMAIL, "+375291234567"),
        ({"email": "bad", "phone": "+7 495 123-45-67"}, DEMO_EMAIL, DEMO_NEW_PHONE),
        ({"email": None, "phone": None}, DEMO_EMAIL, DEMO_NEW_PHONE),
        ({"email": 5, "phone": ["x"]}, DEMO_EMAIL, DEMO_NEW_PHONE),
        ({"phone": "+7 900 111-22-33"}, DEMO_EMAIL, DEMO_NEW_PHONE),  # the old number
        ([1, 2], DEMO_EMAIL, DEMO_NEW_PHONE),
        ("data", DEMO_EMAIL, DEMO_NEW_PHONE),
    ],
)
def test_start_with_data(data, email, phone):
    s = start("new-password", seed=1, data=data)
    assert (s.email, s.phone) == (email, phone)


def test_start_data_prefills_fields():
    s = start("enter-email", data={"email": "maria@mail.ru", "phone": "89123456789"})
    assert s.email is None and s.email_draft == "maria@mail.ru"
    assert s.phone_draft == "+7 912 345-67-89"
    assert start("enter-phone", data={"phone": "89123456789"}).phone_draft == "+7 912 345-67-89"
    assert start("enter-email").email_draft == ""


def test_same_seed_same_session_other_seed_other_codes():
    a = sent(start("confirm-phone", seed=42))
    b = sent(start("confirm-phone", seed=42))
    c = sent(start("confirm-phone", seed=43))
    assert a == b
    assert (a.code.value, a.letters[-1].token) != (c.code.value, c.letters[-1].token)


def test_draws_are_counted():
    """Each token or code is the session's next draw: ``draw(seed, draws, …)``."""
    s = start("confirm-phone", seed=42)
    assert start(seed=42).draws == 0 and s.draws == 1  # the letter's token
    assert s.letters[-1].token == draw(42, 0, new_token)
    s = sent(s)
    assert s.draws == 2 and s.code.value == draw(42, 1, new_code)
    s = act(tick(s, CODE_COOLDOWN), "resend_code")
    assert s.draws == 3 and s.code.value == draw(42, 2, new_code)
    # Actions that draw nothing leave the count alone.
    assert act(s, "submit_code", wrong_code(s)).draws == 3 and tick(s, 5).draws == 3


def test_session_draw():
    s = start(seed=7)
    value, after = s.draw(new_code)
    assert value == draw(7, 0, new_code)
    assert after == replace(s, draws=1) and s.draws == 0
    again, _ = after.draw(new_code)
    assert again == draw(7, 1, new_code)
    assert s.draw(new_code) == (value, after)  # the same session draws the same


def test_cooldowns_without_anything_sent():
    s = start()
    assert letter_cooldown(s) == 0 and code_cooldown(s) == 0
    s = start("check-inbox")
    assert letter_cooldown(s) == LETTER_COOLDOWN and letter_cooldown(tick(s, 100)) == 0
