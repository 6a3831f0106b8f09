"""Stateful property test: random requests through the protocol, checked against a model.

Invariants: every state is one of the fixed steps and JSON-serialisable, its
number/total/title agree with steps.py; no password before the phone is
confirmed; attempts never exceed the limit; an expired, used or replaced link
and an expired or burned code are refused; link statuses and code lifetimes
agree with an independent model of the clock; sign-in closes after five wrong
passwords, for exactly the lock's time, and only then; ``restart`` is offered once anything
has happened; a message is never repeated by the screen. ``FlowWithReloads`` also
reloads the page now and then (``restore`` of the last ``saved``) and checks that
every session survives the round trip without its password.
"""

from __future__ import annotations

import json
import re
from copy import replace

from hypothesis import HealthCheck, event, settings
from hypothesis import strategies as st
from hypothesis.stateful import RuleBasedStateMachine, initialize, invariant, precondition, rule

from recovery_core import DEMO_EMAIL, DEMO_PASSWORD, STEPS, TOTAL, check_code
from recovery_core import messages as M
from recovery_core.contract import ErrorCode
from recovery_core.flow import ACTIONS, MAX_TICK
from recovery_core.protocol import respond
from recovery_core.saved import dump, load
from recovery_core.services import CODE_LIFETIME, LINK_LIFETIME
from recovery_core.view import render
from tests.property.examples import examples

SIGN_IN_ATTEMPTS, SIGN_IN_LOCK = 5, 15 * 60  # wrong passwords before sign-in closes, and for how long

CODE_ATTEMPTS = 3  # the limit the guide promises; the core must not drift from it

STEP_INFO = {s.id.value: s for s in STEPS}
# «internal» is never a valid reply.
ERROR_CODES = set(ErrorCode)


def countdown(state: dict, key: str) -> int | None:
    """Seconds on the panel's countdown ``key`` (a ``timer_*`` text), ``None`` if it is not running."""
    found = [t["seconds"] for t in state["timers"] if t["template"] == M.ui(key)]
    assert len(found) <= 1, state["timers"]
    return found[0] if found else None


STRONG = "Клён-Маяк-Весна-47!"

steps = st.one_of(
    st.sampled_from([*STEP_INFO, None]),
    st.sampled_from(["check-inbox", "confirm-phone", "confirm-phone"]),  # where the clock matters most
    st.sampled_from(["nope", "", "SIGN-IN", 7]),
)
plain_values = st.one_of(
    st.sampled_from(
        [
            "",
            "anna@mail.ru",
            "anna@",
            DEMO_EMAIL,
            "maria@почта.рф",
            "+7 900 555-44-66",
            "8 912 345 67 89",
            "+7 900 111-22-33",
            "+7 495 123-45-67",
            "8 800 555-35-35",
            "+7 912",
            STRONG,
            "qwerty123",
            DEMO_PASSWORD,
            "000000",
            "12 34",
            "１２３４５６",
        ]
    ),
    st.text(max_size=20),
    st.none(),
)
special = st.sampled_from(["<token>", "<old_token>", "<code>", "<code_spaced>", "<wrong_code>"])


class Flow(RuleBasedStateMachine):
    def __init__(self):
        super().__init__()
        self.session = None
        self.state = None
        self.letters: dict[str, dict] = {}
        self.order: list[str] = []
        self.code: dict | None = None
        self.password: str | None = None
        self.demo_password = False  # the password is the demo one the deep link came with
        self.start_session = True  # the session flag the start asked for (a restart keeps it)
        self.email_draft = ""  # what the e-mail field last held
        self.saved: dict | None = None  # the last state reply's ``saved``
        self.sign_in_failures = 0  # wrong passwords at sign-in since it last closed
        self.sign_in_closed_until: int | None = None  # the clock when sign-in opens again

    # --- talking to the core --------------------------------------------------------

    def send(self, request: dict) -> dict:
        self.session, reply = respond(self.session, json.dumps(request, ensure_ascii=False))
        text = json.dumps(reply, ensure_ascii=False)
        assert json.loads(text) == reply
        assert reply["ok"] in (True, False) and "id" in reply
        if reply["ok"] is False:
            assert reply["error"]["code"] in ERROR_CODES
            assert reply["error"]["message"]
        elif "state" in reply:
            assert reply["saved"] == dump(self.session)
            self.saved = reply["saved"]
        return reply

    def adopt(self, state: dict, *, fresh: bool = False) -> None:
        """Take the new state; learn new letters and codes into the model."""
        if fresh:
            self.letters, self.order, self.code = {}, [], None
            for letter in state["inbox"]:
                token = letter["link"]["value"]
                self.letters[token] = {"sent": state["clock"], "used": letter["link"]["status"] == "used"}
                self.order.append(token)
        else:
            for letter in state["inbox"]:
                token = letter["link"]["value"]
                if token not in self.letters:
                    self.letters[token] = {"sent": state["clock"], "used": False}
                    self.order.append(token)
        self.state = state
        if state["step"] == "enter-email":
            self.email_draft = state["screen"]["field"]["value"]

    @property
    def pristine(self) -> bool:
        """Whether a restart would change nothing: back at the first step as it began."""
        s = self.state
        return (
            s["step"] == "open-ozon"
            and s["clock"] == 0
            and not s["inbox"]
            and self.email_draft == ""
            and s["data"]["session_active"] == self.start_session
        )

    def model_status(self, token: str, clock: int) -> str:
        if token not in self.letters:
            return "invalid"
        letter = self.letters[token]
        if letter["used"]:
            return "used"
        if token != self.order[-1]:
            return "replaced"
        if clock - letter["sent"] >= LINK_LIFETIME:
            return "expired"
        return "active"

    def code_live(self, clock: int) -> bool:
        c = self.code
        return c is not None and c["attempts"] > 0 and clock - c["sent"] < CODE_LIFETIME

    def sent_code(self, state: dict) -> str:
        if state["data"]["channel"] == "call_number":  # the calling number's last 6 digits
            caller = state["device"]["call"]["meta"].split(" · ")[1]
            return "".join(c for c in caller if c.isdigit())[-6:]
        if state["data"]["channel"] == "sms":
            return re.search(r"\d{6}", state["device"]["sms"][-1]["text"]).group(0)
        transcript = state["device"]["call"]["text"]
        return "".join(c for c in transcript.split("Повторяю")[0] if c.isdigit())

    def resolve(self, value):
        if value == "<password>":
            return self.password or ""
        if value == "<token>":
            return self.order[-1] if self.order else "none"
        if value == "<old_token>":
            return self.order[0] if self.order else "none"
        if value in ("<code>", "<code_spaced>", "<wrong_code>"):
            if self.code is None:
                return "123456"
            code = self.code["value"]
            if value == "<code_spaced>":
                return f"{code[:3]} {code[3:]}"
            if value == "<wrong_code>":
                return f"{(int(code) + 1) % 10**6:06d}"
            return code
        return value

    # --- rules ------------------------------------------------------------------------

    @initialize(step=steps, seed=st.integers(0, 2**32), session=st.sampled_from([True, False, None]))
    def begin(self, step, seed, session):
        request = {"op": "start", "step": step, "seed": seed}
        if session is not None:
            request["session"] = session
        reply = self.send(request)
        assert reply["ok"]
        self.adopt(reply["state"], fresh=True)
        self.password = DEMO_PASSWORD if reply["state"]["data"]["password_set"] else None
        self.demo_password = self.password is not None
        self.start_session = session is not False
        self.email_draft = ""
        self.sign_in_failures, self.sign_in_closed_until = 0, None

    @rule(data=st.data())
    def advance(self, data):
        """An allowed action with a value that fits it: drives the flow forward."""
        self._advance(data)

    def _advance(self, data):
        actions = [a for a in self.state["actions"] if a != "restart"] or ["restart"]
        action = data.draw(st.sampled_from(actions))
        good = {
            "submit_email": st.sampled_from([DEMO_EMAIL, "maria@почта.рф"]),
            "open_link": st.sampled_from(["<token>", "<token>", "<old_token>"]),
            "submit_phone": st.sampled_from(["+7 912 345-67-89", "8 900 555 44 66", "+375 29 123-45-67"]),
            "submit_code": st.sampled_from(["<code>", "<code_spaced>", "<wrong_code>"]),
            "submit_password": st.sampled_from([STRONG, "Veter-Lodka-2718", "qwerty123"]),
            "sign_in": st.sampled_from(["<password>", "<password>", "wrong-password"]),
        }.get(action, st.none())
        self.do_act(action, data.draw(good))

    # Hypothesis picks rules uniformly: more entries for progress make deep steps likelier.
    @rule(data=st.data())
    def advance_again(self, data):
        self._advance(data)

    @rule(data=st.data())
    def advance_once_more(self, data):
        self._advance(data)

    @precondition(lambda self: self.state is not None and "submit_code" in self.state["actions"])
    @rule(value=st.sampled_from(["<wrong_code>", "<wrong_code>", "<code>", "<code_spaced>"]))
    def enter_code(self, value):
        self.do_act("submit_code", value)

    @precondition(lambda self: self.state is not None and self.state["step"] in ("confirm-phone", "check-inbox"))
    @rule(seconds=st.sampled_from([59, 60, 299, 300, 301, 86399, 86400]))
    def wait_for_a_deadline(self, seconds):
        self.tick(seconds)

    @precondition(lambda self: self.state is not None and self.state["step"] == "sign-in")
    @rule(
        wrong=st.integers(1, SIGN_IN_ATTEMPTS),
        value=st.sampled_from(["wrong-password", "", "<password>"]),
        early=st.booleans(),
    )
    def try_to_sign_in(self, wrong, value, early):
        """A few wrong passwords in a row (enough of them close sign-in for a while), then
        ``value``; while sign-in is closed, wait to a second before it opens (``early``)
        or to the second it does."""
        for attempt in [*["wrong-password"] * (wrong - 1), value]:
            if "sign_in" in self.state["actions"]:
                self.do_act("sign_in", attempt)
            elif not self.state["done"]:  # closed (once signed in, there is nothing to try)
                left = self.sign_in_closed_until - self.state["clock"]
                self.tick(max(left - 1, 1) if early else left)

    @precondition(lambda self: self.state is not None and "open_link" in self.state["actions"])
    @rule(value=st.sampled_from(["<token>", "<old_token>"]))
    def follow_link(self, value):
        self.do_act("open_link", value)

    @rule(data=st.data())
    def act_allowed(self, data):
        action = data.draw(st.sampled_from(self.state["actions"]))
        self.do_act(action, data.draw(st.one_of(special, plain_values)))

    @rule(action=st.sampled_from([*ACTIONS, "fly", ""]), value=st.one_of(special, plain_values))
    def act_any(self, action, value):
        self.do_act(action, value)

    @rule(
        seconds=st.one_of(
            st.integers(0, 120), st.sampled_from([299, 300, 86399, 86400, 200000]), st.floats(0, 1e6, allow_nan=False)
        )
    )
    def tick(self, seconds):
        reply = self.send({"op": "tick", "seconds": seconds})
        assert reply["ok"]
        assert reply["state"]["clock"] >= self.state["clock"]
        if int(min(seconds, MAX_TICK)) == 0:
            assert reply["state"]["messages"] == self.state["messages"]  # no time, nothing new
            assert reply["state"]["notices"] == self.state["notices"]
        self.adopt(reply["state"])

    @rule(field=st.sampled_from(["email", "phone", "code", "password"]), value=plain_values)
    def check(self, field, value):
        before = self.session
        reply = self.send({"op": "check", "field": field, "value": value})
        assert reply["ok"] and isinstance(reply["verdict"]["ok"], bool)
        assert self.session is before  # a check changes nothing

    def do_act(self, action, raw_value):
        value = self.resolve(raw_value)
        event(f"{self.state['step']} {action}")
        before = self.state
        clock = before["clock"]
        reply = self.send({"op": "act", "action": action, "value": value})
        if action not in ACTIONS:
            assert reply["error"]["code"] == "unknown_action"
            return
        if action not in before["actions"]:
            assert not reply["ok"] and reply["error"]["code"] == "action_not_allowed"
            return
        assert reply["ok"], reply
        state = reply["state"]
        codes = [m["code"] for m in state["messages"]]

        if action == "restart":
            assert state["step"] == "open-ozon" and codes == []
            assert [m["code"] for m in state["notices"]] == ["restarted"]
            self.adopt(state, fresh=True)
            self.password = None
            self.demo_password = False
            self.email_draft = ""
            self.sign_in_failures, self.sign_in_closed_until = 0, None
            return
        if action == "open_link":
            token = value.strip() if isinstance(value, str) else ""
            status = self.model_status(token, clock)
            if status == "active":
                assert state["step"] == "enter-phone" and codes == ["link_opened"]
                self.letters[token]["used"] = True
                self.code = None
            else:
                assert state["step"] == before["step"], (status, state["step"])
                assert codes == [f"link_{status}"] and state["messages"][0]["level"] == "error"
        elif action == "submit_code":
            fmt = check_code(value if isinstance(value, str) else "")
            if not fmt.ok:
                assert state["step"] == "confirm-phone" and codes == [fmt.code]
            elif not self.code_live(clock):
                assert state["step"] == "confirm-phone"
                assert codes[0] in ("code_burned", "code_expired")
            elif fmt.value == self.code["value"]:
                assert state["step"] == "new-password" and state["data"]["phone_confirmed"]
                self.code = None
            else:
                self.code["attempts"] -= 1
                assert state["step"] == "confirm-phone"
                assert codes == ["code_wrong" if self.code["attempts"] else "code_attempts_exhausted"]
        elif action in ("choose_sms", "choose_call", "choose_call_number", "resend_code"):
            code = self.sent_code(state)
            assert len(code) == 6
            self.code = {"value": code, "sent": clock, "attempts": CODE_ATTEMPTS}
        elif (action == "back" and before["step"] == "confirm-phone") or (
            action == "submit_phone" and state["step"] != before["step"]
        ):
            self.code = None
        elif action == "submit_password":
            assert before["data"]["phone_confirmed"]
            if state["step"] == "sign-in":
                self.password = value
                self.demo_password = False
        elif action == "sign_in":
            assert self.sign_in_closed_until is None or clock >= self.sign_in_closed_until
            assert state["done"] == (value == self.password)
            if not value:
                assert codes == ["password_empty"]
            elif value != self.password:
                self.sign_in_failures += 1
                if self.sign_in_failures == SIGN_IN_ATTEMPTS:
                    assert codes == ["sign_in_closed"]
                    self.sign_in_failures, self.sign_in_closed_until = 0, clock + SIGN_IN_LOCK
                else:
                    assert codes == ["password_wrong"]
                    left = SIGN_IN_ATTEMPTS - self.sign_in_failures
                    assert re.search(rf"\b{left} попытк", state["messages"][0]["text"]), state["messages"]
        self.adopt(state)

    # --- probes: what would happen next (sessions are immutable, so nothing is kept) ---

    def probe(self, session, request: dict):
        return respond(session, json.dumps(request, ensure_ascii=False))

    def probe_act(self, session, action, value=None):
        after, reply = self.probe(session, {"op": "act", "action": action, "value": value})
        assert reply["ok"], reply
        return after, reply["state"]

    # --- invariants ---------------------------------------------------------------------

    @invariant()
    def used_expired_replaced_links_are_refused(self):
        s = self.state
        if s is None or "open_link" not in s["actions"]:
            return
        for letter in s["inbox"]:
            link = letter["link"]
            if link["status"] == "active":
                # Right at the deadline it no longer works.
                later, _ = self.probe(self.session, {"op": "tick", "seconds": countdown(s, "timer_link")})
                _, state = self.probe_act(later, "open_link", link["value"])
                assert [m["code"] for m in state["messages"]] == ["link_expired"] and state["step"] == s["step"]
            else:
                _, state = self.probe_act(self.session, "open_link", link["value"])
                assert state["step"] == s["step"]
                assert [m["code"] for m in state["messages"]] == [f"link_{link['status']}"]

    @invariant()
    def expired_or_burned_codes_are_refused(self):
        s = self.state
        if s is None or self.code is None or "submit_code" not in s["actions"]:
            return
        right = self.code["value"]
        if not self.code_live(s["clock"]):
            _, state = self.probe_act(self.session, "submit_code", right)
            assert state["step"] == "confirm-phone" and not state["data"]["phone_confirmed"]
            return
        # At the deadline the right code is refused.
        later, _ = self.probe(self.session, {"op": "tick", "seconds": countdown(s, "timer_code")})
        _, state = self.probe_act(later, "submit_code", right)
        assert [m["code"] for m in state["messages"]] == ["code_expired"]
        # After the remaining attempts are spent, the right code is refused too.
        session = self.session
        wrong = f"{(int(right) + 1) % 10**6:06d}"
        for _ in range(self.code["attempts"]):
            session, state = self.probe_act(session, "submit_code", wrong)
        assert state["attempts_left"] == 0
        _, state = self.probe_act(session, "submit_code", right)
        assert [m["code"] for m in state["messages"]] == ["code_burned"] and state["step"] == "confirm-phone"
        # And while it lives, the right code works.
        _, state = self.probe_act(self.session, "submit_code", right)
        assert state["step"] == "new-password"

    @invariant()
    def state_is_consistent(self):
        s = self.state
        if s is None:
            return
        info = STEP_INFO[s["step"]]
        assert (s["number"], s["total"], s["title"]) == (info.number, TOTAL, info.title)
        assert s["branch"] == ("contact-support" if info.number is None else None)
        assert s["actions"] and set(s["actions"]) <= set(ACTIONS)
        # A restart is offered, last, once anything has happened (and only then).
        assert ("restart" in s["actions"]) == (not self.pristine), (self.pristine, s["actions"])
        if "restart" in s["actions"]:
            assert s["actions"][-1] == "restart"
        assert all(b["action"] in ACTIONS for b in s["screen"]["buttons"])
        if s["done"]:
            assert s["actions"] == ["restart"] and s["step"] == "sign-in"
        json.dumps(s)

    @invariant()
    def no_password_before_confirmation(self):
        s = self.state
        if s is None:
            return
        if s["data"]["password_set"]:
            assert s["data"]["phone_confirmed"]
        if s["step"] in ("new-password", "sign-in"):
            assert s["data"]["phone_confirmed"]
        if "submit_password" in s["actions"]:
            assert s["data"]["phone_confirmed"]

    @invariant()
    def sign_in_closes_after_too_many_wrong_passwords(self):
        s = self.state
        if s is None or s["step"] != "sign-in" or s["done"]:
            return
        closed = self.sign_in_closed_until is not None and s["clock"] < self.sign_in_closed_until
        assert ("sign_in" in s["actions"]) == (not closed), (s["actions"], s["clock"], self.sign_in_closed_until)

    @invariant()
    def attempts_bounded(self):
        s = self.state
        if s is None:
            return
        assert s["attempts_left"] is None or 0 <= s["attempts_left"] <= CODE_ATTEMPTS
        if s["step"] == "confirm-phone" and self.code is not None:
            assert s["attempts_left"] == self.code["attempts"]

    @invariant()
    def links_and_codes_follow_the_clock(self):
        s = self.state
        if s is None:
            return
        clock = s["clock"]
        for letter in s["inbox"]:
            assert letter["link"]["status"] == self.model_status(letter["link"]["value"], clock)
        live = self.code_live(clock)
        assert (countdown(s, "timer_code") is not None) == live
        if live:
            assert countdown(s, "timer_code") == self.code["sent"] + CODE_LIFETIME - clock
        for c in (
            s["timers"] + s["screen"]["countdowns"] + [b["countdown"] for b in s["screen"]["buttons"] if b["countdown"]]
        ):
            assert set(c) == {"seconds", "template"} and "{time}" in c["template"]
            assert isinstance(c["seconds"], int) and c["seconds"] > 0

    @invariant()
    def messages_are_not_repeated_by_the_screen(self):
        s = self.state
        if s is None:
            return
        said = {m["text"] for m in s["messages"] + s["notices"]}
        shown = s["screen"]["text"] + s["screen"]["hints"]
        assert not said & set(shown), (said, shown)
        assert shown  # something is always left to read


Flow.TestCase.settings = settings(
    max_examples=examples(150),
    stateful_step_count=30,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow],
)
TestFlow = Flow.TestCase


class FlowWithReloads(Flow):
    """The same flow, with page reloads: every session survives ``dump`` → ``load``."""

    @rule()
    def reload(self):
        """The page is reloaded: a new worker takes the last ``saved`` back."""
        before = self.state
        own_password = before["step"] == "sign-in" and not before["done"] and not self.demo_password
        self.session = None
        reply = self.send({"op": "restore", "saved": self.saved})
        assert reply["ok"], reply
        state = reply["state"]
        assert state["messages"] == []
        if own_password:
            assert state["step"] == "new-password" and not state["data"]["password_set"]
            assert [m["code"] for m in state["notices"]] == ["password_not_kept"]
            self.password = None
        else:
            assert state["notices"] == [] and state["step"] == before["step"]
        self.adopt(state)

    @invariant()
    def saved_round_trip(self):
        s = self.session
        if s is None:
            return
        data = dump(s)
        assert json.loads(json.dumps(data)) == data
        loaded = load(json.loads(json.dumps(data)))
        if s.step == "sign-in" and not s.done and not s.demo_password:
            assert loaded.step == "new-password" and [m.code for m in loaded.messages] == ["password_not_kept"]
            assert dump(loaded) == {**data, "step": "new-password", "password_set": False}
        else:
            assert loaded.messages == () and loaded.error_code is None
            assert render(loaded) == render(replace(s, messages=(), error_code=None))
            assert dump(loaded) == data

    @invariant()
    def no_password_in_saved(self):
        s = self.session
        if s is None or s.password is None:
            return
        data = dump(s)
        assert dump(replace(s, password=s.password + "x")) == data  # nothing in it depends on the password
        # Unless the reader chose something the data holds anyway: a draft, a link's token.
        if s.password not in {s.email_draft, s.phone_draft, s.code_draft, *(l.token for l in s.letters)}:
            assert s.password not in json.dumps(data, ensure_ascii=False)


FlowWithReloads.TestCase.settings = Flow.TestCase.settings
TestFlowWithReloads = FlowWithReloads.TestCase
