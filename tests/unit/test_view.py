"""The rendered state: its exact shape, screens, inbox, device, timers."""

import json

import pytest

from recovery_core import DEMO_PASSWORD, STEPS, TOTAL, render
from recovery_core.flow import act, allowed_actions, start, tick
from recovery_core.services import CODE_LIFETIME, LINK_LIFETIME

STATE_KEYS = {
    "step", "number", "total", "title", "actions", "screen", "messages", "inbox", "device",
    "timers", "attempts_left", "data", "clock", "clock_text", "done", "branch", "error_code",
}
SCREEN_KEYS = {"heading", "text", "field", "buttons", "list"}
FIELD_KEYS = {"name", "label", "type", "inputmode", "autocomplete", "value", "placeholder"}
BUTTON_KEYS = {"action", "label", "kind", "uses_field"}
DATA_KEYS = {"session_active", "email", "old_phone", "phone", "phone_display", "channel", "phone_confirmed", "password_set"}
TIMER_KEYS = {"letter_resend_in", "link_expires_in", "code_expires_in", "code_resend_in"}
CYRILLIC = set("абвгдеёжзийклмнопрстуфхцчшщъыьэюя")


def russian(text):
    return any(c in CYRILLIC for c in text.lower())


def check_shape(state):
    assert set(state) == STATE_KEYS
    assert json.loads(json.dumps(state, ensure_ascii=False)) == state
    assert set(state["screen"]) == SCREEN_KEYS
    assert set(state["data"]) == DATA_KEYS
    assert set(state["timers"]) == TIMER_KEYS
    assert state["total"] == TOTAL
    screen = state["screen"]
    assert russian(screen["heading"]) or screen["heading"] == "Откройте Ozon"
    assert screen["text"] and all(russian(t) for t in screen["text"])
    for b in screen["buttons"]:
        assert set(b) == BUTTON_KEYS and b["kind"] in ("primary", "secondary", "link") and russian(b["label"])
        assert b["uses_field"] == (screen["field"] is not None and b["kind"] == "primary")
    if screen["field"] is not None:
        assert set(screen["field"]) == FIELD_KEYS
    for m in state["messages"]:
        assert set(m) == {"level", "text", "code"} and m["level"] in ("info", "success", "warning", "error")
        assert russian(m["text"])
    for v in state["timers"].values():
        assert v is None or (isinstance(v, int) and v > 0)
    assert state["actions"][-1] == "restart"


@pytest.mark.parametrize("info", STEPS, ids=lambda i: i.id.value)
def test_shape_at_every_step(info):
    state = render(start(info.id.value, seed=1))
    check_shape(state)
    assert (state["step"], state["number"], state["title"]) == (info.id.value, info.number, info.title)
    assert state["branch"] == ("contact-support" if info.number is None else None)
    assert state["clock"] == 0 and state["clock_text"] == "10:00"
    assert state["actions"] == allowed_actions(start(info.id.value, seed=1))


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
        name, type_, inputmode, autocomplete, placeholder)
    assert field["value"] == ""


def test_code_field_and_buttons():
    s = act(start("confirm-phone"), "choose_sms")
    screen = render(s)["screen"]
    assert screen["field"]["name"] == "code"
    assert (screen["field"]["inputmode"], screen["field"]["autocomplete"]) == ("numeric", "one-time-code")
    assert screen["field"]["label"] == "Код из SMS"
    assert [b["action"] for b in screen["buttons"]] == ["submit_code", "resend_code", "choose_call", "back"]
    call = render(act(start("confirm-phone"), "choose_call"))["screen"]
    assert call["field"]["label"] == "Код из звонка"
    assert [b["label"] for b in call["buttons"]][1:3] == ["Позвонить ещё раз", "Получить код по SMS"]


def test_choice_screen():
    state = render(start("confirm-phone"))
    assert state["screen"]["field"] is None
    assert [b["action"] for b in state["screen"]["buttons"]] == ["choose_sms", "choose_call", "back"]
    assert state["screen"]["text"][0] == "Подтвердите номер +7 900 555-44-66: мы пришлём на него код."


def test_field_keeps_rejected_value_but_never_a_password():
    s = act(start("enter-phone"), "submit_phone", "+7 495 123-45-67")
    assert render(s)["screen"]["field"]["value"] == "+7 495 123-45-67"
    s = act(start("new-password"), "submit_password", "qwerty123")
    assert render(s)["screen"]["field"]["value"] == ""


def test_buttons_on_cooldown_stay_visible_but_not_allowed():
    state = render(start("check-inbox"))
    assert "resend_letter" in [b["action"] for b in state["screen"]["buttons"]]
    assert "resend_letter" not in state["actions"]
    assert state["screen"]["text"][-1] == "Отправить письмо ещё раз можно через 1 минуту."
    later = render(tick(start("check-inbox"), 15))
    assert later["screen"]["text"][-1] == "Отправить письмо ещё раз можно через 45 секунд."
    assert later["timers"]["letter_resend_in"] == 45


def test_inbox_letter():
    state = render(start("check-inbox", seed=4))
    (letter,) = state["inbox"]
    assert set(letter) == {"id", "from", "subject", "time", "body", "link"}
    assert (letter["from"], letter["subject"], letter["time"]) == (
        "Служба поддержки (демо)", "Восстановление доступа к аккаунту", "10:00")
    assert "anna.demo@example.com" in letter["body"][1]
    link = letter["link"]
    assert (link["action"], link["label"], link["status"]) == ("open_link", "Восстановить доступ", "active")
    assert len(link["value"]) == 32
    assert state["timers"]["link_expires_in"] == LINK_LIFETIME


def test_inbox_order_and_statuses():
    s = tick(start("check-inbox"), 120)
    s = act(s, "resend_letter")
    inbox = render(s)["inbox"]
    assert [l["id"] for l in inbox] == ["letter-1", "letter-2"]
    assert [l["link"]["status"] for l in inbox] == ["replaced", "active"]
    assert [l["time"] for l in inbox] == ["10:00", "10:02"]
    expired = render(tick(s, LINK_LIFETIME))
    assert [l["link"]["status"] for l in expired["inbox"]] == ["replaced", "expired"]
    assert expired["timers"]["link_expires_in"] is None
    assert "Действующей ссылки нет — запросите новое письмо." in expired["screen"]["text"]


def test_device_sms_and_call():
    s = act(start("confirm-phone"), "choose_sms")
    s = act(tick(s, 60), "choose_call")
    device = render(s)["device"]
    assert len(device["sms"]) == 1 and device["sms"][0]["from"] == "Ozon (демо)"
    assert device["sms"][0]["time"] == "10:00"
    assert device["call"]["from"] == "Автоинформатор (демо)" and device["call"]["time"] == "10:01"
    assert device["call"]["transcript"].startswith("Здравствуйте! Ваш код подтверждения: ")


def test_code_timers_and_attempts():
    s = act(start("confirm-phone"), "choose_sms")
    state = render(s)
    assert state["timers"]["code_expires_in"] == CODE_LIFETIME
    assert state["timers"]["code_resend_in"] == 60
    assert state["attempts_left"] == 3
    assert "Код действует ещё 5 минут." in state["screen"]["text"]
    wrong = f"{(int(s.code.value) + 1) % 10**6:06d}"
    for _ in range(3):
        s = act(s, "submit_code", wrong)
    burned = render(s)
    assert burned["attempts_left"] == 0 and burned["timers"]["code_expires_in"] is None
    assert "Попытки ввода этого кода закончились. Запросите новый." in burned["screen"]["text"]
    expired = render(tick(act(start("confirm-phone"), "choose_sms"), CODE_LIFETIME))
    assert "Срок действия кода истёк. Запросите новый." in expired["screen"]["text"]
    assert expired["timers"]["code_resend_in"] is None
    assert render(start("new-password"))["attempts_left"] is None


def test_sign_in_demo_password_hint():
    text = render(start("sign-in"))["screen"]["text"]
    assert f"Пароль для демонстрации: {DEMO_PASSWORD}" in text
    assert "Телефон: +7 900 555-44-66" in text
    own = act(start("new-password"), "submit_password", "Клён-Маяк-Весна-47!")
    assert not any("демонстрации" in t for t in render(own)["screen"]["text"])


def test_done_screen():
    state = render(act(start("sign-in"), "sign_in", DEMO_PASSWORD))
    assert state["done"] is True and state["actions"] == ["restart"]
    assert state["screen"]["heading"] == "Вы в аккаунте"
    assert state["screen"]["text"][0].startswith("Поздравляем!")
    assert "запишите новый номер и пароль" in state["screen"]["text"][1]
    assert [b["action"] for b in state["screen"]["buttons"]] == ["restart"]


def test_support_screen():
    state = render(start("contact-support"))
    items = state["screen"]["list"]
    assert len(items) == 6
    joined = " ".join(items + state["screen"]["text"])
    for needle in ("Старый номер", "почты", "заказов", "банковской карты", "профиле", "пункт выдачи",
                   "дополнительные вопросы", "никому не сообщайте коды из SMS и пароли"):
        assert needle in joined
    assert [b["action"] for b in state["screen"]["buttons"]] == ["back"]


def test_open_screen_session():
    assert "старым номером +7 900 111-22-33" in render(start())["screen"]["text"][1]
    assert render(start(session=False))["screen"]["text"][1].startswith("На этом устройстве вы не в аккаунте")


def test_data_block():
    data = render(start("new-password"))["data"]
    assert data == {
        "session_active": False, "email": "anna.demo@example.com", "old_phone": "+7 900 111-22-33",
        "phone": "+79005554466", "phone_display": "+7 900 555-44-66", "channel": "sms",
        "phone_confirmed": True, "password_set": False,
    }


def test_unknown_step_state():
    state = render(start("no-such-step"))
    assert state["error_code"] == "unknown_step" and state["step"] == "open-ozon"
    assert state["messages"][0]["code"] == "unknown_step"
