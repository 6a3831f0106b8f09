"""Saved sessions: dump() is JSON without any password, load() takes it back or refuses it."""

import copy
import json
import random
from copy import replace

import pytest

from recovery_core import DEMO_EMAIL, DEMO_PASSWORD, STEPS, StepId, handle, protocol, render
from recovery_core.flow import Session, act, allowed_actions, start, tick
from recovery_core.saved import FORMAT, MAX_ITEMS, SavedError, dump, load
from recovery_core.services import CODE_COOLDOWN, LETTER_COOLDOWN
from recovery_core.steps import STEP_IDS

S = StepId
STRONG = "Клён-Маяк-Весна-47!"
PASSWORDS = (STRONG, "Veter-Lodka-2718", "correct horse battery staple", "qwerty123")


# --- random walks: the sessions a reader can reach ---------------------------------------


def _value(s: Session, action: str, rng: random.Random):
    """A value for ``action``: mostly one that works, sometimes one that does not."""
    token = s.letters[-1].token if s.letters else "0" * 32
    old_token = s.letters[0].token if s.letters else ""
    code = s.code.value if s.code else "123456"
    choices = {
        "submit_email": [DEMO_EMAIL, "maria@почта.рф", " Anna@ПОЧТА.РФ ", "anna@", ""],
        "open_link": [token, token, old_token, "nope"],
        "submit_phone": ["+7 912 345-67-89", "8 900 555 44 66", "+375 29 123-45-67", "+7 495 123-45-67", "12"],
        "submit_code": [code, code, f"{code[:3]} {code[3:]}", f"{(int(code) + 1) % 10**6:06d}", "12", ""],
        "submit_password": [*PASSWORDS, DEMO_EMAIL],
        "sign_in": [s.password or "", "wrong-password", ""],
    }
    return rng.choice(choices.get(action, [None]))


def walk(seed: int, length: int = 25):
    """The sessions of one random walk: a start anywhere, then actions and ticks."""
    rng = random.Random(seed)
    step = rng.choice([None, *STEP_IDS])
    s = start(step, seed=rng.randrange(10**9), session=rng.choice([True, False]))
    yield s
    for _ in range(length):
        if rng.random() < 0.25:
            s = tick(s, rng.choice([1, 30, LETTER_COOLDOWN, CODE_COOLDOWN, 299, 300, 3600, 86400]))
        else:
            action = rng.choice(allowed_actions(s))
            s = act(s, action, _value(s, action, rng))
        yield s


def sessions(walks: int = 60):
    for seed in range(walks):
        yield from walk(seed)


def _needs_new_password(s: Session) -> bool:
    """At sign-in with the reader's own password, which is never saved."""
    return s.step == S.SIGN_IN and not s.done and not s.demo_password


def _quiet(s: Session) -> Session:
    return replace(s, messages=(), error_code=None)


def _through_json(data):
    return json.loads(json.dumps(data, ensure_ascii=False))


# --- round trip --------------------------------------------------------------------------


def test_walks_reach_every_step_and_the_end():
    """The walks below are not vacuous."""
    reached = {(s.step, s.done, _needs_new_password(s)) for s in sessions()}
    assert {info.id for info in STEPS} <= {step for step, _, _ in reached}
    assert (S.SIGN_IN, True, False) in reached and (S.SIGN_IN, False, True) in reached


def _differences(a: dict, b: dict, prefix: str = "") -> list[str]:
    """The paths where two JSON objects differ, for a readable failure."""
    out = []
    for key in sorted(set(a) | set(b)):
        x, y = a.get(key), b.get(key)
        if isinstance(x, dict) and isinstance(y, dict):
            out += _differences(x, y, f"{prefix}{key}.")
        elif x != y:
            out.append(f"{prefix}{key}: {x!r} != {y!r}")
    return out


def test_round_trip_over_random_walks():
    """Every reachable session comes back as it was, only without its messages."""
    failures: dict[tuple, str] = {}
    for s in sessions():
        data = dump(s)
        assert _through_json(data) == data  # plain JSON data
        loaded = load(_through_json(data))
        if _needs_new_password(s):
            continue  # test_own_password_is_not_kept
        assert loaded.messages == () and loaded.error_code is None
        diff = _differences(render(loaded), render(_quiet(s))) + [f"dump {d}" for d in _differences(dump(loaded), data)]
        if diff:
            failures.setdefault((s.step.value, s.done, tuple(diff)), repr(s))
    assert not failures, "\n".join(f"{key}: e.g. {example[:300]}" for key, example in failures.items())


def test_round_trip_keeps_the_session_exactly():
    """Not only what the view shows: the same random source, clock and drafts, so it goes on the same.

    (A finished run needs no password; like any but the demo one, it is not kept.)
    """
    for s in sessions(30):
        if _needs_new_password(s):
            continue
        loaded, expected = load(dump(s)), _quiet(s)
        if s.done:
            loaded, expected = (replace(x, password=None) for x in (loaded, expected))
        assert loaded == expected


def test_finished_session_round_trip():
    """A finished run comes back finished, with everything the view showed."""
    s = act(act(start("new-password", seed=3), "submit_password", STRONG), "sign_in", STRONG)
    assert s.done
    loaded = load(_through_json(dump(s)))
    assert loaded.done and loaded.step == S.SIGN_IN and allowed_actions(loaded) == ["restart"]
    assert render(loaded) == render(_quiet(s))
    assert dump(loaded) == dump(s)


def test_own_password_is_not_kept():
    """At sign-in with the reader's own password the session returns where it is chosen."""
    s = act(start("new-password", seed=3), "submit_password", STRONG)
    assert s.step == S.SIGN_IN and s.password == STRONG
    loaded = load(_through_json(dump(s)))
    assert loaded.step == S.NEW_PASSWORD and loaded.password is None and loaded.phone_confirmed
    assert [(m.level, m.code) for m in loaded.messages] == [("info", "password_not_kept")]
    assert loaded.messages[0].text.startswith("Пароль тренажёр не сохраняет")
    assert dump(loaded) == {**dump(s), "step": "new-password", "password_set": False}
    assert act(loaded, "submit_password", STRONG).step == S.SIGN_IN  # and the run goes on


def test_demo_password_comes_back():
    s = start("sign-in", seed=3)
    loaded = load(_through_json(dump(s)))
    assert loaded.step == S.SIGN_IN and loaded.password == DEMO_PASSWORD and loaded.messages == ()
    assert act(loaded, "sign_in", DEMO_PASSWORD).done


def test_no_password_in_saved_data():
    """The dump says nothing about the password: not the text, not anything that depends on it."""
    for s in sessions():
        if s.password is None:
            continue
        data = dump(s)
        assert dump(replace(s, password="something else")) == data
        text = json.dumps(data, ensure_ascii=False)
        if s.password not in (s.email_draft, s.phone_draft, s.code_draft):  # typed there by the reader
            assert s.password not in text
            assert s.password not in json.dumps(data)  # nor \\u-escaped


def test_dump_shape():
    data = dump(start("confirm-phone", seed=5))
    assert data["format"] == FORMAT and data["step"] == "confirm-phone" and data["seed"] == 5
    assert data["draws"] == 1 and data["password_set"] is False
    assert "password" not in data and "messages" not in data


@pytest.mark.parametrize("seed", [0, 1, -1, 10**9, 2**53, -(2**53), 2**63, 2**70])
def test_every_saved_reply_is_taken_back(seed):
    """Whatever ``start`` accepted, ``restore`` takes back what it handed out."""
    protocol.reset()
    try:
        reply = json.loads(handle(json.dumps({"op": "start", "step": "confirm-phone", "seed": seed})))
        if abs(seed) > 2**63:  # refused at the start, so never handed out
            assert reply["ok"] is False and reply["error"]["code"] == "bad_request", reply
            return
        assert reply["ok"], reply
        back = json.loads(handle(json.dumps({"op": "restore", "saved": reply["saved"]})))
        assert back["ok"] is True, back
        assert back["saved"] == reply["saved"]
    finally:
        protocol.reset()


# --- refusals ----------------------------------------------------------------------------


def _base():
    """A saved session at the code step with a code sent, two letters and an SMS."""
    s = tick(start("check-inbox", seed=4), LETTER_COOLDOWN)
    s = act(s, "resend_letter")
    s = act(s, "open_link", s.letters[-1].token)
    s = act(s, "submit_phone", "+7 912 345-67-89")
    return dump(act(s, "choose_sms"))


def _set(path, value):
    def change(d):
        target = d
        for key in path[:-1]:
            target = target[key]
        target[path[-1]] = value

    return change


def _drop(key):
    return lambda d: d.pop(key)


REFUSED = {
    "another format": _set(["format"], FORMAT + 1),
    "format as text": _set(["format"], str(FORMAT)),
    "no format": _drop("format"),
    "unknown step": _set(["step"], "step-7"),
    "step as number": _set(["step"], 7),
    "no step": _drop("step"),
    "negative clock": _set(["clock"], -1),
    "clock as float": _set(["clock"], 60.0),
    "clock as boolean": _set(["clock"], True),
    "clock far away": _set(["clock"], 10**12),
    "seed as text": _set(["seed"], "4"),
    "seed too big": _set(["seed"], 2**80),
    "negative draws": _set(["draws"], -1),
    "draws as null": _set(["draws"], None),
    "session flag as number": _set(["session_active"], 1),
    "invalid e-mail": _set(["email"], "anna@"),
    "e-mail as list": _set(["email"], ["anna@mail.ru"]),
    "the old phone": _set(["phone"], "+79001112233"),
    "phone not in E.164": _set(["phone"], "89123456789"),
    "a landline": _set(["phone"], "+74951234567"),
    "letters as object": _set(["letters"], {}),
    "no letters": _drop("letters"),
    "a short letter": _set(["letters", 0], ["anna.demo@example.com", "0" * 32, 0, False]),
    "a letter's bad token": _set(["letters", 0, 1], "not-a-token"),
    "a letter's upper-case token": _set(["letters", 0, 1], "ABCDEF" * 5 + "AB"),
    "a letter from the future": _set(["letters", 1, 2], 10**6),
    "a letter without address": _set(["letters", 0, 0], None),
    "a letter's flag as text": _set(["letters", 0, 3], "yes"),
    "too many letters": lambda d: d.__setitem__("letters", d["letters"] * (MAX_ITEMS // 2 + 1)),
    "an SMS with five digits": _set(["sms", 0, 0], "12345"),
    "an SMS as text": _set(["sms", 0], "Код 123456"),
    "an unknown channel": _set(["channel"], "pigeon"),
    "the code by another channel": _set(["code", 1], "call"),
    "a code with four attempts": _set(["code", 3], 4),
    "a code with negative attempts": _set(["code", 3], -1),
    "a code from the future": _set(["code", 2], 10**6),
    "a code of letters": _set(["code", 0], "abcdef"),
    "a code as number": _set(["code", 0], 123456),
    "a channel without a code sent": lambda d: d.update(code=None, code_sent_at=None),
    "drafts of two": _set(["drafts"], ["", ""]),
    "a draft as number": _set(["drafts", 2], 12),
    "the code step without a phone": _set(["phone"], None),
    "the inbox without a letter": lambda d: d.update(step="check-inbox", letters=[]),
    "the code outside its step": _set(["step"], "enter-phone"),
    "a password without confirmation": lambda d: d.update(step="new-password", code=None, phone_confirmed=False),
    "done too early": _set(["done"], True),
    "a step past the e-mail without one": lambda d: d.update(step="enter-phone", code=None, email=None),
    "a call of an unknown kind": lambda d: d.__setitem__("call", ["123456", 0, "pigeon"]),
    "a call of four": lambda d: d.__setitem__("call", ["123456", 0, "call_number", 1]),
    "a voice call for the number's code": lambda d: d.update(
        channel="call_number", code=["123456", "call_number", 0, 3], call=["123456", 0]
    ),
    "a number's call for the voice's code": lambda d: d.update(
        channel="call", code=["123456", "call", 0, 3], call=["123456", 0, "call_number"]
    ),
    "sign-in as object": _set(["sign_in"], {}),
    "sign-in of one": _set(["sign_in"], [0]),
    "five wrong passwords kept": _set(["sign_in", 0], 5),
    "negative wrong passwords": _set(["sign_in", 0], -1),
    "sign-in closed for too long": lambda d: d.__setitem__("sign_in", [0, d["clock"] + 15 * 60 + 1]),
    "sign-in closed until as text": _set(["sign_in", 1], "later"),
}


def test_base_is_taken():
    assert load(_base()).step == S.CONFIRM_PHONE


def test_a_call_whose_number_carries_the_code_comes_back():
    s = act(start("confirm-phone", seed=2), "choose_call_number")
    data = _through_json(dump(s))
    assert data["call"] == [s.code.value, s.call.sent_at, "call_number"]
    loaded = load(data)
    assert (loaded.call, loaded.code) == (s.call, s.code)


def test_data_saved_before_sign_in_was_bounded_is_taken():
    """A tab that saved its place before "sign_in" was added keeps it after the upgrade."""
    data = _base()
    del data["sign_in"]
    s = load(data)
    assert (s.step, s.sign_in_failures, s.sign_in_closed_until) == (S.CONFIRM_PHONE, 0, None)


def test_a_closed_sign_in_stays_closed_after_a_reload():
    s = start("sign-in", seed=3)  # the demo password, which is kept
    for _ in range(5):
        s = act(s, "sign_in", "не-тот-пароль")
    loaded = load(_through_json(dump(s)))
    assert "sign_in" not in allowed_actions(loaded)
    assert act(tick(loaded, 15 * 60), "sign_in", DEMO_PASSWORD).done


@pytest.mark.parametrize("change", REFUSED.values(), ids=REFUSED.keys())
def test_tampered_data_is_refused(change):
    data = _base()
    change(data)
    with pytest.raises(SavedError):
        load(data)


@pytest.mark.parametrize("data", [None, 1, "saved", [], [_base()], {}, {"format": FORMAT}])
def test_not_a_session(data):
    with pytest.raises(SavedError):
        load(data)


def test_saved_error_is_a_value_error():
    assert issubclass(SavedError, ValueError)


def test_load_does_not_change_its_input():
    data = _base()
    before = copy.deepcopy(data)
    load(data)
    assert data == before
