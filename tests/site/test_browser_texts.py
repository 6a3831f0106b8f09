"""One catalogue: the browser files hold no Russian of their own and repeat none of the core's.

The widget, the bridge and the worker say only what recovery_core's catalogue says
(recovery_core.view.browser_texts, written in by sitebuild/build.py); the theme's inline
fallback takes its texts from the same catalogue through the MkDocs hook.
"""

from __future__ import annotations

import re

import pytest

from recovery_core import messages as M
from recovery_core.view import browser_texts
from tests.conftest import ROOT
from tests.site.built import built_value, worker_bundled

CYRILLIC = re.compile(r"[А-Яа-яЁё]")
BROWSER_FILES = sorted(p for p in (ROOT / "web").rglob("*") if p.suffix in (".js", ".mjs", ".css"))
THEME_FILES = [ROOT / "docs" / "overrides" / "main.html", ROOT / "docs" / "assets" / "site.js"]
_COMMENTS = re.compile(r"/\*.*?\*/|(?:^|(?<=\s))//[^\n]*|\{#.*?#\}", re.S)


def code_of(text: str) -> str:
    """The text without its comments (JS and CSS block and line comments, Jinja's)."""
    return _COMMENTS.sub("", text)


def catalogue() -> list[str]:
    """Every text of the core's catalogue long enough to be recognised when copied."""
    texts = [
        *M.UI.values(),
        *M.FLOW.values(),
        *M.SCREENS.values(),
        *M.BUTTONS.values(),
        *M.ERRORS.values(),
        *M.VALIDATION.values(),
        *M.LINK_STATUS.values(),
        *M.STRENGTH,
    ]
    out = set()
    for text in texts:
        # Phrases: the words between placeholders and punctuation, so a copied part is found too.
        for part in re.split(r"\{[a-z_]+\}|[.,:;!?«»()—]", text):
            if len(part.strip()) >= 15 and CYRILLIC.search(part):
                out.add(part.strip())
    return sorted(out)


def test_the_check_finds_russian_in_code_but_not_in_comments():
    assert CYRILLIC.search(code_of('const label = "Повторить";'))
    assert not CYRILLIC.search(code_of("// Повторить\n/* «Повторить» */\nconst x = 1; // и ещё"))
    assert not CYRILLIC.search(code_of("{#- Тренажёр -#}<p>{{ x }}</p>"))


@pytest.mark.parametrize("path", BROWSER_FILES, ids=lambda p: p.name)
def test_browser_files_have_no_russian_of_their_own(path):
    found = [line for line in code_of(path.read_text(encoding="utf-8")).splitlines() if CYRILLIC.search(line)]
    assert found == [], f"{path.name}: Russian belongs in recovery_core/messages.py:\n" + "\n".join(found)


@pytest.mark.parametrize("path", BROWSER_FILES + THEME_FILES, ids=lambda p: p.name)
def test_no_catalogue_text_is_repeated_in_a_browser_file(path):
    code = code_of(path.read_text(encoding="utf-8"))
    assert [t for t in catalogue() if t in code] == []


def test_the_built_files_carry_the_catalogues_texts(site_dir):
    out = site_dir / "assets" / "simulator"
    worker = next(out.glob("worker.*.mjs"))
    for path in (out / "widget.js", out / "bridge.js", worker):
        source = worker_bundled() if path == worker else (ROOT / "web" / path.name).read_text(encoding="utf-8")
        texts = built_value(source, path.read_text(encoding="utf-8"), "TEXTS")
        expected = browser_texts(1)
        assert texts["ui"].keys() == expected["ui"].keys()
        assert {k: v for k, v in texts["ui"].items() if k != "launch_text"} == {
            k: v for k, v in expected["ui"].items() if k != "launch_text"
        }
        assert texts["steps"] == expected["steps"] and texts["ticks"] == expected["ticks"]
        assert re.fullmatch(r".*около \d+ МБ\.", texts["ui"]["launch_text"])
