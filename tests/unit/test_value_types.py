"""The core's value types are NamedTuples, and its verdicts the frozen dataclasses
DESIGN.md promises; none built with forward references: dataclasses and forward
references cost the simulator's first import in the browser (the package docstring
has the figures)."""

import dataclasses
import importlib
import pkgutil

import recovery_core

MODULES = [importlib.import_module(f"recovery_core.{m.name}") for m in pkgutil.iter_modules(recovery_core.__path__)]
EXPECTED = {
    "Session",
    "Message",
    "Transition",
    "Letter",
    "Sms",
    "Call",
    "Code",
    "Step",
    "ChecklistItem",
}
VERDICTS = {"EmailVerdict", "PhoneVerdict", "CodeVerdict", "PasswordVerdict"}


def classes() -> list[type]:
    return [
        obj
        for module in MODULES
        for obj in vars(module).values()
        if isinstance(obj, type) and obj.__module__ == module.__name__
    ]


def value_types() -> list[type]:
    return [c for c in classes() if issubclass(c, tuple)]


def dataclass_types() -> list[type]:
    return [c for c in classes() if dataclasses.is_dataclass(c)]


def test_the_value_types_are_named_tuples_the_verdicts_dataclasses_no_forward_references():
    types = value_types()
    assert {t.__name__ for t in types} >= EXPECTED
    assert all(hasattr(t, "_fields") for t in types)
    assert {t.__name__ for t in dataclass_types()} == VERDICTS
    assert all(t.__dataclass_params__.frozen for t in dataclass_types())
    refs = [
        (t.__name__, k)
        for t in types + dataclass_types()
        for k, v in t.__annotations__.items()
        if isinstance(v, str) or "ForwardRef" in repr(v)
    ]
    assert not refs, refs


def uses_dataclasses(module) -> bool:
    """Whether the module holds the dataclasses module or anything of it (``dataclass``,
    ``asdict``): its source is not there to read in Pyodide, only compiled code."""
    return any(v is dataclasses or getattr(v, "__module__", None) == "dataclasses" for v in vars(module).values())


def test_only_the_verdicts_modules_import_dataclasses():
    assert len(MODULES) >= 10
    users = {m.__name__ for m in MODULES if uses_dataclasses(m)}
    assert users == {"recovery_core.validators", "recovery_core.passwords"}, users
