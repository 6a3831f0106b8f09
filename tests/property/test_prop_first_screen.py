"""The simulator's first screen is computed once, at build time (sitebuild/build.py), and
shown to every reader while Pyodide loads: it must be what the core answers anyone."""

from __future__ import annotations

import json

from hypothesis import given
from hypothesis import strategies as st

from recovery_core.protocol import respond
from sitebuild.bundle import FIRST_SCREEN_REQUEST

ACTIONS = st.lists(
    st.sampled_from(["open_app", "sign_out", "forgot_password", "back", "restart", "no_email"]), max_size=6
)


def first_state(previous=None, **request) -> dict:
    return respond(previous, json.dumps({**FIRST_SCREEN_REQUEST, **request}))[1]["state"]


@given(seed=st.integers(min_value=0, max_value=2**53), actions=ACTIONS, start_seed=st.integers(0, 10**9))
def test_the_first_screen_is_the_same_for_every_seed_and_any_earlier_session(seed, actions, start_seed):
    """A fresh `start` ignores the random seed and whatever session the worker had."""
    session, _ = respond(None, json.dumps({"op": "start", "seed": start_seed}))
    for action in actions:
        session, _ = respond(session, json.dumps({"op": "act", "action": action}))
    assert first_state(session, seed=seed) == first_state()


@given(seed=st.integers(min_value=0, max_value=2**53))
def test_the_seed_does_change_what_comes_later(seed):
    """The property above is not vacuous: the seed is used, just not on the first screen."""
    session, reply = respond(
        None,
        json.dumps(
            {
                **FIRST_SCREEN_REQUEST,
                "seed": seed,
                "step": "confirm-phone",
                "data": {"email": "anna@mail.ru", "phone": "+79123456789"},
            }
        ),
    )
    session, reply = respond(session, json.dumps({"op": "act", "action": "choose_sms"}))
    other, reply2 = respond(
        None,
        json.dumps(
            {
                **FIRST_SCREEN_REQUEST,
                "seed": seed + 1,
                "step": "confirm-phone",
                "data": {"email": "anna@mail.ru", "phone": "+79123456789"},
            }
        ),
    )
    other, reply2 = respond(other, json.dumps({"op": "act", "action": "choose_sms"}))
    assert reply["state"]["device"]["sms"] != reply2["state"]["device"]["sms"]
