"""The rendered state: its exact shape, screens, inbox, device, timers."""

import json

import pytest

from recovery_core import DEMO_PASSWORD, STEPS, TOTAL, render
from recovery_core import messages as M
from recovery_core.contract import FieldName
from recovery_core.flow import act, allowed_actions, start, tick
from recovery_core.services import CODE_COOLDOWN, CODE_LIFETIME, LETTER_COOLDOWN, LINK_LIFETIME

STATE_KEYS = {
    "step",
    "number",
    "total",
    "title",
    "where",
    "page_title",
    "actions",
    "screen",
    "messages",
    "notices",
    "inbox",
    "device",
    "timers",
    "attempts_left",
    "data",
    "clock",
    "clock_text",
    "done",
    "branch",
    "error_code",
}
SCREEN_KEYS = {"heading", "text", "countdowns", "field", "buttons", "hints", "list", "aside"}
#: Messages about the simulator itself: ``notices``, shown above the screen.
NOTICES = {"training_notice", "demo_data", "unknown_step", "restarted", "password_not_kept"}
FIELD_KEYS = {"name", "label", "type", "inputmode", "autocomplete", "value", "placeholder"}
BUTTON_KEYS = {"action", "label", "kind", "uses_field", "countdown"}
MESSAGE_KEYS = {"level", "text", "code", "field"}
LETTER_KEYS = {"id", "sender", "subject", "time", "meta", "body", "link"}
LINK_KEYS = {"action", "value", "label", "status", "status_text"}
DATA_KEYS = {
    "session_active",
    "email",
    "old_phone",
    "phone",
    "phone_display",
    "channel",
    "phone_confirmed",
    "password_set",
}
CYRILLIC = set("абвгдеёжзийклмнопрстуфхцчшщъыьэюя")
#: The panel's countdowns, by what they count.
TIMER = {
    "link": M.ui("timer_link"),
    "letter_resend": M.ui("timer_letter_resend"),
    "code": M.ui("timer_code"),
    "code_resend": M.ui("timer_code_resend"),
}


def russian(text):
    return any(c in CYRILLIC for c in text.lower())


def paragraphs(state):
    """What the screen says: the text above the controls and the hints below them."""
    return state["screen"]["text"] + state["screen"]["hints"]


def timer(state, name):
    """Seconds on the panel's countdown ``name``, or ``None`` if it is not running."""
    found = [t["seconds"] for t in state["timers"] if t["template"] == TIMER[name]]
    assert len(found) <= 1
    return found[0] if found else None


def button(state, action):
    (b,) = [b for b in state["screen"]["buttons"] if b["action"] == action]
    return b


def check_countdown(c):
    assert set(c) == {"seconds", "template"}
    assert isinstance(c["seconds"], int) and not isinstance(c["seconds"], bool) and c["seconds"] > 0
    assert c["template"].count("{time}") == 1 and russian(c["template"])


def check_shape(state):
    assert set(state) == STATE_KEYS
    assert json.loads(json.dumps(state, ensure_ascii=False)) == state
    assert set(state["screen"]) == SCREEN_KEYS
    assert set(state["data"]) == DATA_KEYS
    assert state["total"] == TOTAL
    assert state["where"] == (
        f"Шаг {state['number']} из {TOTAL}" if state["number"] else "Отдельный случай: нет доступа к почте"
    )
    assert state["page_title"].startswith(state["where"]) and state["title"] in state["page_title"]
    screen = state["screen"]
    assert russian(screen["heading"]) or screen["heading"] == "Откройте Ozon"
    # One paragraph leads to the controls, the rest are hints; a list keeps its intro with it.
    assert len(screen["text"]) <= (2 if screen["list"] else 1)
    assert paragraphs(state) and all(russian(t) for t in paragraphs(state))
    assert not any("{" in t for t in paragraphs(state))  # templates live in countdowns only
    assert screen["aside"] in (None, "letter", "device")
    for c in screen["countdowns"] + state["timers"]:
        check_countdown(c)
    for b in screen["buttons"]:
        assert set(b) == BUTTON_KEYS and b["kind"] in ("primary", "secondary", "link") and russian(b["label"])
        assert b["uses_field"] == (screen["field"] is not None and b["kind"] == "primary")
        if b["countdown"] is not None:
            check_countdown(b["countdown"])
            assert b["countdown"]["template"] == f"{b['label']} через {{time}}"
            assert b["action"] not in state["actions"]  # waiting: disabled
    if screen["field"] is not None:
        assert set(screen["field"]) == FIELD_KEYS
    for m in state["messages"] + state["notices"]:
        assert set(m) == MESSAGE_KEYS and m["level"] in ("info", "success", "warning", "error")
        assert m["field"] is None or m["field"] in tuple(FieldName)
        assert russian(m["text"])
        assert m["text"] not in paragraphs(state)  # never said twice
    assert all(m["code"] in NOTICES for m in state["notices"])
    assert not any(m["code"] in NOTICES for m in state["messages"])
    for letter in state["inbox"]:
        assert set(letter) == LETTER_KEYS and set(letter["link"]) == LINK_KEYS
    device = state["device"]
    assert set(device) == {"sms", "call", "latest"}
    for item in device["sms"] + [x for x in (device["call"], device["latest"]) if x]:
        assert set(item) == {"meta", "text"}
    assert (device["latest"] is None) == (not device["sms"] and device["call"] is None)
    if "restart" in state["actions"]:
        assert state["actions"][-1] == "restart"


@pytest.mark.parametrize("info", STEPS, ids=lambda i: i.id.value)
def test_shape_at_every_step(info):
    state = render(start(info.id.value, seed=1))
    check_shape(state)
    assert (state["step"], state["number"], state["title"]) == (info.id.value, info.number, info.title)
    assert state["branch"] == ("contact-support" if info.number is None else None)
    assert state["clock"] == 0 and state["clock_text"] == "10:00"
    assert state["actions"] == allowed_actions(start(info.id.value, seed=1))
    assert ("restart" in state["actions"]) == (info.number != 1)  # only the untouched first step has none


@pytest.mark.parametrize(
    ("step", "where"),
    [
        ("open-ozon", "Шаг 1 из 9"),
        ("enter-phone", "Шаг 6 из 9"),
        ("sign-in", "Шаг 9 из 9"),
        ("contact-support", "Отдельный случай: нет доступа к почте"),
    ],
)
def test_where_and_page_title(step, where):
    state = render(start(step))
    assert state["where"] == where
    assert state["page_title"] == M.page_title(state["number"], TOTAL, state["title"])


@pytest.mark.parametrize(
    ("step", "name", "type_", "inputmode", "autocomplete", "placeholder"),
    [
        ("enter-email", "email", "email", "email", "off", "name@example.com"),
        ("enter-phone", "phone", "tel", "tel", "off", "+7 900 000-00-00"),
        ("new-password", "password", "password", "text", "new-password", "Не короче 8 символов"),
        ("sign-in", "password", "password", "text", "current-password", ""),
    ],
)
def test_fields(step, name, type_, inputmode, autocomplete, placeholder):
    field = render(start(step))["screen"]["field"]
    assert (field["name"], field["type"], field["inputmode"], field["autocomplete"], field["placeholder"]) == (
        name,
        type_,
        inputmode,
        autocomplete,
        placeholder,
    )
    assert field["value"] == ""


def test_code_field_and_buttons():
    s = act(start("confirm-phone"), "choose_sms")
    screen = render(s)["screen"]
    assert screen["field"]["name"] == "code"
    assert (screen["field"]["inputmode"], screen["field"]["autocomplete"]) == ("numeric", "one-time-code")
    assert screen["field"]["label"] == "Код из SMS"
    assert [b["action"] for b in screen["buttons"]] == [
        "submit_code",
        "resend_code",
        "choose_call",
        "choose_call_number",
        "back",
    ]
    call = render(act(start("confirm-phone"), "choose_call"))["screen"]
    assert call["field"]["label"] == "Код из звонка"
    assert [b["label"] for b in call["buttons"]][1:3] == ["Позвонить ещё раз", "Получить код по SMS"]


def test_choice_screen():
    state = render(start("confirm-phone"))
    assert state["screen"]["field"] is None
    assert [b["action"] for b in state["screen"]["buttons"]] == [
        "choose_sms",
        "choose_call",
        "choose_call_number",
        "back",
    ]
    assert state["screen"]["text"][0] == "Подтвердите номер +7 900 555-44-66: мы пришлём на него код."


def test_field_keeps_rejected_value_but_never_a_password():
    s = act(start("enter-phone"), "submit_phone", "+7 495 123-45-67")
    assert render(s)["screen"]["field"]["value"] == "+7 495 123-45-67"
    s = act(start("new-password"), "submit_password", "qwerty123")
    assert render(s)["screen"]["field"]["value"] == ""


def test_buttons_on_cooldown_stay_visible_but_not_allowed():
    """A resend waiting for its cooldown shows the countdown on the button itself."""
    state = render(start("check-inbox"))
    check_shape(state)
    assert "resend_letter" not in state["actions"]
    assert button(state, "resend_letter")["countdown"] == {
        "seconds": LETTER_COOLDOWN,
        "template": "Отправить письмо ещё раз через {time}",
    }
    assert button(state, "no_email_access")["countdown"] is None
    assert not any("можно через" in t for t in paragraphs(state))  # no static «wait» paragraph
    later = render(tick(start("check-inbox"), 15))
    assert button(later, "resend_letter")["countdown"]["seconds"] == 45
    assert timer(later, "letter_resend") == 45
    ready = render(tick(start("check-inbox"), LETTER_COOLDOWN))
    assert "resend_letter" in ready["actions"] and button(ready, "resend_letter")["countdown"] is None
    assert timer(ready, "letter_resend") is None


@pytest.mark.parametrize(
    ("channel", "resend", "other"),
    [("sms", "Отправить код ещё раз", "Получить код звонком"), ("call", "Позвонить ещё раз", "Получить код по SMS")],
)
def test_code_buttons_count_down(channel, resend, other):
    s = act(start("confirm-phone"), f"choose_{channel}")
    state = render(s)
    check_shape(state)
    other_action = "choose_call" if channel == "sms" else "choose_sms"
    assert button(state, "resend_code")["countdown"] == {
        "seconds": CODE_COOLDOWN,
        "template": f"{resend} через {{time}}",
    }
    assert button(state, other_action)["countdown"] == {"seconds": CODE_COOLDOWN, "template": f"{other} через {{time}}"}
    assert button(state, "submit_code")["countdown"] is None and button(state, "back")["countdown"] is None
    assert timer(state, "code_resend") == CODE_COOLDOWN
    later = render(tick(s, 45))
    assert button(later, "resend_code")["countdown"]["seconds"] == 15 and timer(later, "code_resend") == 15
    ready = render(tick(s, CODE_COOLDOWN))
    assert all(b["countdown"] is None for b in ready["screen"]["buttons"])
    assert {"resend_code", other_action} <= set(ready["actions"]) and timer(ready, "code_resend") is None


def test_choice_buttons_count_down_after_changing_the_number():
    """Back to the number and again: the cooldown still runs on the choice screen."""
    s = act(act(start("confirm-phone"), "choose_sms"), "back")
    s = act(tick(s, 20), "submit_phone", "+7 912 345-67-89")
    state = render(s)
    check_shape(state)
    assert [button(state, a)["countdown"]["seconds"] for a in ("choose_sms", "choose_call")] == [40, 40]
    assert timer(state, "code_resend") == 40


def test_inbox_letter():
    state = render(start("check-inbox", seed=4))
    (letter,) = state["inbox"]
    assert set(letter) == LETTER_KEYS
    assert (letter["sender"], letter["subject"], letter["time"]) == (
        "Ozon (демо)",
        "Восстановление доступа к аккаунту",
        "10:00",
    )
    assert letter["meta"] == "Ozon (демо) · 10:00"
    assert "anna.demo@example.com" in letter["body"][1]
    link = letter["link"]
    assert (link["action"], link["label"], link["status"], link["status_text"]) == (
        "open_link",
        "Восстановить доступ",
        "active",
        None,
    )
    assert len(link["value"]) == 32
    assert timer(state, "link") == LINK_LIFETIME
    # The screen counts the link down too, with its own words.
    assert state["screen"]["countdowns"] == [
        {"seconds": LINK_LIFETIME, "template": "Ссылка из последнего письма действует ещё {time}."}
    ]


def test_inbox_order_and_statuses():
    s = tick(start("check-inbox"), 120)
    s = act(s, "resend_letter")
    inbox = render(s)["inbox"]
    assert [l["id"] for l in inbox] == ["letter-1", "letter-2"]
    assert [l["link"]["status"] for l in inbox] == ["replaced", "active"]
    assert [l["time"] for l in inbox] == ["10:00", "10:02"]
    assert [l["link"]["status_text"] for l in inbox] == ["Эта ссылка заменена новым письмом", None]
    expired = render(tick(s, LINK_LIFETIME))
    assert [l["link"]["status"] for l in expired["inbox"]] == ["replaced", "expired"]
    assert expired["inbox"][1]["link"]["status_text"] == "Срок действия ссылки истёк"
    assert timer(expired, "link") is None and expired["screen"]["countdowns"] == []
    assert "Действующей ссылки нет — запросите новое письмо." in paragraphs(expired)
    used = render(act(s, "open_link", s.letters[-1].token))
    assert [l["link"]["status_text"] for l in used["inbox"]] == [
        "Эта ссылка заменена новым письмом",
        "Ссылка уже использована",
    ]
    assert timer(used, "link") is None


def test_device_sms_and_call():
    assert render(start("confirm-phone"))["device"] == {"sms": [], "call": None, "latest": None}
    s = act(start("confirm-phone"), "choose_sms")
    sms = render(s)["device"]
    assert sms["latest"] == sms["sms"][0] and sms["call"] is None
    s = act(tick(s, 60), "choose_call")
    device = render(s)["device"]
    assert len(device["sms"]) == 1
    assert device["sms"][0] == {"meta": "SMS · Ozon (демо) · 10:00", "text": s.sms[0].text}
    assert device["call"]["meta"] == "Входящий звонок · Ozon (демо) · 10:01"
    assert device["call"]["text"].startswith("Здравствуйте! Ваш код подтверждения: ")
    assert device["latest"] == device["call"]  # the newest of them all
    s = act(tick(s, 60), "choose_sms")
    device = render(s)["device"]
    assert len(device["sms"]) == 2 and device["latest"] == device["sms"][-1]
    assert device["latest"]["meta"].endswith("10:02") and device["latest"]["text"] == s.sms[-1].text


def test_code_timers_and_attempts():
    s = act(start("confirm-phone"), "choose_sms")
    state = render(s)
    check_shape(state)
    assert timer(state, "code") == CODE_LIFETIME
    assert timer(state, "code_resend") == 60
    assert state["attempts_left"] == 3
    assert state["screen"]["countdowns"] == [{"seconds": CODE_LIFETIME, "template": "Код действует ещё {time}."}]
    assert not any("Код действует" in t or "можно через" in t for t in paragraphs(state))
    later = render(tick(s, 100))
    assert later["screen"]["countdowns"][0]["seconds"] == CODE_LIFETIME - 100 == timer(later, "code")
    wrong = f"{(int(s.code.value) + 1) % 10**6:06d}"
    s = act(s, "submit_code", wrong)
    once = render(s)
    check_shape(once)
    said = [m["text"] for m in once["messages"]]
    assert once["attempts_left"] == 2 and said == ["Неверный код. Осталось 2 попытки."]
    assert not any(t.startswith("Остал") for t in paragraphs(once))  # said once, by the message
    assert timer(once, "code") == CODE_LIFETIME  # the code still lives
    s = act(s, "submit_code", wrong)
    assert [m["text"] for m in render(s)["messages"]] == ["Неверный код. Осталась 1 попытка."]
    s = act(s, "submit_code", wrong)
    burned = render(s)
    check_shape(burned)
    assert burned["attempts_left"] == 0 and timer(burned, "code") is None
    assert "Попытки ввода этого кода закончились. Запросите новый." in paragraphs(burned)
    assert not any(t.startswith("Остал") for t in paragraphs(burned))  # no «0 attempts left»
    assert burned["screen"]["countdowns"] == []
    expired = render(tick(act(start("confirm-phone"), "choose_sms"), CODE_LIFETIME))
    check_shape(expired)
    assert "Срок действия кода истёк. Запросите новый." in paragraphs(expired)
    assert timer(expired, "code_resend") is None and timer(expired, "code") is None
    assert expired["timers"] == [] and expired["screen"]["countdowns"] == []
    assert render(start("new-password"))["attempts_left"] is None


def test_timers_list_only_what_runs():
    """The panel lists the running countdowns, in a fixed order: link, letter, code, code resend."""
    assert render(start())["timers"] == []
    inbox = render(start("check-inbox"))["timers"]
    assert inbox == [
        {"seconds": LINK_LIFETIME, "template": TIMER["link"]},
        {"seconds": LETTER_COOLDOWN, "template": TIMER["letter_resend"]},
    ]
    assert render(start("confirm-phone"))["timers"] == []  # the link is used, no code yet
    code = render(act(start("confirm-phone"), "choose_call"))["timers"]
    assert code == [
        {"seconds": CODE_LIFETIME, "template": TIMER["code"]},
        {"seconds": CODE_COOLDOWN, "template": TIMER["code_resend"]},
    ]
    # The still-running cooldown is no concern of the steps after the confirmation.
    s = act(start("confirm-phone"), "choose_sms")
    assert render(act(s, "submit_code", s.code.value))["timers"] == []


def test_a_message_replaces_the_paragraph_that_says_the_same():
    """Right after the code is sent the message says so; the screen's paragraph comes back later."""
    s = act(start("confirm-phone"), "choose_sms")
    said = "Мы отправили SMS с кодом на номер +7 900 555-44-66."
    state = render(s)
    assert [m["text"] for m in state["messages"]] == [said] and said not in paragraphs(state)
    assert said not in paragraphs(render(tick(s, 10)))  # the message stays over a tick
    wrong = render(act(s, "submit_code", "000000" if s.code.value != "000000" else "111111"))
    assert wrong["screen"]["text"][0] == said and said not in [m["text"] for m in wrong["messages"]]
    # «Неверный код. Осталось 2 попытки.» stands for «Осталось 2 попытки ввода кода.» while shown.
    assert [m["text"] for m in wrong["messages"]] == [M.attempts_left(2)]
    assert M.attempts_remaining(2) not in paragraphs(wrong)
    call = render(act(start("confirm-phone"), "choose_call"))
    assert call["messages"][0]["text"] == "Мы звоним на номер +7 900 555-44-66: автоматический голос продиктует код."
    assert call["messages"][0]["text"] not in paragraphs(call)


def test_aside_repeats_what_the_step_needs_from_the_side_panels():
    """The letter beside the inbox step, the phone beside the code field; nothing elsewhere."""
    assert render(start("check-inbox"))["screen"]["aside"] == "letter"
    assert render(start("confirm-phone"))["screen"]["aside"] is None  # no code sent yet
    assert render(act(start("confirm-phone"), "choose_call"))["screen"]["aside"] == "device"
    for step in ("open-ozon", "enter-email", "enter-phone", "new-password", "sign-in", "contact-support"):
        assert render(start(step))["screen"]["aside"] is None, step


def test_messages_carry_their_field():
    state = render(act(start("enter-email"), "submit_email", "anna@"))
    assert [(m["code"], m["field"]) for m in state["messages"]] == [("email_no_domain", "email")]
    first = render(start("enter-email"))
    assert first["messages"] == [] and [(m["code"], m["field"]) for m in first["notices"]] == [
        ("training_notice", None),
        ("demo_data", None),
    ]


def test_sign_in_demo_password_hint():
    text = paragraphs(render(start("sign-in")))
    assert f"Пароль для демонстрации: {DEMO_PASSWORD}" in text
    assert "Телефон: +7 900 555-44-66" in text
    own = act(start("new-password"), "submit_password", "Клён-Маяк-Весна-47!")
    assert not any("демонстрации" in t for t in paragraphs(render(own)))


def test_done_screen():
    state = render(act(start("sign-in"), "sign_in", DEMO_PASSWORD))
    assert state["done"] is True and state["actions"] == ["restart"]
    assert state["screen"]["heading"] == "Вы в аккаунте"
    assert state["screen"]["text"][0].startswith("Поздравляем!")
    assert "запишите новый номер и пароль" in state["screen"]["hints"][0]
    assert [b["action"] for b in state["screen"]["buttons"]] == ["restart"]


def test_support_screen():
    state = render(start("contact-support"))
    items = state["screen"]["list"]
    assert len(items) == 6
    joined = " ".join(items + paragraphs(state))
    for needle in (
        "Старый номер",
        "почты",
        "заказов",
        "банковской карты",
        "профиле",
        "пункт выдачи",
        "дополнительные вопросы",
        "никому не сообщайте коды из SMS и пароли",
    ):
        assert needle in joined
    assert [b["action"] for b in state["screen"]["buttons"]] == ["back"]
    # The list is drawn above the controls: the line that introduces it goes with it,
    # not among the hints below the button (seen at 360 px).
    assert state["screen"]["text"][-1] == M.SCREENS["support_prepare"]
    assert M.SCREENS["support_prepare"] not in state["screen"]["hints"]


def test_open_screen_session():
    assert "старым номером +7 900 111-22-33" in render(start())["screen"]["hints"][0]
    assert render(start(session=False))["screen"]["hints"][0].startswith("На этом устройстве вы не в аккаунте")


def test_data_block():
    data = render(start("new-password"))["data"]
    assert data == {
        "session_active": False,
        "email": "anna.demo@example.com",
        "old_phone": "+7 900 111-22-33",
        "phone": "+79005554466",
        "phone_display": "+7 900 555-44-66",
        "channel": "sms",
        "phone_confirmed": True,
        "password_set": False,
    }


def test_unknown_step_state():
    state = render(start("no-such-step"))
    assert state["error_code"] == "unknown_step" and state["step"] == "open-ozon"
    assert state["notices"][0]["code"] == "unknown_step" and state["messages"] == []
