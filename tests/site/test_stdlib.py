"""The cut stdlib: how imports are read, and what the built site ships.

That nothing the simulator imports is missing from it is shown inside Pyodide
(tests/pyodide: the unit suite on the cut stdlib) and checked by the build itself."""

from __future__ import annotations

import zipfile

from sitebuild.stdlib import imported_names, kept_modules, zip_module_files

SOURCE = b"""
import json
import os.path
from . import sibling
from ..up import thing
from .sub import *

if __name__ == "__main__":
    import doctest

class K:
    import textwrap

def later():
    import difflib
"""


def test_imports_are_read_with_their_packages_and_relative_names():
    found = imported_names(SOURCE, "pkg/mod/__init__.py", functions=True)
    assert {"json", "os", "os.path", "pkg.mod.sibling", "pkg.up", "pkg.up.thing", "pkg.mod.sub"} <= found
    assert {"textwrap", "difflib"} <= found
    assert "doctest" not in found  # a main guard never runs on import
    # The same lines in a module, not a package: relative to the package holding it.
    in_a_module = imported_names(SOURCE, "pkg/mod.py", functions=True)
    assert {"pkg.sibling", "pkg.sub", "up", "up.thing"} <= in_a_module
    assert "pkg.mod.sibling" not in in_a_module


def test_a_function_body_import_is_left_to_the_recording():
    found = imported_names(SOURCE, "pkg/mod.py", functions=False)
    assert "textwrap" in found  # a class body runs on import
    assert "difflib" not in found


def test_the_closure_follows_what_runs_on_import(tmp_path):
    stdlib = tmp_path / "python_stdlib.zip"
    with zipfile.ZipFile(stdlib, "w") as zf:
        zf.writestr("a.py", "import b\n")
        zf.writestr("b.py", "def f():\n    import c\n")
        zf.writestr("c.py", "")
        zf.writestr("d/__init__.py", "from . import e\n")
        zf.writestr("d/e.py", "")
        zf.writestr("unused.py", "")
    wheel = tmp_path / "w-1-py3-none-any.whl"
    with zipfile.ZipFile(wheel, "w") as zf:
        zf.writestr("w/__init__.py", "def g():\n    import d\n")
        zf.writestr("w/__main__.py", "import unused\n")
    assert kept_modules(stdlib, ["a.py"], [wheel]) == ["a.py", "b.py", "d/__init__.py", "d/e.py"]


def test_the_site_ships_the_cut_stdlib(site_dir):
    from sitebuild.runtime import pyodide_runtime

    (shipped,) = site_dir.glob("assets/simulator/runtime/*/pyodide/python_stdlib.zip")
    whole = pyodide_runtime().dir / "python_stdlib.zip"
    kept, every = zip_module_files(shipped), zip_module_files(whole)
    assert kept < every
    assert {"json/__init__.py", "re/__init__.py", "encodings/idna.py"} <= kept
    assert not {"email/__init__.py", "unittest/__init__.py", "multiprocessing/__init__.py"} & kept
    with zipfile.ZipFile(shipped) as cut, zipfile.ZipFile(whole) as npm:  # py-compiled, and still smaller
        assert sum(i.file_size for i in cut.infolist()) < sum(i.file_size for i in npm.infolist()) / 2
