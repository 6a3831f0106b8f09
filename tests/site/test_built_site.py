"""Checks of the built site as files: pages, step anchors, links, no foreign origins."""

from __future__ import annotations

import json
import re
import shutil
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import unquote, urljoin, urlsplit

import pytest

from recovery_core.steps import STEP_IDS, STEPS
from tests.conftest import ROOT, build_site
from tests.site.built import built_value

PAGES = ["index.html", "guide/index.html", "simulator/index.html", "support/index.html", "safety/index.html"]
BASE = "http://site.test/"
RESOURCE_ATTRS = {
    ("script", "src"),
    ("link", "href"),
    ("img", "src"),
    ("iframe", "src"),
    ("source", "src"),
    ("video", "src"),
    ("audio", "src"),
    ("embed", "src"),
    ("object", "data"),
}


class Page(HTMLParser):
    """Collects element ids, links (``a[href]``) and resource URLs of one HTML page."""

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.ids: list[str] = []
        self.links: list[str] = []
        self.resources: list[str] = []
        self.headings: dict[str, str] = {}
        self._heading: str | None = None
        self._text: list[str] = []

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        if "id" in a:
            self.ids.append(a["id"])
            if tag in ("h2", "h3"):
                self._heading, self._text = a["id"], []
        if tag == "a" and a.get("href") is not None:
            self.links.append(a["href"])
        for t, attr in RESOURCE_ATTRS:
            if tag == t and a.get(attr):
                if tag == "link" and a.get("rel") in ("canonical", "alternate"):
                    continue
                self.resources.append(a[attr])
        if a.get("srcset"):
            self.resources += [part.split()[0] for part in a["srcset"].split(",")]
        for url in re.findall(r"url\(\s*['\"]?([^'\")]+)", a.get("style", "")):
            self.resources.append(url)

    def handle_endtag(self, tag):
        if tag in ("h2", "h3") and self._heading:
            self.headings[self._heading] = "".join(self._text).strip().rstrip("¶").strip()
            self._heading = None

    def handle_data(self, data):
        if self._heading:
            self._text.append(data)


def parse(site: Path, rel: str) -> Page:
    page = Page()
    page.feed((site / rel).read_text(encoding="utf-8"))
    return page


def target_file(site: Path, path: str) -> Path:
    """The file a same-site URL path is served from (``/x/`` → ``x/index.html``)."""
    local = site / unquote(path).lstrip("/")
    return local / "index.html" if path.endswith("/") or local.is_dir() else local


def all_html(site: Path) -> list[str]:
    return sorted(str(p.relative_to(site)) for p in site.rglob("*.html"))


@pytest.mark.parametrize("rel", PAGES + ["404.html"])
def test_every_page_exists(site_dir, rel):
    text = (site_dir / rel).read_text(encoding="utf-8")
    assert '<html lang="ru"' in text


def test_every_step_anchor_exactly_once_on_guide(site_dir):
    page = parse(site_dir, "guide/index.html")
    for s in STEPS:
        assert page.ids.count(s.anchor) == 1, s.anchor


def test_guide_headings_match_the_core(site_dir):
    page = parse(site_dir, "guide/index.html")
    for s in STEPS:
        expected = f"Шаг {s.number}. {s.title}" if s.number else s.title
        assert page.headings[s.anchor] == expected
    numbered = [a for a in page.ids if a.startswith("step-") and a != "step-contact-support"]
    assert numbered == [s.anchor for s in STEPS if s.number], "steps appear in their order"


def test_every_internal_link_and_anchor_resolves(site_dir):
    broken = []
    for rel in all_html(site_dir):
        page = parse(site_dir, rel)
        page_url = urljoin(BASE, rel.removesuffix("index.html"))
        for href in page.links + page.resources:
            url = urljoin(page_url, href)
            parts = urlsplit(url)
            if parts.scheme in ("mailto", "tel", "data") or not url.startswith(BASE):
                continue
            target = target_file(site_dir, parts.path)
            if not target.exists():
                broken.append(f"{rel}: {href} (no {target.relative_to(site_dir)})")
                continue
            if (
                parts.fragment
                and target.suffix == ".html"
                and unquote(parts.fragment) not in parse(site_dir, str(target.relative_to(site_dir))).ids
            ):
                broken.append(f"{rel}: {href} (no #{parts.fragment})")
    assert broken == []


def test_simulator_links_name_real_steps(site_dir):
    ids = {s.id for s in STEPS}
    found = set()
    for rel in ("guide/index.html", "support/index.html"):
        for href in parse(site_dir, rel).links:
            m = re.search(r"simulator/\?step=([^&#]*)", href)
            if m:
                assert m.group(1) in ids, href
                found.add(m.group(1))
    assert found == ids


def test_no_page_references_another_origin(site_dir):
    foreign = []
    for rel in all_html(site_dir):
        page = parse(site_dir, rel)
        page_url = urljoin(BASE, rel)
        foreign += [f"{rel}: {r}" for r in page.resources if not urljoin(page_url, r).startswith(BASE)]
    for css in site_dir.rglob("*.css"):
        for url in re.findall(r"url\(\s*['\"]?([^'\")]+)", css.read_text(encoding="utf-8")):
            if re.match(r"(https?:)?//", url):
                foreign.append(f"{css.relative_to(site_dir)}: {url}")
        if re.search(r"@import\s+(url\()?['\"]?(https?:)?//", css.read_text(encoding="utf-8")):
            foreign.append(f"{css.relative_to(site_dir)}: @import")
    assert foreign == []


def test_russian_search_index_and_language(site_dir):
    config = (site_dir / "search/search_index.json").read_text(encoding="utf-8")
    assert '"lang":["ru","en"]' in config.replace(" ", "")
    assert (site_dir / "assets/javascripts/lunr/min/lunr.ru.min.js").exists()


def test_every_page_searches_with_the_sites_worker(site_dir):
    """docs/hooks/search.py: each page's __config names search-ru.<hash>.js, which is
    there, named after its content, filled in from the core and Material's worker."""
    import hashlib

    from recovery_core.passwords import LATIN_KEYS, RUSSIAN_KEYS

    workers = site_dir / "assets/javascripts/workers"
    (ours,) = workers.glob("search-ru.*.js")
    text = ours.read_text(encoding="utf-8")
    assert ours.name == f"search-ru.{hashlib.sha256(text.encode()).hexdigest()[:8]}.js"
    filled = built_value((ROOT / "docs/hooks/search.worker.js").read_text(encoding="utf-8"), text, "SEARCH")
    assert filled["layout"] == {"russian": RUSSIAN_KEYS, "latin": LATIN_KEYS}
    assert ["смс", "sms", "эсэмэс"] in filled["synonyms"]
    assert (workers / filled["material"]).is_file()
    pages = [p for p in site_dir.rglob("*.html") if "__config" in p.read_text(encoding="utf-8")]
    assert len(pages) >= len(PAGES) + 1  # 404.html too
    for page in pages:
        config = re.search(
            r'<script id="__config" type="application/json">(.*?)</script>', page.read_text(encoding="utf-8"), re.S
        )
        assert json.loads(config.group(1))["search"].endswith(f"assets/javascripts/workers/{ours.name}"), page


def test_the_support_cards_are_not_in_the_search_index(site_dir):
    """They repeat every step's title; the guide is where a search must lead."""
    docs = json.loads((site_dir / "search/search_index.json").read_text(encoding="utf-8"))["docs"]
    (support,) = [d for d in docs if d["location"] == "support/"]
    assert "Ссылки для службы поддержки" in support["title"]
    assert not [s.title for s in STEPS if s.title in support["text"]]
    assert "Раздел инструкции" not in support["text"]  # a card's link


def test_the_unofficial_notice_is_not_in_the_search_index(site_dir):
    """It stands on four pages; in the index it would answer «тренажёр» or «справка» on each."""
    docs = json.loads((site_dir / "search/search_index.json").read_text(encoding="utf-8"))["docs"]
    notice = "не связана с Ozon"
    assert notice in (site_dir / "guide/index.html").read_text(encoding="utf-8")
    assert not [d["location"] for d in docs if notice in d["text"] or d["title"] == "Неофициальный сайт"]


def test_the_guide_and_the_simulator_list_the_same_things_to_prepare_for_support(site_dir):
    from recovery_core.messages import SUPPORT_CHECKLIST

    guide = (site_dir / "guide/index.html").read_text(encoding="utf-8")
    section = guide[guide.index('id="step-contact-support"') :]
    items = re.findall(r"<li>([^<]*)</li>", section[: section.index("</ul>")])
    # The same items, as a list in running text: lower case after «подготовьте:», «;» and «.».
    assert [i[0].upper() + i[1:-1] for i in items] == list(SUPPORT_CHECKLIST)
    assert [i[-1] for i in items] == [";"] * (len(items) - 1) + ["."]


def test_support_labels_never_double_the_quotes(site_dir):
    text = (site_dir / "support/index.html").read_text(encoding="utf-8")
    labels = re.findall(r'aria-label="([^"]*)"', text)
    assert len([l for l in labels if l.startswith("Скопировать")]) == 3 * len(STEPS)
    assert not [l for l in labels if "««" in l or "»»" in l or "«„" in l or "“»" in l]


def test_tab_labels_stay_separate_words_in_the_search_index(site_dir):
    docs = json.loads((site_dir / "search/search_index.json").read_text(encoding="utf-8"))["docs"]
    (section,) = [d for d in docs if d["location"] == "guide/#step-confirm-phone"]
    assert "Код в SMS Звонок с кодом" in section["text"]


@pytest.mark.parametrize(
    ("edit", "complaint"),
    [
        (lambda t: t.replace('"@build:SEARCH@"', "{}"), "values without a marker ['SEARCH']"),
        (lambda t: t + '\nconst AGAIN = "@build:SEARCH@";\n', "markers used twice ['SEARCH']"),
    ],
)
def test_a_search_worker_without_its_marker_fails_the_build(monkeypatch, tmp_path, edit, complaint):
    import importlib.util

    from mkdocs.exceptions import PluginError

    spec = importlib.util.spec_from_file_location("search_hook", ROOT / "docs/hooks/search.py")
    hook = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(hook)
    source = tmp_path / "search.worker.js"
    original = hook.SOURCE.read_text(encoding="utf-8")
    assert edit(original) != original, "the edit plants its fault"
    source.write_text(edit(original), encoding="utf-8")
    monkeypatch.setattr(hook, "SOURCE", source)
    with pytest.raises(PluginError, match=re.escape(complaint)):
        hook.worker_text("search.0123abcd.min.js")
    with pytest.raises(PluginError, match="search worker was not found"):
        hook.material_worker([str(tmp_path)])


def test_the_widget_carries_the_cores_first_screen_of_every_step(site_dir):
    """widget.js shows these while Pyodide loads: exactly what the shipped core answers a
    tab's first `start`, at /simulator/ and at a link to each step."""
    from recovery_core.protocol import respond
    from sitebuild.bundle import FIRST_SCREEN_REQUEST

    widget = (site_dir / "assets/simulator/widget.js").read_text(encoding="utf-8")
    source = (ROOT / "web" / "widget.js").read_text(encoding="utf-8")
    shown = built_value(source, widget, "FIRST_SCREENS")
    steps = [None, *STEP_IDS]
    assert shown == {
        step or "": respond(None, json.dumps({**FIRST_SCREEN_REQUEST, "step": step}))[1]["state"] for step in steps
    }
    assert shown[""]["step"] == "open-ozon" and shown[""]["screen"]["buttons"]
    assert {s["step"] for s in shown.values()} == set(steps[1:])
    # The tab's first session has the seed those screens were computed with.
    assert re.search(r"const FIRST_SEED = (\d+);", widget).group(1) == str(FIRST_SCREEN_REQUEST["seed"])
    assert not list((site_dir / "assets/simulator").glob("first-screen*.json"))


def _docs_copy(tmp_path: Path) -> Path:
    docs = tmp_path / "docs"
    shutil.copytree(ROOT / "docs", docs)
    return docs


@pytest.mark.parametrize(
    ("edit", "complaint"),
    [
        (lambda t: t.replace("[[step:enter-phone]]", "[[step:enter-fone]]"), "unknown step id 'enter-fone'"),
        (lambda t: t.replace("## [[step:sign-in]]", "## Вход"), "missing ['sign-in']"),
        (lambda t: t + "\n## [[step:sign-out]]\n", "repeated ['sign-out']"),
        (lambda t: t.replace("[[try:open-ozon]]", "[[try:]]"), "unknown step id ''"),
    ],
)
def test_a_wrong_step_id_fails_the_strict_build(tmp_path, edit, complaint):
    docs = _docs_copy(tmp_path)
    guide = docs / "guide.md"
    guide.write_text(edit(guide.read_text(encoding="utf-8")), encoding="utf-8")
    done = build_site(tmp_path / "site", docs_dir=docs)
    assert done.returncode != 0
    assert complaint in done.stdout + done.stderr


def test_the_unchanged_docs_copy_builds(tmp_path):
    """The negative tests above fail for their edit, not for the copy itself."""
    done = build_site(tmp_path / "site", docs_dir=_docs_copy(tmp_path))
    assert done.returncode == 0, done.stderr


def test_no_build_marker_is_left_in_any_shipped_file(site_dir):
    from sitebuild.inject import MARKER

    shipped = [*(site_dir / "assets/simulator").glob("*.*js"), *(site_dir / "assets/javascripts/workers").glob("*.js")]
    assert any(p.name.startswith("search-ru.") for p in shipped)
    assert [p.name for p in shipped if MARKER.search(p.read_text(encoding="utf-8"))] == []


@pytest.mark.parametrize(
    ("source", "values", "complaint"),
    [
        ('const A = "@build:A@";', {}, "without a value ['A']"),
        ('const A = "@build:A@";', {"A": 1, "B": 2}, "without a marker ['B']"),
        ('const A = "@build:A@", B = "@build:A@";', {"A": 1}, "used twice ['A']"),
    ],
)
def test_a_marker_and_its_value_come_in_pairs_or_the_build_stops(tmp_path, source, values, complaint):
    from sitebuild.common import BuildError
    from sitebuild.inject import inject

    path = tmp_path / "x.js"
    path.write_text(source, encoding="utf-8")
    with pytest.raises(BuildError, match=re.escape(complaint)):
        inject(path, values)


def test_a_marker_becomes_its_value_as_json(tmp_path):
    from sitebuild.inject import inject

    path = tmp_path / "x.js"
    path.write_text('const A = "@build:A@";\nconst URL_ = new URL("@build:B@", BASE);', encoding="utf-8")
    out = inject(path, {"A": {"ключ": "значение \\ «ёлочки»"}, "B": "./w.mjs"}).decode()
    assert out == 'const A = {"ключ":"значение \\\\ «ёлочки»"};\nconst URL_ = new URL("./w.mjs", BASE);'


def test_the_runtime_ships_as_npm_has_it_but_its_script_with_chromiums_compile_hint(site_dir):
    """pyodide.asm.js carries one line more (sitebuild/runtime.py, COMPILE_HINT) and is
    otherwise npm's; the other runtime files that are not cut are npm's as they are."""
    from sitebuild.runtime import COMPILE_HINT

    (runtime,) = (site_dir / "assets" / "simulator" / "runtime").glob("*/pyodide")
    npm = ROOT / "node_modules" / "pyodide"
    script = (runtime / "pyodide.asm.js").read_bytes()
    assert script.startswith(b"//# allFunctionsCalledOnLoad\n") and COMPILE_HINT == b"//# allFunctionsCalledOnLoad\n"
    assert script[len(COMPILE_HINT) :] == (npm / "pyodide.asm.js").read_bytes()
    for name in ("pyodide.mjs", "pyodide.asm.wasm"):
        assert (runtime / name).read_bytes() == (npm / name).read_bytes(), name
