"""Imports of phonenumbers that the shipped wheel defers until first use.

``import phonenumbers`` runs ``phonenumbers/__init__.py``, which imports
``phonenumbermatcher`` (``PhoneNumberMatcher``, for finding numbers in free text), and
``phonenumbers/data/__init__.py``, which imports 46 ``alt_format_*`` modules whose only
reader is that matcher. The simulator never matches text, yet every cold start paid
for those 47 modules: ~26 ms of the ~128 ms import inside Pyodide (bench/RESULTS.md).
It also imports ``asyoutypeformatter``, which the simulator does use, but only once the
reader types a phone number: ~13 ms of the start in Chromium, paid instead by the
worker's warm-up (``recovery_core.protocol.warm_up``) or by the first key press.

Python's own way to load a name on first use is a module ``__getattr__`` (PEP 562),
which ``from module import name`` and ``import *`` go through too. So the wheel the
site ships (and only that one: the library installed for the tests is untouched) has
those imports moved, as they are, into a ``__getattr__`` of their module. The library
has no such switch of its own; a rewrite at build time is the only place for it.

Each rewrite names the exact lines it moves: when a new phonenumbers changes them, the
build stops (:class:`BuildError`) instead of shipping an unmodified or a broken module.
``tests/site/test_deferred.py`` checks the shipped wheel against the library as installed.
"""

from __future__ import annotations

import re
from typing import NamedTuple

from sitebuild.common import BuildError


class _Deferral(NamedTuple):
    """One block of a module's rewrite: the block it moves, what it loads, why."""

    pattern: re.Pattern  # the one block of imports moved into ``__getattr__``
    leftover: str  # no top-level line may still start with this
    names: tuple[str, ...]  # the names the module now loads on first use
    why: str  # said in the added ``__getattr__``


#: The rewritten modules, by their path in the wheel: each module's blocks.
DEFERRED = {
    "phonenumbers/__init__.py": (
        _Deferral(
            re.compile(r"^from \.phonenumbermatcher import PhoneNumberMatch, PhoneNumberMatcher, Leniency\n", re.M),
            "from .phonenumbermatcher ",
            ("PhoneNumberMatch", "PhoneNumberMatcher", "Leniency"),
            "PhoneNumberMatcher and its alternate formats load when first asked for",
        ),
        _Deferral(
            re.compile(r"^from \.asyoutypeformatter import AsYouTypeFormatter\n", re.M),
            "from .asyoutypeformatter ",
            ("AsYouTypeFormatter",),
            "The formatter of a number being typed loads when first asked for",
        ),
    ),
    "phonenumbers/data/__init__.py": (
        _Deferral(
            re.compile(
                r"^(?:from \.alt_format_(\d+) import PHONE_ALT_FORMAT_\1\n)+_ALT_NUMBER_FORMATS = \{[^\n]*\}\n", re.M
            ),
            "from .alt_format_",
            ("_ALT_NUMBER_FORMATS",),
            "The alternate formats, read by PhoneNumberMatcher only, load when it asks",
        ),
    ),
}

_GETATTR = """

def __getattr__(name):
    # Added by the simulator's build (sitebuild/deferred.py).
{branches}    else:
        raise AttributeError(f"module {{__name__!r}} has no attribute {{name!r}}")
    return globals()[name]
"""

_BRANCH = """    {keyword} name in {names!r}:
        # {why}.
        global {globals}
{body}"""


def _moved(source: str, path: str, deferrals: tuple[_Deferral, ...]) -> str:
    """``source`` with the one block each of ``deferrals`` finds moved into a
    ``__getattr__``; no line starting with its ``leftover`` may stay at the top level."""
    branches = []
    for deferral in deferrals:
        found = [m.group(0) for m in deferral.pattern.finditer(source)]
        source = source.replace(found[0], "", 1) if len(found) == 1 else ""
        if len(found) != 1 or re.search("^" + re.escape(deferral.leftover), source, re.M):
            raise BuildError(f"{path}: the imports sitebuild/deferred.py defers are not as expected (a new version?)")
        branches.append(
            _BRANCH.format(
                keyword="elif" if branches else "if",
                names=deferral.names,
                why=deferral.why,
                globals=", ".join(deferral.names),
                body="".join("        " + line + "\n" for line in found[0].splitlines()),
            )
        )
    rewritten = source.rstrip("\n") + "\n" + _GETATTR.format(branches="".join(branches))
    try:
        compile(rewritten, path, "exec")  # e.g. two blocks naming one name: `global` after its use
    except SyntaxError as err:
        raise BuildError(f"{path}: the rewrite of sitebuild/deferred.py does not compile: {err}") from err
    return rewritten


def rewrite(path: str, source: bytes) -> bytes:
    """The shipped text of the wheel's file ``path`` (unchanged unless it is one of :data:`DEFERRED`)."""
    deferrals = DEFERRED.get(path)
    return _moved(source.decode(), path, deferrals).encode() if deferrals else source
