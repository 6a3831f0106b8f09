"""The site's search in a real Chromium, as Russian readers type: word forms, «е»
for «ё», the wrong keyboard layout, synonyms, and words the site does not have.

Each query of the table must find its page among the first results; each absent
word must find nothing. One browser page serves the whole table (the search index
is built once), and each query starts from an empty box, so no result is stale.
"""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import Page, expect

#: How far down the result list the expected page may be.
TOP = 5

#: (query, the page or section it must find). Several forms of every key noun and
#: verb of the guide, «е» for «ё», the wrong layout, the synonyms, two-word queries.
FOUND = [
    ("почта", "guide/#step-enter-email"),
    ("почтой", "guide/"),
    ("почты", "guide/"),
    ("почте", "guide/#step-contact-support"),
    ("номер", "guide/#step-enter-phone"),
    ("номеру", "guide/#step-enter-phone"),
    ("номером", "guide/"),
    ("пароль", "guide/#step-new-password"),
    ("пароля", "guide/#step-new-password"),
    ("паролем", "guide/#step-new-password"),
    ("пароли", "safety/#codes"),
    ("код", "guide/#step-confirm-phone"),
    ("кодом", "guide/#step-confirm-phone"),
    ("кода", "guide/#step-confirm-phone"),
    ("письмо", "guide/#step-check-inbox"),
    ("письма", "guide/#step-check-inbox"),
    ("письме", "guide/#step-check-inbox"),
    ("ссылкой", "guide/#step-check-inbox"),
    ("ссылку", "guide/#step-check-inbox"),
    ("поддержка", "guide/#step-contact-support"),
    ("поддержкой", "guide/#step-contact-support"),
    ("поддержку", "guide/#step-contact-support"),
    ("звонком", "guide/#step-confirm-phone"),
    ("звонка", "guide/#step-confirm-phone"),
    ("аккаунту", "guide/"),
    ("телефона", "guide/"),
    ("тренажёр", "simulator/"),
    ("тренажера", "simulator/"),
    ("тренажер", "simulator/"),
    ("надежный", "guide/#step-new-password"),
    ("учетную запись", "guide/"),
    ("запросить", "guide/#step-check-inbox"),
    ("проверить адрес", "safety/#address"),
    ("сообщить", "safety/#codes"),
    ("сменить номер", "guide/"),
    ("gjxnf", "guide/#step-enter-email"),
    ("yjvth", "guide/#step-enter-phone"),
    ("gjllth;rf", "guide/#step-contact-support"),
    ("nhtyf;th", "simulator/"),
    ("смс", "guide/#step-confirm-phone"),
    ("sms", "guide/#step-confirm-phone"),
    ("имейл", "guide/#step-enter-email"),
    ("email", "guide/#step-enter-email"),
    ("e-mail", "guide/#step-enter-email"),
    ("код из смс", "guide/#step-confirm-phone"),
    ("забыли пароль", "guide/#step-forgot-password"),
    ("нет доступа к почте", "guide/#step-contact-support"),
    ("новый пароль", "guide/#step-new-password"),
]

#: Words that are nowhere on the site, typed right and in the wrong layout.
ABSENT = ["зоопарк", "кредитка", "ракетой", "xyzzy", "hfrtnf"]

PLACEHOLDER = "Начните печатать для поиска"
NONE = "Совпадений не найдено"


@pytest.fixture(scope="module")
def searching(browser, browser_context_args, site_url):
    """One page with the search dialog open and its index ready."""
    context = browser.new_context(**{**browser_context_args, "base_url": site_url})
    page = context.new_page()
    page.goto("")
    page.keyboard.press("/")
    box = page.get_by_role("textbox", name="Поиск")
    expect(box).to_be_focused()
    expect(page.locator(".md-search-result__meta")).to_have_text(PLACEHOLDER)
    yield page
    context.close()


def clear(page: Page) -> None:
    box = page.get_by_role("textbox", name="Поиск")
    box.fill("")
    box.press("End")
    expect(page.locator(".md-search-result__meta")).to_have_text(PLACEHOLDER)


def search(page: Page, query: str) -> list[str]:
    """The result links, best first, for ``query`` typed into an empty box."""
    clear(page)
    box = page.get_by_role("textbox", name="Поиск")
    box.fill(query)
    box.press("End")  # Material reads the query on key events, as a real reader types
    meta = page.locator(".md-search-result__meta")
    expect(meta).not_to_have_text(PLACEHOLDER)
    return hrefs(page)


def hrefs(page: Page) -> list[str]:
    links = page.locator(".md-search-result__link")
    # Material links results by absolute URL, with the matched words in ``?h=``.
    urls = links.evaluate_all("els => els.map(e => e.href)")
    return [re.sub(r"^https?://[^/]+/|\?h=[^#]*", "", url) for url in urls]


@pytest.mark.parametrize(("query", "where"), FOUND, ids=[q for q, _ in FOUND])
def test_query_finds_its_page(searching: Page, query, where):
    found = search(searching, query)
    assert where in found[:TOP], f"{query!r} → {found[:TOP]}"


@pytest.mark.parametrize("query", ABSENT)
def test_absent_word_finds_nothing(searching: Page, query):
    search(searching, query)
    expect(searching.locator(".md-search-result__meta")).to_have_text(NONE)


#: Typed key by key they must end where ``fill`` ends: the wrong layout's «;», «ё»,
#: a synonym, a two-word query.
TYPED = ["почтой", "gjllth;rf", "тренажёра", "код из смс"]


@pytest.mark.parametrize("query", TYPED)
def test_typing_key_by_key_reaches_the_same_results(searching: Page, query):
    filled = search(searching, query)
    assert filled
    clear(searching)
    searching.get_by_role("textbox", name="Поиск").press_sequentially(query)
    searching.wait_for_function(
        """(expected) => JSON.stringify([...document.querySelectorAll('.md-search-result__link')]
            .map(a => a.href.replace(/^https?:\\/\\/[^/]+\\/|\\?h=[^#]*/g, ''))) === JSON.stringify(expected)""",
        arg=filled,
    )


def test_a_pasted_query_is_searched(searching: Page):
    """A paste, dictation or an input method sends no key events (Material listens
    to keyup): the query must be searched all the same."""
    clear(searching)
    searching.keyboard.insert_text("номеру")
    links = searching.locator(".md-search-result__link[href*='#step-enter-phone']")
    expect(links.first).to_be_attached()


def test_every_step_title_finds_its_own_section_first(searching: Page):
    """The support page's cards repeat every title: they must not crowd out the guide."""
    from recovery_core.steps import STEPS

    for s in STEPS:
        found = search(searching, s.title)
        sections = [h for h in found if "#" in h]
        assert sections[:1] == [f"guide/#{s.anchor}"], (s.title, found[:TOP])


@pytest.mark.parametrize("query", ["поддержкой", "служба поддержки"])
def test_the_guide_comes_before_the_staff_page(searching: Page, query):
    """«Ссылки для службы поддержки» is for support staff; a reader asking about
    support is looking for the guide's «обратитесь в поддержку»."""
    found = search(searching, query)
    assert found.index("guide/#step-contact-support") < found.index("support/"), found


def marks(page: Page) -> list[str]:
    """The marked words of the results (their punctuation left out)."""
    texts = page.locator(".md-search-result__list mark").all_text_contents()
    return [m for t in texts if (m := re.sub(r"^\W+|\W+$", "", t))]


def test_results_mark_the_forms_they_matched(searching: Page):
    search(searching, "почтой")
    found = marks(searching)
    assert found and all(m.lower().startswith("почт") for m in found), found
    assert "почту" in {m.lower() for m in found}  # another form than the one typed
    search(searching, "тренажер")
    assert "Тренажёр" in marks(searching)  # «е» typed, the page's «ё» marked


def test_a_found_word_is_never_listed_as_missing(searching: Page):
    """Material lists a query word no form of which is in a result as «Отсутствует»."""
    for query in ("как зайти", "почтой", "звонком"):  # a stop word; forms found by their stems
        assert search(searching, query)
        assert searching.locator(".md-search-result__terms").all_inner_texts() == [], query
    search(searching, "номер зоопарк")
    terms = searching.locator(".md-search-result__terms").first
    expect(terms).to_have_text("Отсутствует: зоопарк")


def test_the_page_a_result_opens_highlights_the_page_spelling(page: Page):
    """Material's search.highlight marks the matched words on the page it opens
    (?h=): a query with «е» marks the page's «ё»."""
    page.goto("")
    page.keyboard.press("/")
    box = page.get_by_role("textbox", name="Поиск")
    box.fill("тренажера")
    box.press("End")
    page.locator(".md-search-result__link[href*='safety/'][href$='#simulator']").click()
    expect(page).to_have_url(re.compile(r"safety/\?h="))
    # The section the result named is what the reader sees. (Not the address's «#simulator»:
    # Material's navigation.tracking rewrites the hash from the scroll position, and in two
    # full CI runs it left the address without one.)
    expect(page.locator("#simulator")).to_be_in_viewport()
    highlighted = page.locator("article mark[data-md-highlight]")
    expect(highlighted.first).to_be_visible()
    # The words the result marked are named longest first in ?h=, so each is marked whole.
    assert {m.lower() for m in highlighted.all_inner_texts()} == {"тренажёр", "тренажёра"}


def test_search_works_with_the_keyboard_alone(page: Page):
    page.goto("")
    page.keyboard.press("/")
    page.keyboard.type("gfhjkz")  # «пароля» in the Latin layout
    first = page.locator(".md-search-result__link").first
    expect(first).to_be_visible()
    page.keyboard.press("ArrowDown")
    expect(first).to_be_focused()
    page.keyboard.press("Enter")
    expect(page).to_have_url(re.compile(r"guide/"))


@pytest.mark.parametrize("scheme", ["light", "dark"])
def test_search_at_320_px(page: Page, scheme, requests_seen, site_url):
    """On the narrowest phone, in both colour schemes: results readable, nothing
    sideways, nothing from another origin, no error (the worker runs under the CSP)."""
    errors: list[str] = []
    page.on("console", lambda m: errors.append(m.text) if m.type == "error" else None)
    page.on("pageerror", lambda e: errors.append(str(e)))
    page.emulate_media(color_scheme=scheme)
    page.set_viewport_size({"width": 320, "height": 640})
    page.goto("guide/")
    page.locator(".md-header label.md-header__button[for=__search]").click()
    box = page.get_by_role("textbox", name="Поиск")
    expect(box).to_be_focused()
    box.press_sequentially("cvc")  # «смс» in the Latin layout
    found = page.locator(".md-search-result__link").filter(has_text="SMS").first
    expect(found).to_be_visible()
    assert found.bounding_box()["width"] <= 320.5  # sub-pixel rounding
    # Material's overlay grows from the search button; measure once it has grown.
    page.wait_for_function("() => document.getAnimations().every(a => a.playState !== 'running')")
    assert page.evaluate("document.documentElement.scrollWidth") <= 320
    assert requests_seen.foreign() == []
    assert any("/workers/search-ru." in u for u in requests_seen.urls)
    assert errors == []
