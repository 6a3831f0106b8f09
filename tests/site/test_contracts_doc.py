"""CONTRACTS.md documents every key and value of the protocol's types."""

from __future__ import annotations

import enum
import typing
from pathlib import Path

import pytest

from recovery_core import contract
from recovery_core.steps import STEPS

DOC = (Path(__file__).resolve().parents[2] / "CONTRACTS.md").read_text(encoding="utf-8")


def names() -> list[tuple[str, str]]:
    out = []
    for name in contract.__all__:
        obj = getattr(contract, name)
        if isinstance(obj, type) and issubclass(obj, enum.Enum):
            out += [(name, str(m.value)) for m in obj]
        elif isinstance(obj, type) and issubclass(obj, dict):
            out += [(name, key) for key in typing.get_type_hints(obj)]
    return out + [("StepId", s.id.value) for s in STEPS] + [("INTERNAL", contract.INTERNAL)]


@pytest.mark.parametrize(("owner", "key"), names(), ids=lambda x: x)
def test_every_key_and_value_is_in_the_document(owner, key):
    assert f"`{key}`" in DOC, f"{owner}.{key} is not in CONTRACTS.md"


def test_the_types_are_built_without_forward_references():
    """contract.py's annotations are objects, not strings typing compiles at import
    (the start-up cost its docstring names)."""
    hinted = [getattr(contract, n) for n in contract.__all__ if typing.is_typeddict(getattr(contract, n))]
    assert len(hinted) >= 10
    refs = [
        (t.__name__, k)
        for t in hinted
        for k, v in t.__annotations__.items()
        if "ForwardRef" in repr(v) or isinstance(v, str)
    ]
    assert not refs, refs
