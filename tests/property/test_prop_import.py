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


def test_no_browser_modules():
    code = "import sys, recovery_core; print(sorted(m for m in ('js', 'pyodide') if m in sys.modules))"
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout
    assert out.strip() == "[]"
