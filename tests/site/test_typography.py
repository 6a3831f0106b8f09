"""Every text a reader meets on the built pages, by the site's typographic rules
(tests/typography.py): «ё» where it belongs, «ёлочки», dashes, no English chrome,
no error found once, one spelling of the shop."""

from __future__ import annotations

from html.parser import HTMLParser

import pytest

from tests.typography import QUESTION, problems

PAGES = [
    "index.html",
    "guide/index.html",
    "simulator/index.html",
    "support/index.html",
    "safety/index.html",
    "404.html",
]
#: Not prose: program text, and what the browser never shows.
SKIP = {"script", "style", "code", "pre", "kbd", "svg", "template"}
#: Attributes a reader meets (read aloud, shown on hover or in an empty field).
SHOWN = ("aria-label", "title", "placeholder", "alt")


class Texts(HTMLParser):
    """The page's visible text, block by block, and the shown attributes."""

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.texts: list[str] = []
        self._skip = 0

    def handle_starttag(self, tag, attrs):
        if tag in SKIP:
            self._skip += 1
        self.texts += [value for name, value in attrs if name in SHOWN and value]
        if tag == "meta" and dict(attrs).get("name") == "description":
            self.texts.append(dict(attrs).get("content") or "")

    def handle_endtag(self, tag):
        if tag in SKIP and self._skip:
            self._skip -= 1

    def handle_data(self, data):
        if not self._skip and data.strip():
            self.texts.append(" ".join(data.split()))


def texts(site_dir, rel) -> list[str]:
    parser = Texts()
    parser.feed((site_dir / rel).read_text(encoding="utf-8"))
    return parser.texts


@pytest.mark.parametrize("rel", PAGES)
def test_every_text_on_the_page_keeps_the_rules(site_dir, rel):
    pieces = texts(site_dir, rel)
    found = {text: problems(text, balance=False) for text in pieces}
    assert {text: p for text, p in found.items() if p} == {}
    whole = " ".join(pieces)
    assert whole.count("«") == whole.count("»")


def test_the_question_is_quoted_as_asked_and_the_chrome_is_russian(site_dir):
    home = texts(site_dir, "index.html")
    assert QUESTION in home
    assert "Вперёд" in " ".join(texts(site_dir, "guide/index.html"))


@pytest.mark.parametrize(
    "bad",
    [
        "Это тренажер",
        "письмо с ссылкой",
        "Made with Material for MkDocs",
        "Вперед",
        "сайт Озона",
        'кнопка "Войти"',
        "шаг - второй",
        "«Забыли пароль?",
    ],
)
def test_the_rules_catch_what_they_are_for(bad):
    assert problems(bad)
    assert not problems("Это тренажёр Ozon: нажмите «Войти» — и всё. " + QUESTION)
