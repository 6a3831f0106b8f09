"""Fuzzing: handle() answers anything with valid JSON; validators never raise."""

from __future__ import annotations

import json

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from recovery_core import (
    check_code,
    check_email,
    check_password,
    check_phone,
    format_as_you_type,
    handle,
    plural,
    protocol,
)
from recovery_core.contract import ErrorCode
from recovery_core.flow import ACTIONS, act, start, tick
from recovery_core.saved import dump
from recovery_core.validators import format_phone
from tests.property.examples import examples

FAST = settings(max_examples=examples(200), deadline=None, suppress_health_check=[HealthCheck.too_slow])
# «internal» is never a valid reply: every request gets one of these or a state/verdict.
CODES = set(ErrorCode)

scalars = st.one_of(
    st.none(), st.booleans(), st.integers(), st.floats(allow_nan=False, allow_infinity=False), st.text(max_size=30)
)
json_values = st.recursive(
    scalars,
    lambda inner: st.one_of(st.lists(inner, max_size=4), st.dictionaries(st.text(max_size=8), inner, max_size=4)),
    max_leaves=12,
)
ops = st.one_of(st.sampled_from(["start", "act", "check", "tick", "restore"]), json_values)
_code_step = act(start("confirm-phone", seed=5), "choose_sms")
#: Real saved sessions to restore, as they are and slightly off.
REAL_SAVED = [
    dump(start()),
    dump(start("check-inbox", seed=3)),
    dump(_code_step),
    dump(tick(_code_step, 400)),
    dump(act(start("new-password"), "submit_password", "Клён-Маяк-Весна-47!")),
    dump(start("sign-in")),
]
saved = st.one_of(
    st.sampled_from(REAL_SAVED),
    st.builds(
        lambda d, k, v: {**d, k: v}, st.sampled_from(REAL_SAVED), st.sampled_from(sorted(REAL_SAVED[0])), json_values
    ),
    st.builds(
        lambda d, k: {key: v for key, v in d.items() if key != k},
        st.sampled_from(REAL_SAVED),
        st.sampled_from(sorted(REAL_SAVED[0])),
    ),
    json_values,
)
requests = st.fixed_dictionaries(
    {"op": ops},
    optional={
        "id": json_values,
        "step": st.one_of(st.sampled_from(["open-ozon", "confirm-phone", "sign-in", "contact-support"]), json_values),
        # Small and negative seeds on their own: drawn from ±2**70 alone, nearly all are refused.
        "seed": st.one_of(st.integers(-1000, 1000), st.integers(-(2**70), 2**70), json_values),
        "action": st.one_of(st.sampled_from(ACTIONS), json_values),
        "value": st.one_of(st.text(max_size=40), json_values),
        "field": st.one_of(st.sampled_from(["email", "phone", "code", "password"]), json_values),
        "seconds": st.one_of(st.floats(allow_nan=False), st.integers(), json_values),
        "data": st.one_of(
            st.fixed_dictionaries({}, optional={"email": json_values, "phone": json_values}), json_values
        ),
        "session": json_values,
        "saved": saved,
    },
)


def check_reply(text: str) -> dict:
    reply = json.loads(text)
    assert isinstance(reply, dict)
    assert reply["ok"] in (True, False)
    assert "id" in reply
    if reply["ok"]:
        assert ("state" in reply) != ("verdict" in reply)
        assert ("saved" in reply) == ("state" in reply)
    else:
        assert reply["error"]["code"] in CODES and reply["error"]["message"]
    return reply


@pytest.fixture(autouse=True)
def fresh_worker():
    protocol.reset()
    yield
    protocol.reset()


@FAST
@given(st.text(max_size=300))
def test_any_text(text):
    check_reply(handle(text))


@FAST
@given(json_values)
def test_any_json(value):
    check_reply(handle(json.dumps(value)))


@FAST
@given(st.lists(requests, min_size=1, max_size=6))
def test_valid_looking_requests(batch):
    for request in batch:
        reply = check_reply(handle(json.dumps(request)))
        try:
            json.dumps(request, allow_nan=False)
        except ValueError:
            # Infinity is not JSON: refused as such, so there is no id to echo.
            assert reply["ok"] is False and reply["error"]["code"] == "bad_json"
            assert reply["id"] is None
            continue
        rid = request.get("id")
        if isinstance(rid, (bool, int, float, str)) or rid is None:
            assert reply["id"] == rid


@FAST
@given(saved, st.one_of(st.none(), st.sampled_from(["open-ozon", "confirm-phone"])))
def test_restore_anything(data, before):
    """Real, slightly changed or arbitrary saved data: a state, or bad_saved; the old session stays then."""
    if before:
        handle(json.dumps({"op": "start", "step": before}))
    kept = protocol._session
    reply = check_reply(handle(json.dumps({"op": "restore", "saved": data, "id": 1})))
    assert reply["ok"] or reply["error"]["code"] == "bad_saved"
    if not reply["ok"]:
        assert protocol._session is kept
    check_reply(handle(json.dumps({"op": "tick", "seconds": 60})))


@FAST
@given(st.binary(max_size=100))
def test_bytes_and_odd_objects(data):
    check_reply(handle(data))
    check_reply(handle(data.decode("latin-1")))


@FAST
@given(st.text(max_size=60))
def test_validators_never_raise(text):
    for verdict in (
        check_email(text),
        check_phone(text),
        check_phone(text, "+79001112233", typing=True),
        check_code(text),
    ):
        assert isinstance(verdict.ok, bool)
        assert (verdict.value is not None) == verdict.ok
        assert verdict.ok or verdict.message
    assert isinstance(format_as_you_type(text), str)


@settings(max_examples=examples(60), deadline=None)
@given(st.text(max_size=30))
def test_password_check_never_raises(text):
    verdict = check_password(text, ("anna@mail.ru", "+79001112233"))
    assert 0 <= verdict.score <= 4 and verdict.crack_time
    assert verdict.ok or verdict.message
    assert not verdict.ok or (len(text) >= 8 and verdict.score >= 3)
    # The checklist is the checker's reasons: all ticked exactly when accepted.
    assert (bool(verdict.checklist) and all(item.ok for item in verdict.checklist)) == verdict.ok


@settings(max_examples=examples(60), deadline=None)
@given(
    st.sampled_from(["anna.petrova", "ivan-ivanov", "a.b.c", "olga_1990", "x"]),
    st.text(alphabet="annapetrovivx19!.-_ ", min_size=6, max_size=20),
)
def test_password_checklist_agrees_with_the_verdict_for_passwords_near_the_email(local, text):
    verdict = check_password(text, (f"{local}@mail.ru", "+79001112233"))
    assert (bool(verdict.checklist) and all(item.ok for item in verdict.checklist)) == verdict.ok


@FAST
@given(st.integers(900, 999), st.integers(0, 9_999_999))
def test_phone_round_trip(prefix, rest):
    e164 = f"+7{prefix}{rest:07d}"
    first = check_phone(e164)
    if first.ok:
        again = check_phone(format_phone(first.value))
        assert again.value == first.value
        assert check_phone("8" + e164[2:]).value == first.value
        assert format_as_you_type("8" + e164[2:]) == first.display


@FAST
@given(st.integers(0, 10**6))
def test_plural_is_one_of_the_forms(n):
    form = plural(n, "попытка", "попытки", "попыток")
    last, last2 = n % 10, n % 100
    if 11 <= last2 <= 14:
        assert form == "попыток"
    elif last == 1:
        assert form == "попытка"
    elif last in (2, 3, 4):
        assert form == "попытки"
    else:
        assert form == "попыток"
