"""MkDocs hook: the site's search understands Russian as readers type it.

Material's search plugin still builds the index (whole words, «ё» kept for
display) and Material's UI shows the results; its worker is wrapped by
``search.worker.js`` (beside this file; why, in its opening comment), which
stems each query word, folds «ё» into «е», reads a query typed in the Latin
layout and adds the synonyms of ``search.synonyms.json``.

This hook fills that worker in (Material's worker file, the keyboard layout from
:mod:`recovery_core.passwords`, the synonyms), writes it beside Material's worker
under a content-hashed name, and points every page's ``__config`` at it.
"""

from __future__ import annotations

import hashlib
import json
import re
from pathlib import Path

from mkdocs.exceptions import PluginError

from recovery_core.passwords import LATIN_KEYS, RUSSIAN_KEYS
from sitebuild.common import BuildError
from sitebuild.inject import inject

HERE = Path(__file__).resolve().parent
SOURCE = HERE / "search.worker.js"
SYNONYMS = HERE / "search.synonyms.json"
#: Where Material keeps its search worker, in the theme and in the site.
WORKERS = Path("assets") / "javascripts" / "workers"
_CONFIG = re.compile(r'(<script id="__config" type="application/json">)(.*?)(</script>)', re.S)

_worker: dict[str, str] = {}  # material, name, text: set by on_config


def material_worker(theme_dirs: list[str]) -> str:
    """The file name of Material's search worker (it carries a hash of its content)."""
    for folder in theme_dirs:
        found = sorted(p.name for p in (Path(folder) / WORKERS).glob("search.*.min.js"))
        if len(found) == 1:
            return found[0]
        if found:
            raise PluginError(f"search: more than one search worker in {folder}: {found}")
    raise PluginError("search: Material's search worker was not found in the theme")


def worker_text(material: str) -> str:
    """search.worker.js with its ``SEARCH`` filled in (the browser files' marker form)."""
    groups = json.loads(SYNONYMS.read_text(encoding="utf-8"))["groups"]
    data = {
        "material": material,
        "layout": {"russian": RUSSIAN_KEYS, "latin": LATIN_KEYS},
        "synonyms": groups,
    }
    try:
        return inject(SOURCE, {"SEARCH": data}).decode("utf-8")
    except BuildError as exc:
        raise PluginError(f"search: {exc}") from None


def on_config(config, **kwargs):
    material = material_worker(config.theme.dirs)
    text = worker_text(material)
    digest = hashlib.sha256(text.encode("utf-8")).hexdigest()[:8]
    _worker.update(material=material, name=f"search-ru.{digest}.js", text=text)
    return config


def use_our_worker(html: str) -> str:
    """The page with Material's ``__config`` pointing at our worker instead of its own."""

    def swap(match: re.Match) -> str:
        data = match.group(2)
        old, new = f'/{_worker["material"]}"', f'/{_worker["name"]}"'
        if data.count(old) != 1:
            raise PluginError(f"search: the page's __config does not name {_worker['material']} once")
        return match.group(1) + data.replace(old, new) + match.group(3)

    html, n = _CONFIG.subn(swap, html)
    if n != 1:
        raise PluginError("search: a page without Material's __config")
    return html


_ADJACENT_LABELS = re.compile(r"</label>(?=<label)")


def on_page_content(html: str, page, config, files) -> str:
    """A space between the labels of content tabs. Material's search plugin joins
    the text of adjacent inline elements, so «Код в SMS» and «Звонок с кодом»
    became one word, «SMSЗвонок», in the index and in the results. The labels sit
    in a flex row, where the space is not drawn."""
    return _ADJACENT_LABELS.sub("</label> ", html)


def on_post_page(output: str, page, config, **kwargs) -> str:
    return use_our_worker(output)


def on_post_template(output_content: str, template_name: str, config, **kwargs) -> str:
    # Static templates: 404.html has the search too; the sitemap has no __config.
    return use_our_worker(output_content) if template_name.endswith(".html") else output_content


def on_post_build(config, **kwargs) -> None:
    dest = Path(config["site_dir"]) / WORKERS
    if not (dest / _worker["material"]).is_file():
        raise PluginError(f"search: {WORKERS / _worker['material']} is missing from the site")
    (dest / _worker["name"]).write_text(_worker["text"], encoding="utf-8")
