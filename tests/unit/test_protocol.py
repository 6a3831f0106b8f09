"""The JSON protocol: replies, ids, every error code, never raising."""

import json

import pytest

from recovery_core import handle, protocol, respond
from recovery_core.contract import FieldName, Op
from recovery_core.protocol import FIELDS, MAX_REQUEST, MAX_VALUE
from recovery_core.saved import dump

CYRILLIC = set("абвгдеёжзийклмнопрстуфхцчшщъыьэюя")


@pytest.fixture(autouse=True)
def fresh_worker():
    protocol.reset()
    yield
    protocol.reset()


def call(obj):
    text = obj if isinstance(obj, str) else json.dumps(obj, ensure_ascii=False)
    reply = json.loads(handle(text))
    assert isinstance(reply, dict) and reply["ok"] in (True, False) and "id" in reply
    return reply


def error_code(obj):
    reply = call(obj)
    assert reply["ok"] is False
    assert set(reply["error"]) == {"code", "message"}
    assert any(c in CYRILLIC for c in reply["error"]["message"].lower())
    return reply["error"]["code"]


def test_start_reply():
    reply = call({"op": "start", "step": None, "seed": 1, "id": 7})
    assert reply["ok"] is True and reply["id"] == 7
    assert set(reply) == {"ok", "state", "saved", "id"}
    assert reply["state"]["step"] == "open-ozon"
    assert reply["saved"] == dump(protocol._session)


def test_ops_and_fields_are_the_contract_enums():
    assert tuple(Op) == ("start", "act", "check", "tick", "restore")
    assert FIELDS == tuple(FieldName) == ("email", "phone", "code", "password")


@pytest.mark.parametrize(
    "request_",
    [
        {"op": "act", "action": "open_app"},
        {"op": "tick", "seconds": 5},
        {"op": "act", "action": "submit_email", "value": "x"},  # a validation failure too
    ],
)
def test_every_state_reply_carries_saved(request_):
    """``saved`` is the session after the request, as JSON data."""
    call({"op": "start", "step": "enter-email" if request_.get("action") == "submit_email" else None, "seed": 2})
    reply = call(request_)
    assert set(reply) == {"ok", "state", "saved", "id"} and reply["ok"] is True
    assert reply["saved"] == dump(protocol._session)
    assert reply["saved"]["step"] == reply["state"]["step"]


@pytest.mark.parametrize("rid", [0, 1, -5, 2.5, "abc", "", "запрос-1", True, False, None])
def test_id_is_echoed(rid):
    assert call({"op": "start", "id": rid})["id"] == rid
    assert call({"op": "nope", "id": rid})["id"] == rid


@pytest.mark.parametrize("rid", [[1], {"a": 1}])
def test_non_scalar_id_becomes_null(rid):
    assert call({"op": "start", "id": rid})["id"] is None


@pytest.mark.parametrize("literal", ["1e400", "-1e400", "1E999"])
def test_an_id_that_overflows_a_float_becomes_null_and_the_reply_stays_json(literal):
    """JSON numbers beyond a double parse to ±inf in Python; echoing one would write
    ``Infinity``, which JSON has no word for."""
    for op in ("start", "nope"):
        raw = handle(f'{{"op": "{op}", "id": {literal}}}')
        reply = json.loads(raw, parse_constant=lambda c: pytest.fail(f"not JSON: {c}"))
        assert reply["id"] is None


def test_id_absent_or_unreadable_is_null():
    assert call({"op": "start"})["id"] is None
    assert call("{not json")["id"] is None
    assert call({"op": "start", "id": "x" * (MAX_VALUE + 1)})["id"] is None


@pytest.mark.parametrize(
    ("request_", "code"),
    [
        ("", "bad_json"),
        ("{", "bad_json"),
        ("{'op': 'start'}", "bad_json"),
        ('{"op": "tick", "seconds": NaN}', "bad_json"),
        ('{"op": "tick", "seconds": Infinity}', "bad_json"),
        ('{"op": "start", "seed": 1' + "0" * 5000 + "}", "bad_json"),
        ("[" * 50 + "]" * 50, "bad_request"),
        ('{"a": ' + "[" * 20000 + "]" * 20000 + "}", "bad_request"),
        ("[]", "bad_request"),
        ("42", "bad_request"),
        ('"start"', "bad_request"),
        ("null", "bad_request"),
        ("{}", "bad_request"),
        ('{"op": 5}', "bad_request"),
        ('{"op": null}', "bad_request"),
        ('{"op": "fly"}', "unknown_op"),
        ('{"op": "START"}', "unknown_op"),
        ('{"op": "act", "action": "open_app"}', "no_session"),
        ('{"op": "tick", "seconds": 5}', "no_session"),
        (" " * (MAX_REQUEST + 1), "too_long"),
        (json.dumps({"op": "check", "field": "email", "value": "a" * (MAX_VALUE + 1)}), "too_long"),
        (json.dumps({"op": "start", "data": {"email": "a" * (MAX_VALUE + 1)}}), "too_long"),
        (json.dumps({"op": "start", "x": ["a" * (MAX_VALUE + 1)]}), "too_long"),
        (json.dumps({"op": "start", "k" * (MAX_VALUE + 1): 1}), "too_long"),
        ('{"op": "start", "seed": "1"}', "bad_request"),
        ('{"op": "start", "seed": 1.5}', "bad_request"),
        ('{"op": "start", "seed": true}', "bad_request"),
        ('{"op": "check", "field": 1, "value": "x"}', "bad_request"),
        ('{"op": "check", "value": "x"}', "bad_request"),
        ('{"op": "check", "field": "name", "value": "x"}', "unknown_field"),
        ('{"op": "check", "field": "email", "value": 5}', "bad_request"),
        ('{"op": "check", "field": "email", "value": ["a"]}', "bad_request"),
        ('{"op": "restore"}', "bad_saved"),
        ('{"op": "restore", "saved": null}', "bad_saved"),
        ('{"op": "restore", "saved": "x"}', "bad_saved"),
        ('{"op": "restore", "saved": {}}', "bad_saved"),
        ('{"op": "restore", "saved": [1, 2]}', "bad_saved"),
    ],
)
def test_errors_without_session(request_, code):
    assert error_code(request_) == code


@pytest.mark.parametrize(
    "payload",
    [
        # Many brackets, but inside strings (with escaped quotes) or side by side: not deep.
        json.dumps({"op": "check", "field": "password", "value": '[{"\\' * 40}),
        json.dumps({"op": "start", "data": {"email": None, "x": [[]] * 30}}),
    ],
)
def test_many_brackets_are_fine_when_not_nested(payload):
    assert call(payload)["ok"] is True


def test_non_string_request():
    for bad in (None, b'{"op": "start"}', 5, {"op": "start"}):
        reply = json.loads(handle(bad))
        assert reply["ok"] is False and reply["error"]["code"] == "bad_request" and reply["id"] is None


@pytest.mark.parametrize(
    ("request_", "code"),
    [
        ({"op": "act"}, "bad_request"),
        ({"op": "act", "action": 5}, "bad_request"),
        ({"op": "act", "action": "fly"}, "unknown_action"),
        ({"op": "act", "action": "sign_in", "value": "x"}, "action_not_allowed"),
        ({"op": "act", "action": "open_app", "value": 5}, "bad_request"),
        ({"op": "act", "action": "open_app", "value": {"a": 1}}, "bad_request"),
        ({"op": "tick"}, "bad_request"),
        ({"op": "tick", "seconds": -1}, "bad_request"),
        ({"op": "tick", "seconds": "5"}, "bad_request"),
        ({"op": "tick", "seconds": True}, "bad_request"),
        ({"op": "tick", "seconds": None}, "bad_request"),
    ],
)
def test_errors_with_session(request_, code):
    call({"op": "start", "seed": 1})
    assert error_code(request_) == code


def test_action_not_allowed_names_the_step():
    call({"op": "start", "step": "enter-email"})
    reply = call({"op": "act", "action": "sign_in", "value": "x", "id": "r1"})
    assert reply == {
        "ok": False,
        "error": {
            "code": "action_not_allowed",
            "message": "На шаге «Укажите электронную почту аккаунта» это действие сейчас недоступно.",
        },
        "id": "r1",
    }


def test_action_not_allowed_with_quotes_in_the_title():
    call({"op": "start", "step": "forgot-password"})
    reply = call({"op": "act", "action": "sign_in", "value": "x"})
    assert reply["error"]["message"] == "На шаге «Нажмите „Забыли пароль?“» это действие сейчас недоступно."


def test_errors_keep_the_session():
    before = call({"op": "start", "step": "enter-email", "seed": 1})["state"]
    error_code({"op": "act", "action": "fly"})
    error_code("{")
    after = call({"op": "tick", "seconds": 0})["state"]
    assert after["step"] == before["step"] == "enter-email"


def test_validation_failure_is_ok_reply():
    call({"op": "start", "step": "enter-email"})
    reply = call({"op": "act", "action": "submit_email", "value": "anna@"})
    assert reply["ok"] is True
    state = reply["state"]
    assert state["step"] == "enter-email"
    assert state["messages"] == [
        {
            "level": "error",
            "text": "После «@» укажите почтовый домен, например mail.ru.",
            "code": "email_no_domain",
            "field": "email",
        }
    ]


def test_act_without_value_counts_as_empty():
    call({"op": "start", "step": "enter-email"})
    reply = call({"op": "act", "action": "submit_email"})
    assert reply["state"]["messages"][0]["code"] == "email_empty"


def test_full_run_through_the_protocol():
    call({"op": "start", "seed": 11})
    for action in ("open_app", "sign_out", "forgot_password"):
        assert call({"op": "act", "action": action})["ok"]
    state = call({"op": "act", "action": "submit_email", "value": "maria@почта.рф"})["state"]
    assert state["data"]["email"] == "maria@почта.рф"
    token = state["inbox"][0]["link"]["value"]
    state = call({"op": "act", "action": "open_link", "value": token})["state"]
    state = call({"op": "act", "action": "submit_phone", "value": "8 912 345 67 89"})["state"]
    assert state["data"]["phone"] == "+79123456789"
    state = call({"op": "act", "action": "choose_call"})["state"]
    assert state["device"]["latest"] == state["device"]["call"]
    code = "".join(c for c in state["device"]["call"]["text"].split("Повторяю")[0] if c.isdigit())
    state = call({"op": "act", "action": "submit_code", "value": code})["state"]
    assert state["step"] == "new-password" and state["data"]["phone_confirmed"]
    state = call({"op": "act", "action": "submit_password", "value": "Клён-Маяк-Весна-47!"})["state"]
    state = call({"op": "act", "action": "sign_in", "value": "Клён-Маяк-Весна-47!"})["state"]
    assert state["done"] is True and state["messages"][0]["code"] == "signed_in"


def test_tick():
    call({"op": "start", "step": "confirm-phone"})
    call({"op": "act", "action": "choose_sms"})
    state = call({"op": "tick", "seconds": 30.7})["state"]
    assert state["clock"] == 30
    assert {"seconds": 30, "template": "Новый код можно запросить через {time}"} in state["timers"]
    assert state["messages"][0]["code"] == "code_sent_sms"  # nothing expired: the last message stays
    state = call({"op": "tick", "seconds": 10**9})["state"]
    assert state["clock"] == 30 + 48 * 3600
    assert [m["code"] for m in state["messages"]] == ["code_expired"]
    assert state["timers"] == []


@pytest.mark.parametrize(
    ("field", "value", "ok", "extra"),
    [
        ("email", " Anna@ПОЧТА.РФ ", True, {"display": "Anna@почта.рф"}),
        ("email", "anna", False, {"display": None}),
        ("phone", "8912", False, {"complete": False, "display": "+7 912"}),
        ("phone", "89123456789", True, {"complete": True, "display": "+7 912 345-67-89"}),
        ("code", "123 456", True, {}),
        ("code", None, False, {}),
        ("password", "qwerty", False, {"score": 0}),
        ("password", "correct horse battery staple", True, {"score": 4}),
    ],
)
def test_check(field, value, ok, extra):
    reply = call({"op": "check", "field": field, "value": value, "id": 3})
    assert set(reply) == {"ok", "verdict", "id"} and reply["ok"] is True
    verdict = reply["verdict"]
    assert verdict["ok"] is ok
    assert verdict["message"]
    assert (verdict["value"] is None) == (not ok)
    for key, expected in extra.items():
        assert verdict[key] == expected
    if field == "password":
        assert {"score", "feedback", "crack_time", "checklist"} <= set(verdict)


DEAD = "Этот код больше не действует — запросите новый."


@pytest.mark.parametrize(
    ("setup", "message"),
    [
        ([{"op": "act", "action": "choose_sms"}, {"op": "tick", "seconds": 300}], DEAD),  # expired
        (
            [{"op": "act", "action": "choose_sms"}] + [{"op": "act", "action": "submit_code", "value": "<wrong>"}] * 3,
            DEAD,
        ),  # burned
        ([], "Код ещё не запрошен."),  # none sent yet
    ],
    ids=["expired", "burned", "none"],
)
def test_check_code_that_cannot_work(setup, message):
    """At the confirmation a well-formed code is refused if no live code could match it."""
    call({"op": "start", "step": "confirm-phone", "seed": 1})
    for request in setup:
        if request.get("value") == "<wrong>":
            request = {**request, "value": f"{(int(protocol._session.code.value) + 1) % 10**6:06d}"}
        assert call(request)["ok"]
    before = protocol._session
    reply = call({"op": "check", "field": "code", "value": "123 456"})
    assert reply["ok"] is True
    verdict = reply["verdict"]
    assert (verdict["ok"], verdict["value"], verdict["code"], verdict["message"]) == (False, None, "code_dead", message)
    assert protocol._session is before
    # A malformed code still gets its own verdict.
    assert call({"op": "check", "field": "code", "value": "12"})["verdict"]["code"] == "code_length"


def test_check_code_while_it_lives_checks_the_format_only():
    call({"op": "start", "step": "confirm-phone", "seed": 1})
    call({"op": "act", "action": "choose_sms"})
    right = protocol._session.code.value
    wrong = f"{(int(right) + 1) % 10**6:06d}"
    assert call({"op": "check", "field": "code", "value": wrong})["verdict"]["ok"] is True  # no oracle
    assert call({"op": "check", "field": "code", "value": right})["verdict"]["ok"] is True
    call({"op": "start", "step": "new-password"})
    assert call({"op": "check", "field": "code", "value": "123456"})["verdict"]["ok"] is True


def test_check_changes_no_state_and_uses_session():
    first = call({"op": "start", "step": "new-password", "seed": 1})["state"]
    # With a session the e-mail and the numbers are known to the password check.
    assert (
        call({"op": "check", "field": "password", "value": "anna.demo@example.com"})["verdict"]["code"]
        == "password_is_email"
    )
    assert call({"op": "check", "field": "phone", "value": "+7 900 111-22-33"})["verdict"]["code"] == "phone_is_old"
    after = call({"op": "tick", "seconds": 0})["state"]
    assert {k: v for k, v in after.items() if k != "messages"} == {k: v for k, v in first.items() if k != "messages"}


def test_check_without_session_has_no_user_inputs():
    assert (
        call({"op": "check", "field": "password", "value": "anna.demo@example.com"})["verdict"]["code"]
        != "password_is_email"
    )
    assert call({"op": "check", "field": "phone", "value": "+7 900 111-22-33"})["verdict"]["ok"] is True


def test_start_options():
    state = call({"op": "start", "step": "sign-in", "data": {"email": "maria@mail.ru", "phone": "89123456789"}})[
        "state"
    ]
    assert (state["data"]["email"], state["data"]["phone"]) == ("maria@mail.ru", "+79123456789")
    state = call({"op": "start", "session": False})["state"]
    assert state["data"]["session_active"] is False
    state = call({"op": "start", "step": {"$ne": 1}, "data": "x", "session": "maybe"})["state"]
    assert (state["step"], state["error_code"], state["data"]["session_active"]) == ("open-ozon", "unknown_step", True)


def test_identical_inputs_identical_outputs():
    script = [
        {"op": "start", "step": "check-inbox", "seed": 99},
        {"op": "tick", "seconds": 61},
        {"op": "act", "action": "resend_letter"},
        {"op": "check", "field": "password", "value": "Мурзик!Зима"},
    ]
    runs = []
    for _ in range(2):
        protocol.reset()
        runs.append([handle(json.dumps(r)) for r in script])
    assert runs[0] == runs[1]
    protocol.reset()
    other = [handle(json.dumps({**script[0], "seed": 100}))]
    assert other[0] != runs[0][0]


def test_respond_is_pure():
    session, reply = respond(None, json.dumps({"op": "start", "step": "enter-email"}))
    assert reply["ok"] and session.step == "enter-email"
    same, reply2 = respond(session, json.dumps({"op": "act", "action": "fly"}))
    assert same is session and reply2["error"]["code"] == "unknown_action"
    nxt, _ = respond(session, json.dumps({"op": "act", "action": "back"}))
    assert nxt.step == "forgot-password" and session.step == "enter-email"
    assert protocol._session is None


# --- restore ----------------------------------------------------------------------------


def _played():
    """A session in the middle of the code step, with two letters and a mistyped code."""
    call({"op": "start", "step": "check-inbox", "seed": 8})
    call({"op": "tick", "seconds": 61})
    call({"op": "act", "action": "resend_letter"})
    token = protocol._session.letters[-1].token
    call({"op": "act", "action": "open_link", "value": token})
    call({"op": "act", "action": "submit_phone", "value": "8 912 345 67 89"})
    call({"op": "act", "action": "choose_call"})
    return call({"op": "act", "action": "submit_code", "value": "12"})


def test_restore_takes_saved_back():
    played = _played()
    protocol.reset()
    reply = call({"op": "restore", "saved": played["saved"], "id": "r"})
    assert set(reply) == {"ok", "state", "saved", "id"} and reply["ok"] is True and reply["id"] == "r"
    assert reply["saved"] == played["saved"]
    assert reply["state"]["messages"] == [] and played["state"]["messages"]
    # The rest is as it was, except the paragraph the message had stood for.
    drop = ("messages", "error_code", "screen")
    assert {k: v for k, v in reply["state"].items() if k not in drop} == {
        k: v for k, v in played["state"].items() if k not in drop
    }
    assert reply["state"]["screen"]["field"]["value"] == "12"


def test_restored_session_goes_on():
    played = _played()
    protocol.reset()
    call({"op": "restore", "saved": played["saved"]})
    code = protocol._session.code.value
    state = call({"op": "act", "action": "submit_code", "value": code})["state"]
    assert state["step"] == "new-password" and state["data"]["phone_confirmed"]


def test_restore_replaces_the_session():
    played = _played()
    call({"op": "start", "step": "contact-support"})
    assert call({"op": "restore", "saved": played["saved"]})["state"]["step"] == "confirm-phone"


def test_bad_saved_keeps_the_session():
    call({"op": "start", "step": "enter-email", "seed": 1})
    before = protocol._session
    saved = call({"op": "tick", "seconds": 0})["saved"]
    for bad in ({**saved, "format": 0}, {**saved, "step": "nowhere"}, {**saved, "clock": -1}, {**saved, "seed": "1"}):
        reply = call({"op": "restore", "saved": bad})
        assert reply["ok"] is False and reply["error"] == {
            "code": "bad_saved",
            "message": "Прошлый сеанс тренажёра не удалось восстановить — начинаем заново.",
        }
    assert protocol._session == before


def test_restore_at_sign_in():
    demo = call({"op": "start", "step": "sign-in"})
    protocol.reset()
    state = call({"op": "restore", "saved": demo["saved"]})["state"]
    assert state["step"] == "sign-in" and state["messages"] == []
    assert call({"op": "act", "action": "sign_in", "value": "Veter-Lodka-2718"})["state"]["done"] is True

    call({"op": "start", "step": "new-password"})
    own = call({"op": "act", "action": "submit_password", "value": "Клён-Маяк-Весна-47!"})
    assert own["state"]["step"] == "sign-in" and "Клён" not in json.dumps(own["saved"], ensure_ascii=False)
    protocol.reset()
    state = call({"op": "restore", "saved": own["saved"]})["state"]
    assert state["step"] == "new-password" and not state["data"]["password_set"]
    assert state["messages"] == [] and [m["code"] for m in state["notices"]] == ["password_not_kept"]


def test_internal_errors_are_caught(monkeypatch):
    def boom(*args, **kwargs):
        raise RuntimeError("boom")

    saved = dump(respond(None, json.dumps({"op": "start"}))[0])
    monkeypatch.setattr(protocol, "render", boom)
    assert error_code({"op": "start", "id": 1}) == "internal"
    assert error_code({"op": "restore", "saved": saved}) == "internal"  # not bad_saved: the data was fine
    monkeypatch.setattr(protocol, "respond", boom)
    reply = json.loads(handle("{}"))
    assert reply == {"ok": False, "error": {"code": "internal", "message": reply["error"]["message"]}, "id": None}


def test_replies_are_valid_json_with_unicode():
    text = handle(json.dumps({"op": "start", "step": "contact-support"}))
    assert "Нет доступа к почте" in text  # not \\u-escaped
    json.loads(text)


@pytest.mark.parametrize(
    "payload",
    [
        '{"op": "start", "seed": 1e400}',
        '{"op": "start", "seed": -1}',
        '{"op": "start", "seed": 123456789012345678901234567890}',
        '{"op": "check", "field": "phone", "value": "' + "9" * 1000 + '"}',
        '{"op": "check", "field": "password", "value": "' + "a1!" * 333 + '"}',
        '{"op": "check", "field": "email", "value": "' + "@" * 1000 + '"}',
        '{"op": "check", "field": "code", "value": "\\u0000\\ud800"}',
        '{"op": "start", "step": "\\u0000"}',
        '{"op":"start","op":"act"}',
    ],
)
def test_hostile_values_never_raise(payload):
    reply = call(payload)
    assert reply["ok"] in (True, False)


def test_public_error_codes_and_their_words_live_in_one_place():
    """Every public code has its Russian words; the catalogue holds nothing else but
    the finer reasons the protocol answers with a public code, and «internal»."""
    from recovery_core.contract import INTERNAL, ErrorCode
    from recovery_core.messages import ERRORS

    assert INTERNAL not in set(ErrorCode)
    assert set(protocol._FINER.values()) <= set(ErrorCode)
    assert set(ERRORS) == set(ErrorCode) | set(protocol._FINER) | {INTERNAL}


def test_the_warm_up_runs_to_its_end_and_a_warm_engine_answers_alike():
    """In this process (the subprocess tests in tests/property/test_prop_import.py see the
    import order): every slice runs without error, and the checks answer as before."""
    import recovery_core

    before = json.loads(handle(json.dumps({"op": "check", "field": "password", "value": "Veter-Lodka-2718"})))
    slices = list(protocol.warm_up())
    assert len(slices) >= 2  # the formatter and the password module; zxcvbn is warm already here
    after = json.loads(handle(json.dumps({"op": "check", "field": "password", "value": "Veter-Lodka-2718"})))
    assert before == after and after["verdict"]["ok"] is True
    assert {"check_password", "PasswordVerdict"} <= set(dir(recovery_core))
    with pytest.raises(AttributeError, match="no attribute 'no_such_name'"):
        _ = recovery_core.no_such_name
