"""MkDocs hook: the guide's step sections and links come from ``recovery_core.steps``.

Markers in the Markdown pages:

- ``[[step:<id>]]`` in a heading: the step's number and title from the core and the
  fixed anchor ``step-<id>``;
- ``[[try:<id>]]``: a «Попробовать этот шаг» link that opens the simulator at that step;
- ``[[support-links]]``: the support staff's table of every step with copy buttons;
- ``[[steps-list]]``: a numbered list of the main steps, linked to the guide;
- ``[[support-checklist]]`` on a line of its own: what to prepare for support, the
  simulator's own list (``recovery_core.messages.SUPPORT_CHECKLIST``), so the two agree.

An unknown id, or a guide that misses a step or repeats one, fails the build.
"""

from __future__ import annotations

import html
import re

from mkdocs.exceptions import PluginError
from mkdocs.utils import get_relative_url

from recovery_core.messages import SUPPORT_CHECKLIST
from recovery_core.ru import quote
from recovery_core.steps import MAIN_STEPS, STEPS, step

MARKER = re.compile(r"\[\[(step|try|support-links|steps-list)(?::([^\]]*))?\]\]")
CHECKLIST = re.compile(r"^( *)\[\[support-checklist\]\]$", re.M)
GUIDE = "guide.md"


def _lookup(step_id: str | None, page_src: str):
    try:
        return step(step_id or "")
    except KeyError:
        known = ", ".join(s.id for s in STEPS)
        raise PluginError(f"{page_src}: unknown step id {step_id!r}; known ids: {known}") from None


def _heading(s) -> str:
    title = f"Шаг {s.number}. {s.title}" if s.number else s.title
    return f"{title} {{ #{s.anchor} }}"


def _root(page_url: str) -> str:
    """The relative path from a page to the site root, ending in «/» (``./`` at the root)."""
    return get_relative_url(".", page_url) + "/"


def simulator_href(step_id: str, root: str = "") -> str:
    return f"{root}simulator/?step={step_id}"


def _try_link(s, root: str) -> str:
    href = html.escape(simulator_href(s.id, root))
    return f'<a class="md-button try-step" href="{href}" data-sim-step="{s.id}">Попробовать этот шаг в тренажёре</a>'


def _copy_button(target: str, label: str) -> str:
    """A «Скопировать» button for Material's clipboard: it copies the text of the element
    whose id is ``target`` (an address or the message, exactly as shown) and says so."""
    return (
        f'<button type="button" class="md-button copy-link" data-clipboard-target="#{html.escape(target)}" '
        f'aria-label="{html.escape(label)}">Скопировать</button>'
    )


def _address(rel: str, shown: str, id_: str | None = None) -> str:
    """An address as text: ``shown`` (the build's ``site_url``) until site.js writes
    the absolute address of ``rel`` as this very page resolves it."""
    ident = f' id="{html.escape(id_)}"' if id_ else ""
    return f'<span class="support-address"{ident} data-href="{html.escape(rel)}">{html.escape(shown)}</span>'


def _message(s, guide: str, sim: str) -> str:
    """The ready-to-paste message for a customer stuck at this step (``guide``, ``sim``: HTML)."""
    what = f"к шагу {s.number} {quote(s.title)}" if s.number else f"к разделу {quote(s.title)}"
    this = "Этот шаг" if s.number else "Этот раздел"
    return (
        f"Здравствуйте! Вот пошаговая инструкция {html.escape(what)}:\n{guide}\n\n"
        f"{this} можно пройти и в учебном тренажёре, на условных данных:\n{sim}"
    )


def _named(short: str) -> str:
    """A step's short name in «ёлочки», once: «„Забыли пароль?“» is already quoted."""
    return short if short.startswith("«") and short.endswith("»") else quote(short)


def _support_links(root: str, site_url: str) -> str:
    """Material's grid cards: one card a step, each address shown with its copy button.

    What the page shows is what a customer receives: the absolute addresses, as
    the page itself resolves them (site.js; the build's ``site_url`` without
    JavaScript). ``_named`` keeps a title's own «» from doubling in labels.
    """
    cards = []
    for s in STEPS:
        label = f"Шаг {s.number}" if s.number else "Отдельный случай"
        guide_rel, sim_rel = f"{root}guide/#{s.anchor}", simulator_href(s.id, root)
        guide, sim = f"{site_url}guide/#{s.anchor}", simulator_href(s.id, site_url)
        name = _named(s.short)
        cards.append(
            f'<li id="support-{s.id}"><p><strong>{label}. {html.escape(s.title)}</strong><br>'
            f"Идентификатор шага: <code>{s.id}</code></p>"
            f'<p class="support-link"><a href="{html.escape(guide_rel)}">Раздел инструкции</a>'
            f"{_copy_button(f'address-guide-{s.id}', f'Скопировать ссылку на раздел инструкции {name}')}"
            f'<code class="support-url">{_address(guide_rel, guide, f"address-guide-{s.id}")}</code></p>'
            f'<p class="support-link"><a href="{html.escape(sim_rel)}">Шаг в тренажёре</a>'
            f"{_copy_button(f'address-sim-{s.id}', f'Скопировать ссылку на шаг тренажёра {name}')}"
            f'<code class="support-url">{_address(sim_rel, sim, f"address-sim-{s.id}")}</code></p>'
            f'<details class="note support-message"><summary>Готовое сообщение клиенту</summary>'
            f'<p class="support-message__text" id="message-{s.id}">'
            f"{_message(s, _address(guide_rel, guide), _address(sim_rel, sim))}</p>"
            f"{_copy_button(f'message-{s.id}', f'Скопировать готовое сообщение {name}')}"
            f"</details></li>"
        )
    # Out of the search: the cards repeat every step's title, which the guide has.
    return f'<div class="grid cards support-links" data-search-exclude><ul>{"".join(cards)}</ul></div>'


def _checklist(indent: str) -> str:
    """The core's list as a list in running text: after «подготовьте:» each item goes
    on in lower case and ends with «;», the last with «.»."""
    last = len(SUPPORT_CHECKLIST) - 1
    return "\n".join(
        f"{indent}- {item[0].lower()}{item[1:]}{'.' if i == last else ';'}" for i, item in enumerate(SUPPORT_CHECKLIST)
    )


def _steps_list(root: str) -> str:
    items = "".join(f'<li><a href="{root}guide/#{s.anchor}">{html.escape(s.title)}</a></li>' for s in MAIN_STEPS)
    return f'<ol class="steps-list">{items}</ol>'


def on_page_markdown(markdown: str, page, config, files) -> str:
    root = _root(page.url)
    seen: list[str] = []

    def replace(match: re.Match) -> str:
        kind, arg = match.group(1), match.group(2)
        if kind == "support-links":
            return _support_links(root, config.site_url or "/")
        if kind == "steps-list":
            return _steps_list(root)
        s = _lookup(arg, page.file.src_uri)
        if kind == "step":
            seen.append(str(s.id))
            return _heading(s)
        return _try_link(s, root)

    out = CHECKLIST.sub(lambda m: _checklist(m.group(1)), markdown)
    out = MARKER.sub(replace, out)
    if page.file.src_uri == GUIDE:
        expected = [str(s.id) for s in STEPS]
        if sorted(seen) != sorted(expected):
            missing = sorted(set(expected) - set(seen))
            repeated = sorted({i for i in seen if seen.count(i) > 1})
            raise PluginError(f"{GUIDE}: step sections must match the core; missing {missing}, repeated {repeated}")
    elif seen:
        raise PluginError(f"{page.file.src_uri}: [[step:…]] headings belong on {GUIDE} only")
    return out
