"""How the site's Python is compiled (sitebuild/pycompile.py): no docstrings, no asserts,
no column ranges, entries stored for the transport to compress whole. That the
simulator still works so is shown inside Pyodide (tests/pyodide) and by the e2e tests."""

from __future__ import annotations

import marshal
import types
import zipfile

from sitebuild.pycompile import py_compile_zip

SOURCE = '''"""The module's docstring."""


def f(x):
    """f's docstring."""
    assert x, "an assert"
    return x + 1
'''


def code_objects(code):
    yield code
    for const in code.co_consts:
        if hasattr(const, "co_code"):
            yield from code_objects(const)


def loaded(data: bytes):
    assert data[4:8] == (1).to_bytes(4, "little")  # hash-based, never checked: sourceless
    return marshal.loads(data[16:])


def test_modules_are_compiled_without_docstrings_asserts_or_column_ranges(tmp_path):
    import sys

    src, dest = tmp_path / "in.zip", tmp_path / "out.zip"
    with zipfile.ZipFile(src, "w", zipfile.ZIP_DEFLATED) as zf:
        zf.writestr("pkg/__init__.py", "")
        zf.writestr("pkg/mod.py", SOURCE)
        zf.writestr("pkg/data.txt", "words\n" * 100)
    py_compile_zip(src, dest, f"cp{sys.version_info[0]}{sys.version_info[1]}", lambda name: True)
    with zipfile.ZipFile(dest) as zf:
        assert zf.namelist() == ["pkg/__init__.pyc", "pkg/mod.pyc", "pkg/data.txt"]
        assert {i.compress_type for i in zf.infolist()} == {zipfile.ZIP_STORED}
        code = loaded(zf.read("pkg/mod.pyc"))
    strings = [c for co in code_objects(code) for c in co.co_consts if isinstance(c, str)]
    assert not any("docstring" in s or "an assert" in s for s in strings), strings
    module = types.ModuleType("pkg.mod")
    exec(code, module.__dict__)
    assert module.__doc__ is None and module.f.__doc__ is None
    assert module.f(0) == 1  # no assert left to fail
    positions = [p for co in code_objects(code) for p in co.co_positions()]
    assert positions
    assert {col for *_, col, _ in positions} == {None}  # line numbers only
    assert {line for line, *_ in positions} >= {4, 7}


def test_the_site_ships_its_python_compiled_so(site_dir):
    wheels = sorted(site_dir.glob("assets/simulator/wheels/*/*.whl"))
    (stdlib,) = site_dir.glob("assets/simulator/runtime/*/pyodide/python_stdlib.zip")
    assert len(wheels) == 3
    for path in [*wheels, stdlib]:
        with zipfile.ZipFile(path) as zf:
            assert {i.compress_type for i in zf.infolist()} == {zipfile.ZIP_STORED}, path.name
            compiled = [n for n in zf.namelist() if n.endswith(".pyc")]
            assert compiled, path.name
            for name in compiled:
                code = loaded(zf.read(name))
                assert {col for co in code_objects(code) for *_, col, _ in co.co_positions()} == {None}, name
    with zipfile.ZipFile(next(w for w in wheels if w.name.startswith("phonenumberslite-"))) as zf:
        names = set(zf.namelist())
    # Region metadata stays source, but for the region the first phone check loads.
    assert {"phonenumbers/data/region_RU.pyc", "phonenumbers/data/region_KZ.py"} <= names
    assert "phonenumbers/data/region_RU.py" not in names
    with zipfile.ZipFile(next(w for w in wheels if w.name.startswith("recovery_core-"))) as zf:
        module = types.ModuleType("recovery_core.ru")
        exec(loaded(zf.read("recovery_core/ru.pyc")), module.__dict__)
    assert module.__doc__ is None
    functions = [v for v in vars(module).values() if getattr(v, "__module__", "") == "recovery_core.ru"]
    assert functions and all(f.__doc__ is None for f in functions)  # the source has docstrings
