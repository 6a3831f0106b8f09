"""recovery_core — the logic of the simulator «Сменила номер телефона. Как зайти на Озон?».

Pure Python (runs in CPython and in Pyodide): steps and their Russian titles,
the recovery flow, validators, simulated mail/SMS/call services and the JSON
protocol used by the browser worker (:func:`handle`).

Its value types (sessions, letters, messages, steps) are ``typing.NamedTuple``:
immutable, compared by value, changed with ``copy.replace``. Only the check verdicts
are frozen dataclasses, as ``DESIGN.md`` promises. A dataclass writes and compiles its
methods when its module is imported: the core's 13 dataclasses took 31–61 ms of the 130–170 ms
the simulator's first import took in Pyodide under Node. The modules that define value
types do without ``from __future__ import annotations``, which would make each field's
annotation a ``typing.ForwardRef`` compiled at import (as in :mod:`recovery_core.contract`).
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from .flow import (
    ACTIONS,
    DEMO_EMAIL,
    DEMO_NEW_PHONE,
    DEMO_OLD_PHONE,
    DEMO_PASSWORD,
    FlowError,
    Session,
    act,
    allowed_actions,
    start,
    tick,
)
from .protocol import handle, respond
from .ru import plural
from .steps import MAIN_STEPS, STEPS, TOTAL, Step, StepId
from .validators import (
    CodeVerdict,
    EmailVerdict,
    PhoneVerdict,
    check_code,
    check_email,
    check_phone,
    format_as_you_type,
)
from .view import render

if TYPE_CHECKING:  # at run time, loaded at first use: see __getattr__
    from .passwords import PasswordVerdict, check_password

__all__ = [
    "ACTIONS",
    "DEMO_EMAIL",
    "DEMO_NEW_PHONE",
    "DEMO_OLD_PHONE",
    "DEMO_PASSWORD",
    "MAIN_STEPS",
    "STEPS",
    "TOTAL",
    "CodeVerdict",
    "EmailVerdict",
    "FlowError",
    "PasswordVerdict",
    "PhoneVerdict",
    "Session",
    "Step",
    "StepId",
    "act",
    "allowed_actions",
    "check_code",
    "check_email",
    "check_password",
    "check_phone",
    "format_as_you_type",
    "handle",
    "plural",
    "render",
    "respond",
    "start",
    "tick",
]

#: Names loaded at first use (PEP 562): the password module would cost ~17 ms of the
#: worker's start in Chromium, and the first screens do not need it.
_LAZY = {"PasswordVerdict": "passwords", "check_password": "passwords"}


def __getattr__(name: str):
    if name not in _LAZY:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    from importlib import import_module

    value = getattr(import_module(f".{_LAZY[name]}", __name__), name)
    globals()[name] = value
    return value


def __dir__() -> list[str]:
    return sorted([*globals(), *_LAZY])
