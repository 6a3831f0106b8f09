"""The site in a real Chromium: phone layout, anchors, copy links, Russian search."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import Page, expect

from recovery_core.steps import STEPS, step

PAGES = ["", "guide/", "simulator/", "support/", "safety/"]


@pytest.fixture
def phone(page: Page) -> Page:
    page.set_viewport_size({"width": 360, "height": 740})
    return page


def test_home_shows_the_short_answer_above_the_fold_on_a_phone(phone: Page):
    phone.goto("")
    expect(phone.get_by_role("heading", level=1)).to_have_text(
        re.compile(r"^Сменила номер телефона\. Как зайти на Озон\?")
    )
    answer = phone.locator(".short-answer")
    expect(answer).to_contain_text("процедуру восстановления доступа")
    box = answer.bounding_box()
    assert box is not None and box["y"] >= 0 and box["y"] + box["height"] <= 740
    guide = phone.get_by_role("link", name="Пошаговая инструкция")
    expect(guide).to_be_in_viewport()


@pytest.mark.parametrize("path", PAGES)
def test_pages_fit_a_phone_without_horizontal_scrolling(phone: Page, path):
    phone.goto(path)
    width = phone.evaluate("document.documentElement.scrollWidth")
    assert width <= 360


def test_guide_deep_link_lands_on_the_step(page: Page):
    page.set_viewport_size({"width": 360, "height": 740})
    page.goto("guide/#step-enter-phone")
    heading = page.locator("#step-enter-phone")
    expect(heading).to_have_text(re.compile(r"^Шаг 6\. Введите новый номер телефона"))
    expect(heading).to_be_in_viewport()
    # The previous step's heading is scrolled away: the link lands, not just exists.
    expect(page.locator("#step-check-inbox")).not_to_be_in_viewport()


@pytest.mark.parametrize(
    ("step_id", "target", "expected"),
    [
        ("enter-phone", "guide", "guide/#step-enter-phone"),
        ("enter-phone", "simulator", "simulator/?step=enter-phone"),
        ("contact-support", "guide", "guide/#step-contact-support"),
        ("open-ozon", "simulator", "simulator/?step=open-ozon"),
    ],
)
def test_support_copy_buttons_put_the_absolute_url_on_the_clipboard(
    page: Page, context, site_url, step_id, target, expected
):
    context.grant_permissions(["clipboard-read", "clipboard-write"], origin=site_url.rstrip("/"))
    page.goto("support/")
    card = page.locator(f"#support-{step_id}")
    what = "на раздел инструкции" if target == "guide" else "на шаг тренажёра"
    button = card.get_by_role("button", name=re.compile(f"Скопировать ссылку {what}"))
    # The address is on the page too, beside its button, for a reader to check or select.
    expect(button.locator("xpath=following-sibling::code[1]")).to_have_text(site_url + expected)
    button.click()
    # Material's clipboard: its toast says it, as a status a screen reader hears.
    expect(page.get_by_role("status")).to_have_text("Скопировано в буфер")
    assert page.evaluate("navigator.clipboard.readText()") == site_url + expected


def test_support_ready_message_carries_both_links(page: Page, context, site_url):
    context.grant_permissions(["clipboard-read", "clipboard-write"], origin=site_url.rstrip("/"))
    page.goto("support/")
    card = page.locator("#support-forgot-password")
    card.get_by_text("Готовое сообщение клиенту").click()
    button = card.get_by_role("button", name="Скопировать готовое сообщение «Забыли пароль?»")
    button.click()
    expect(page.get_by_role("status")).to_have_text("Скопировано в буфер")
    text = page.evaluate("navigator.clipboard.readText()")
    assert text.startswith("Здравствуйте! Вот пошаговая инструкция к шагу 3 «Нажмите „Забыли пароль?“»:\n")
    assert f"\n{site_url}guide/#step-forgot-password\n" in text and text.endswith(
        f"\n{site_url}simulator/?step=forgot-password"
    )


def test_support_lists_every_step(page: Page):
    page.goto("support/")
    for s in STEPS:
        expect(page.locator(f"#support-{s.id}")).to_contain_text(s.title)


@pytest.mark.parametrize("query", ["пароль", "номер", "паролем", "номера"])
def test_russian_search_finds_the_guide(page: Page, query):
    page.goto("")
    page.keyboard.press("/")
    box = page.get_by_role("textbox", name="Поиск")
    expect(box).to_be_focused()
    box.fill(query)
    box.press("End")  # Material reads the query on key events, as a real reader types
    results = page.locator(".md-search-result__item a")
    expect(results.first).to_be_visible()
    hrefs = results.evaluate_all("els => els.map(e => e.getAttribute('href'))")
    assert any("guide/" in h for h in hrefs), hrefs


def test_search_misses_what_is_not_there(page: Page):
    """The search test above can fail: a word absent from the site finds nothing."""
    page.goto("")
    page.keyboard.press("/")
    box = page.get_by_role("textbox", name="Поиск")
    box.fill("зоопарк")
    box.press("End")
    expect(page.locator(".md-search-result__meta")).to_have_text(re.compile("Совпадений не найдено|Нет совпадений"))


@pytest.mark.parametrize("path", PAGES)
def test_pages_request_nothing_from_another_origin(page: Page, requests_seen, path):
    page.goto(path, wait_until="networkidle")
    assert requests_seen.urls, "the recorder saw the page load"
    assert requests_seen.foreign() == []


def test_unofficial_note_on_every_page(page: Page):
    for path in PAGES:
        page.goto(path)
        expect(page.locator(".md-copyright")).to_contain_text("Неофициальный учебный сайт, не связан с Ozon")


def test_try_this_step_links_open_the_simulator(page: Page, site_url):
    page.set_viewport_size({"width": 360, "height": 740})  # wide screens drive the docked simulator instead
    page.goto("guide/")
    link = page.locator("#step-new-password ~ p a.try-step").first
    expect(link).to_have_text("Попробовать этот шаг в тренажёре")
    expect(link).to_have_attribute(
        "href", re.compile(r"(\.\./|^http://127\.0\.0\.1:\d+/)simulator/\?step=new-password$")
    )
    link.click()
    expect(page).to_have_url(site_url + "simulator/?step=new-password")
    assert step("new-password").number == 8


#: Every page a support link can reach: the guide's steps, the simulator's steps.
LANDINGS = [f"guide/#{s.anchor}" for s in STEPS] + [f"simulator/?step={s.id}" for s in STEPS] + ["", "safety/"]


@pytest.mark.parametrize("path", LANDINGS)
def test_the_unofficial_notice_comes_before_the_first_step_or_the_widget(page: Page, path):
    """A reader who lands from a support link learns first that this is not Ozon."""
    page.goto(path)
    notice = page.locator(".unofficial")
    expect(notice).to_have_count(1)
    expect(notice).to_contain_text("не связана с Ozon")
    official = notice.get_by_role("link", name="«Проблемы с доступом»")
    expect(official).to_have_attribute(
        "href", "https://docs.ozon.ru/common/my-settings/bezopasnost/problemy-s-dostupom"
    )
    first = page.locator("article h2[id^=step-], article [data-simulator]").first
    if first.count():
        before = notice.evaluate(
            "(n, f) => !!(n.compareDocumentPosition(f) & Node.DOCUMENT_POSITION_FOLLOWING)", first.element_handle()
        )
        assert before, "the notice stands before the first step or the widget"
    page.goto(path.split("#")[0])  # opened at the top, it is in sight
    expect(notice).to_be_in_viewport()


def test_a_link_tapped_right_after_scrolling_keeps_its_own_address(page: Page, site_url):
    """Material's navigation.tracking writes the section in view into the address
    bar 250 ms after the scrolling stops. Instant navigation changes the address as
    soon as a link is tapped and only then fetches the page, so a link tapped within
    those 250 ms got the old page's section written onto its own address
    (simulator/?step=new-password#step-new-password)."""
    held = []
    simulator_page = re.compile(r"/simulator/(\?[^#]*)?$")
    page.route(simulator_page, lambda route: held.append(route))
    page.clock.install()
    page.set_viewport_size({"width": 360, "height": 740})
    page.goto("guide/")
    link = page.locator("#step-new-password ~ p a.try-step").first
    link.scroll_into_view_if_needed()  # the scrolling starts Material's 250 ms
    page.clock.run_for(400)
    link.click()  # the click scrolls too
    page.wait_for_url(site_url + "simulator/?step=new-password")  # the page is still on its way
    page.clock.run_for(1000)  # Material's timer fires meanwhile
    assert held, "instant navigation fetches the page"
    held[0].continue_()
    page.unroute(simulator_page)
    expect(page.locator("[data-simulator]")).to_be_attached()
    page.clock.run_for(1000)
    expect(page).to_have_url(site_url + "simulator/?step=new-password")


def test_the_guide_address_still_follows_the_section_in_view(page: Page, site_url):
    """The guard above must not stop Material's tracking on the page itself."""
    page.clock.install()
    page.set_viewport_size({"width": 360, "height": 740})
    page.goto("guide/")
    page.locator("#step-enter-phone").scroll_into_view_if_needed()
    for _ in range(2):  # Material skips the first stop of the scrolling
        page.clock.run_for(400)
        page.mouse.wheel(0, 10)
    page.clock.run_for(1000)
    expect(page).to_have_url(re.compile(r"guide/#step-[\w-]+$"))
