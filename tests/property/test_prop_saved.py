"""Saved data as the browser's storage may hand it back: real, tampered with, or anything.

``{"op": "restore", "saved": …}`` answers either ``ok`` with a state that works like
any other (it can be acted on, ticked and saved again) or ``bad_saved`` — never
``internal``, never an exception.
"""

from __future__ import annotations

import json

from hypothesis import HealthCheck, assume, event, given, settings
from hypothesis import strategies as st

from recovery_core import DEMO_EMAIL, handle, protocol
from recovery_core.flow import ACTIONS, MAX_TICK, act, allowed_actions, start, tick
from recovery_core.protocol import MAX_REQUEST, respond
from recovery_core.saved import FORMAT, MAX_CLOCK, MAX_DRAWS, MAX_ITEMS, MAX_SEED, dump
from recovery_core.services import CODE_ATTEMPTS
from recovery_core.steps import STEP_IDS as ALL_STEP_IDS
from tests.property.examples import examples

SETTINGS = settings(max_examples=examples(300), deadline=None, suppress_health_check=[HealthCheck.too_slow])
STEP_IDS = list(ALL_STEP_IDS)
STRONG = "Клён-Маяк-Весна-47!"
#: What a reply may refuse a follow-up request with; «internal» is never one of them.
FOLLOW_UP_ERRORS = {"action_not_allowed"}


# --- real sessions ----------------------------------------------------------------------


@st.composite
def sessions(draw):
    """A session a reader can reach: a start anywhere, then actions and ticks."""
    s = start(draw(st.sampled_from([None, *STEP_IDS])), seed=draw(st.integers(0, 2**32)), session=draw(st.booleans()))
    for _ in range(draw(st.integers(0, 12))):
        if draw(st.integers(0, 3)) == 0:
            s = tick(s, draw(st.sampled_from([1, 60, 300, 3600, 86400])))
            continue
        action = draw(st.sampled_from(allowed_actions(s)))
        token = s.letters[-1].token if s.letters else ""
        code = s.code.value if s.code else "123456"
        value = draw(
            st.sampled_from(
                {
                    "submit_email": [DEMO_EMAIL, "maria@почта.рф", "anna@"],
                    "open_link": [token, "nope"],
                    "submit_phone": ["+7 912 345-67-89", "+375 29 123-45-67", "12"],
                    "submit_code": [code, "000000", "12"],
                    "submit_password": [STRONG, "qwerty123"],
                    "sign_in": [s.password or "", "wrong"],
                }.get(action, [""])
            )
        )
        s = act(s, action, value)
    return s


# --- tampering --------------------------------------------------------------------------

small = st.one_of(
    st.none(),
    st.booleans(),
    st.integers(-(2**70), 2**70),
    st.floats(allow_nan=False, allow_infinity=False),
    st.text(max_size=40),
)
plausible = st.sampled_from(
    [
        "sms",
        "call",
        "pigeon",
        "0" * 32,
        "f" * 32,
        "F" * 32,
        "0" * 31,
        "123456",
        "12345",
        "1234567",
        "+79001112233",
        "+79123456789",
        "89123456789",
        "+74951234567",
        "anna@mail.ru",
        "anna@",
        "maria@почта.рф",
        *STEP_IDS,
        "nowhere",
        -1,
        0,
        1,
        CODE_ATTEMPTS,
        CODE_ATTEMPTS + 1,
        FORMAT + 1,
        MAX_TICK,
        MAX_CLOCK,
        MAX_CLOCK + 1,
        MAX_DRAWS,
        MAX_DRAWS + 1,
        MAX_SEED,
        MAX_SEED + 1,
        -MAX_SEED - 1,
        1.0,
        0.5,
        "",
        [],
        {},
    ]
)
values = st.one_of(
    small,
    plausible,
    st.lists(st.one_of(small, plausible), max_size=6),
    st.dictionaries(st.text(max_size=8), small, max_size=3),
)


def _paths(value, prefix=()):
    """Every place inside a dump: keys of objects, indexes of lists."""
    out = []
    if isinstance(value, dict):
        for key, inner in value.items():
            out += [prefix + (key,)] + _paths(inner, prefix + (key,))
    elif isinstance(value, list):
        for i, inner in enumerate(value):
            out += [prefix + (i,)] + _paths(inner, prefix + (i,))
    return out


def _parent(data, path):
    for key in path[:-1]:
        data = data[key]
    return data


@st.composite
def tampered(draw):
    """A real dump with one to four changes: dropped keys, other types or values, huge lists…"""
    data = json.loads(json.dumps(dump(draw(sessions()))))
    for _ in range(draw(st.integers(1, 4))):
        paths = _paths(data)
        kind = draw(st.sampled_from(["drop", "set", "set", "set", "huge", "add", "step"]))
        if kind == "step":  # a step the data does not fit
            data["step"] = draw(st.sampled_from(STEP_IDS))
            continue
        if kind == "add":  # a key no dump has
            data[draw(st.text(max_size=10))] = draw(values)
            continue
        if not paths:
            continue
        path = draw(st.sampled_from(paths))
        parent = _parent(data, path)
        if kind == "drop":
            del parent[path[-1]]
        elif kind == "huge":
            parent[path[-1]] = [parent[path[-1]]] * draw(st.sampled_from([MAX_ITEMS, MAX_ITEMS + 1]))
        else:
            parent[path[-1]] = draw(values)
    return data


# --- checks -------------------------------------------------------------------------------


def restore(saved) -> dict:
    """``restore`` through :func:`handle`, as the worker sends it."""
    request = json.dumps({"op": "restore", "saved": saved}, ensure_ascii=False)
    assume(len(request) <= MAX_REQUEST)  # a longer one is refused as too long, before restore
    reply = json.loads(handle(request))
    assert isinstance(reply, dict) and reply["ok"] in (True, False)
    event("taken" if reply["ok"] else "refused")
    if reply["ok"] is False:
        assert reply["error"]["code"] == "bad_saved", (reply, saved)
        assert reply["error"]["message"] == "Прошлый сеанс тренажёра не удалось восстановить — начинаем заново."
    return reply


def works(reply: dict) -> None:
    """A restored state is a state like any other: shown, acted on, ticked, saved and taken back again."""
    state, session = reply["state"], protocol._session
    assert state["step"] in STEP_IDS and set(state["actions"]) <= set(ACTIONS) and state["actions"]
    assert reply["saved"] == dump(session)
    json.dumps(reply, ensure_ascii=False, allow_nan=False)
    again = json.loads(handle(json.dumps({"op": "restore", "saved": reply["saved"]})))
    assert again["ok"] is True and again["saved"] == reply["saved"], again  # what it hands out it takes back
    token = state["inbox"][-1]["link"]["value"] if state["inbox"] else "x"
    for action in state["actions"]:
        for value in (None, token, "123456", "+7 912 345-67-89", DEMO_EMAIL, STRONG):
            _, out = respond(session, json.dumps({"op": "act", "action": action, "value": value}))
            assert out["ok"] is True or out["error"]["code"] in FOLLOW_UP_ERRORS, (action, value, out)
    for seconds in (0, 60, 300, MAX_TICK):
        _, out = respond(session, json.dumps({"op": "tick", "seconds": seconds}))
        assert out["ok"] is True, out
    for field in ("email", "phone", "code", "password"):
        _, out = respond(session, json.dumps({"op": "check", "field": field, "value": "123456"}))
        assert out["ok"] is True, out


def setup_function():
    protocol.reset()


def teardown_function():
    protocol.reset()


@SETTINGS
@given(sessions())
def test_real_saved_data_is_taken(s):
    reply = restore(json.loads(json.dumps(dump(s))))
    assert reply["ok"] is True
    works(reply)


@SETTINGS
@given(tampered())
def test_tampered_saved_data(data):
    reply = restore(data)
    if reply["ok"]:
        works(reply)


@settings(max_examples=examples(200), deadline=None)
@given(
    st.recursive(
        small,
        lambda inner: st.one_of(st.lists(inner, max_size=4), st.dictionaries(st.text(max_size=12), inner, max_size=6)),
        max_leaves=20,
    )
)
def test_any_json_as_saved(data):
    reply = restore(data)
    if reply["ok"]:
        works(reply)


@SETTINGS
@given(
    st.fixed_dictionaries(
        {"format": st.just(FORMAT), "step": st.sampled_from(STEP_IDS)},
        optional={key: values for key in dump(start()) if key not in ("format", "step")},
    )
)
def test_made_up_saved_data(data):
    """Data of the right format and a real step, the rest made up key by key."""
    reply = restore(data)
    if reply["ok"]:
        works(reply)
