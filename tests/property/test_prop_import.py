"""Import cost in the browser: the password check (and zxcvbn under it) is loaded at its
first use or by the worker's warm-up, not when the worker starts."""

import subprocess
import sys


def printed_by_fresh_python(code: str) -> str:
    """What ``code`` prints in a new interpreter, where nothing of the core is imported yet."""
    return subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout


def test_zxcvbn_is_imported_lazily():
    code = (
        "import sys, recovery_core, json;"
        "before = 'zxcvbn' in sys.modules;"
        "recovery_core.check_phone('89123456789');"
        "middle = 'zxcvbn' in sys.modules;"
        "recovery_core.check_password('Veter-Lodka-2718');"
        "print(json.dumps([before, middle, 'zxcvbn' in sys.modules]))"
    )
    out = printed_by_fresh_python(code)
    assert out.strip() == "[false, false, true]"


def test_the_password_check_is_imported_at_its_first_use():
    """The worker's start imports ``recovery_core.protocol`` (through the package); the
    password module (~17 ms of that import in Chromium) waits for a check or the warm-up."""
    code = (
        "import sys, json, recovery_core.protocol as p;"
        "seen = lambda: 'recovery_core.passwords' in sys.modules;"
        "before = seen();"
        "ask = lambda **r: json.loads(p.handle(json.dumps(r)));"
        "phone = ask(op='check', field='phone', value='89123456789');"
        "screen = ask(op='start', step='new-password', seed=1);"
        "middle = seen();"
        "reply = ask(op='check', field='password', value='Veter-Lodka-2718');"
        "print(json.dumps([before, phone['verdict']['ok'], screen['ok'], middle, seen(), reply['verdict']['ok']]))"
    )
    out = printed_by_fresh_python(code)
    # The phone checked and the new-password screen drawn (its rule «не короче 8 символов»
    # included) without the password module; the password check loads it.
    assert out.strip() == "[false, true, true, false, true, true]"


def test_the_warm_up_imports_the_password_check_in_its_second_slice_then_builds_the_engine():
    code = (
        "import sys, json, recovery_core.protocol as p, recovery_core as core;"
        "seen = lambda: 'recovery_core.passwords' in sys.modules;"
        "slices = p.warm_up(); next(slices); first = seen(); next(slices); second = seen();"
        "rest = sum(1 for _ in slices);"
        "from recovery_core import passwords, matching;"
        "print(json.dumps([first, second, rest >= 5, passwords._zxcvbn is not None, bool(matching._state.get('words')),"
        " core.check_password is passwords.check_password]))"
    )
    out = printed_by_fresh_python(code)
    assert out.strip() == "[false, true, true, true, true, true]"


def test_the_core_never_imports_a_browser_module():
    """recovery_core stays pure Python: no module of it imports ``js`` or ``pyodide``,
    even inside a function (which importing the package under CPython would not reveal)."""
    import ast
    from pathlib import Path

    found = []
    for path in sorted((Path(__file__).resolve().parents[2] / "recovery_core").rglob("*.py")):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            names = [a.name for a in node.names] if isinstance(node, ast.Import) else []
            if isinstance(node, ast.ImportFrom) and node.module:
                names = [node.module]
            found += [f"{path.name}: {n}" for n in names if n.split(".")[0] in ("js", "pyodide", "pyodide_js")]
    assert found == []
