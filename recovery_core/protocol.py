"""The JSON protocol between the browser worker and the core.

``handle(request: str) -> str`` never raises. Every reply is a JSON object with
``ok`` and the request's ``id`` (``null`` if absent or unreadable):

* ``{"ok": true, "state": {...}, "saved": {...}}`` for ``start``, ``act``, ``tick`` and
  ``restore`` (``saved``: the session as data, without any password, which
  ``{"op": "restore", "saved": …}`` takes back, checked like any input);
* ``{"ok": true, "verdict": {...}}`` for ``check``;
* ``{"ok": false, "error": {"code": ..., "message": <Russian>}}`` otherwise.

The pure core is :func:`respond` (session in, session and reply out);
:func:`handle` keeps one session per worker in a module global. :func:`warm_up` is what
the worker does between the reader's requests.
"""

from __future__ import annotations

import json
import math

from . import messages as M
from .contract import INTERNAL, ErrorCode, FieldName, Op
from .flow import MAX_SEED, FlowError, Session, act, password_inputs, start, tick
from .ru import quote
from .saved import SavedError, dump, load
from .steps import StepId
from .validators import CodeVerdict, check_code, check_email, check_phone, format_as_you_type
from .view import render

__all__ = ["handle", "respond", "reset", "warm_up", "MAX_REQUEST", "MAX_VALUE", "MAX_DEPTH", "FIELDS"]

MAX_REQUEST = 100_000  # characters in a request
MAX_VALUE = 1_000  # characters in any string value
MAX_DEPTH = 16  # nesting of arrays and objects
FIELDS: tuple[str, ...] = tuple(FieldName)

_session: Session | None = None


class _Refusal(Exception):
    def __init__(self, code: str, **fields: object):
        super().__init__(code)
        self.code = code
        self.fields = fields


def _no_constants(name: str):
    raise ValueError(name)  # NaN, Infinity: not JSON


def _too_deep(text: str) -> bool:
    """Whether brackets nest deeper than :data:`MAX_DEPTH` (strings skipped)."""
    if text.count("[") + text.count("{") <= MAX_DEPTH:
        return False
    depth = 0
    in_string = escaped = False
    for c in text:
        if in_string:
            if escaped:
                escaped = False
            elif c == "\\":
                escaped = True
            elif c == '"':
                in_string = False
        elif c == '"':
            in_string = True
        elif c in "[{":
            depth += 1
            if depth > MAX_DEPTH:
                return True
        elif c in "]}":
            depth -= 1
    return False


def _too_long(value: object) -> bool:
    """Whether any string inside ``value`` exceeds :data:`MAX_VALUE`."""
    if isinstance(value, str):
        return len(value) > MAX_VALUE
    if isinstance(value, dict):
        return any(_too_long(k) or _too_long(v) for k, v in value.items())
    if isinstance(value, list):
        return any(_too_long(v) for v in value)
    return False


def _scalar_id(req: dict) -> object:
    """The request's ``id`` if it is a JSON scalar (a long string, or a number too big
    for a double, which Python reads as ±inf and JSON cannot write back, counts as absent)."""
    rid = req.get("id")
    if isinstance(rid, float) and not math.isfinite(rid):
        return None
    if isinstance(rid, (bool, int, float)) or (isinstance(rid, str) and len(rid) <= MAX_VALUE):
        return rid
    return None


def _optional_str(req: dict, key: str) -> str:
    value = req.get(key)
    if value is None:
        return ""
    if not isinstance(value, str):
        raise _Refusal("bad_field_type", field=key)
    return value


def _op_start(session: Session | None, req: dict) -> tuple[Session, dict]:
    seed = req.get("seed")
    if seed is not None and (isinstance(seed, bool) or not isinstance(seed, int) or abs(seed) > MAX_SEED):
        raise _Refusal("bad_field_type", field="seed")
    new = start(req.get("step"), seed, req.get("data"), req.get("session"))
    return new, _state_reply(new)


def _state_reply(s: Session) -> dict:
    return {"ok": True, "state": render(s), "saved": dump(s)}


def _op_restore(session: Session | None, req: dict) -> tuple[Session, dict]:
    try:
        new = load(req.get("saved"))
        reply = _state_reply(new)  # a session the view cannot show is not taken either
    except SavedError:
        raise _Refusal("bad_saved") from None
    return new, reply


def _op_act(session: Session | None, req: dict) -> tuple[Session | None, dict]:
    if session is None:
        raise _Refusal("no_session")
    action = req.get("action")
    if not isinstance(action, str):
        raise _Refusal("bad_field_type", field="action")
    value = _optional_str(req, "value")
    try:
        new = act(session, action, value)
    except FlowError as exc:
        if exc.code == "action_not_allowed":
            raise _Refusal(exc.code, title=quote(render(session)["title"])) from None
        raise _Refusal(exc.code) from None
    return new, _state_reply(new)


def _op_check(session: Session | None, req: dict) -> tuple[Session | None, dict]:
    name = req.get("field")
    if not isinstance(name, str):
        raise _Refusal("bad_field_type", field="field")
    if name not in FIELDS:
        raise _Refusal("unknown_field")
    value = _optional_str(req, "value")
    if name == "email":
        verdict = check_email(value)
    elif name == "phone":
        verdict = check_phone(value, session.old_phone if session else None, typing=True)
    elif name == "code":
        verdict = check_code(value)
        if (
            verdict.ok
            and session is not None
            and session.step == StepId.CONFIRM_PHONE
            and (session.code is None or not session.code.live(session.clock))
        ):
            verdict = CodeVerdict(False, None, M.flow("code_dead" if session.code else "code_missing"), "code_dead")
    else:
        from .passwords import check_password  # at first use, not at the worker's start (~17 ms)

        verdict = check_password(value, password_inputs(session) if session else ())
    return session, {"ok": True, "verdict": verdict.as_dict()}


def _op_tick(session: Session | None, req: dict) -> tuple[Session | None, dict]:
    if session is None:
        raise _Refusal("no_session")
    seconds = req.get("seconds")
    if isinstance(seconds, bool) or not isinstance(seconds, (int, float)) or not math.isfinite(seconds) or seconds < 0:
        raise _Refusal("bad_field_type", field="seconds")
    new = tick(session, seconds)
    return new, _state_reply(new)


_OPS = {Op.START: _op_start, Op.ACT: _op_act, Op.CHECK: _op_check, Op.TICK: _op_tick, Op.RESTORE: _op_restore}


def _parse(request: object) -> dict:
    if not isinstance(request, str):
        raise _Refusal("bad_request")
    if len(request) > MAX_REQUEST:
        raise _Refusal("too_long", limit=MAX_REQUEST)
    if _too_deep(request):
        raise _Refusal("too_deep")
    try:
        req = json.loads(request, parse_constant=_no_constants)
    except (ValueError, RecursionError):
        raise _Refusal("bad_json") from None
    if not isinstance(req, dict):
        raise _Refusal("bad_request")
    return req


#: Finer reasons, each told in its own words, answered with a public code (ErrorCode).
_FINER = {
    "bad_field_type": ErrorCode.BAD_REQUEST.value,
    "too_deep": ErrorCode.BAD_REQUEST.value,
    "value_too_long": ErrorCode.TOO_LONG.value,
}


def respond(session: Session | None, request: object) -> tuple[Session | None, dict]:
    """The pure core of :func:`handle`: the new session and the reply object."""
    rid = None
    try:
        req = _parse(request)
        rid = _scalar_id(req)
        if _too_long(req):
            raise _Refusal("value_too_long", limit=MAX_VALUE)
        op = req.get("op")
        if not isinstance(op, str):
            raise _Refusal("bad_request")
        if op not in _OPS:
            raise _Refusal("unknown_op")
        session, reply = _OPS[op](session, req)
    except _Refusal as exc:
        reply = {"ok": False, "error": {"code": exc.code, "message": M.error(exc.code, **exc.fields)}}
    except Exception:
        reply = {"ok": False, "error": {"code": INTERNAL, "message": M.error(INTERNAL)}}
    if reply["ok"] is False and reply["error"]["code"] in _FINER:
        reply["error"]["code"] = _FINER[reply["error"]["code"]]
    reply["id"] = rid
    return session, reply


def handle(request: str) -> str:
    """Answer one JSON request with one JSON reply; never raises."""
    global _session
    try:
        _session, reply = respond(_session, request)
        return json.dumps(reply, ensure_ascii=False, allow_nan=False)
    except Exception:
        return json.dumps(
            {"ok": False, "error": {"code": INTERNAL, "message": M.error(INTERNAL)}, "id": None}, ensure_ascii=False
        )


def reset() -> None:
    """Forget the worker's session (for tests)."""
    global _session
    _session = None


def warm_up():
    """The one-time costs the worker's start leaves out, in slices (a generator) that the
    worker steps through between the reader's requests (web/worker/warmup.mjs): phonenumbers'
    as-you-type formatter (deferred in the shipped wheel, sitebuild/deferred.py), the
    password module, then its own warm-up (:func:`recovery_core.passwords.warm_up`).
    A slice already done, by a request meanwhile, costs nothing."""
    format_as_you_type("+7 9")
    yield
    from . import passwords

    yield
    yield from passwords.warm_up()
