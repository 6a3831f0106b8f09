"""Import cost in the browser: zxcvbn is loaded at the first password check, not at import."""

import subprocess
import sys


def test_zxcvbn_is_imported_lazily():
    code = (
        "import sys, recovery_core, json;"
        "before = 'zxcvbn' in sys.modules;"
        "recovery_core.check_phone('89123456789');"
        "middle = 'zxcvbn' in sys.modules;"
        "recovery_core.check_password('Veter-Lodka-2718');"
        "print(json.dumps([before, middle, 'zxcvbn' in sys.modules]))"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout
    assert out.strip() == "[false, false, true]"


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
