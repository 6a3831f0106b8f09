"""Hardening in Chromium: CSP, hostile input, failure modes, accessibility, phone widths."""

from __future__ import annotations

import re
from urllib.request import urlopen

import pytest
from playwright.sync_api import Page, expect

from recovery_core.steps import STEPS
from tests.conftest import ROOT
from tests.e2e.conftest import CHROMIUM, CHROMIUM_ARGS
from tests.e2e.sim import (
    BOOT_TIMEOUT,
    CODE_LABEL,
    EMAIL,
    at_step,
    core_ready,
    error,
    last_sms_code,
    open_simulator,
    press,
    screen,
    simulator_worker,
    sms_journey,
    type_into,
)

PAGES = ["", "guide/", "simulator/", "support/", "safety/", "404.html"]
CYRILLIC = re.compile(r"[А-Яа-яЁё]")
AXE = ROOT / "node_modules" / "axe-core" / "axe.min.js"


class Problems:
    """Console errors (pages and workers), uncaught errors and CSP violations of a context."""

    def __init__(self):
        self.console: list[str] = []
        self.errors: list[str] = []

    def all(self) -> list[str]:
        return self.console + self.errors


@pytest.fixture
def problems(context) -> Problems:
    found = Problems()
    context.add_init_script(
        "document.addEventListener('securitypolicyviolation', e =>"
        " console.error(`CSP violation: ${e.violatedDirective} ${e.blockedURI}`));"
    )
    context.on("console", lambda m: found.console.append(m.text) if m.type == "error" else None)
    context.on("weberror", lambda e: found.errors.append(str(e.error)))
    return found


# ------------------------------------------------------------------ Content-Security-Policy


def test_policy_header_is_strict(site_url):
    with urlopen(site_url) as response:
        policy = response.headers["Content-Security-Policy"]
        assert response.headers["X-Frame-Options"] == "DENY"
    directives = dict(d.strip().split(" ", 1) for d in policy.split(";"))
    assert directives["frame-ancestors"] == "'none'"
    assert directives["object-src"] == "'none'"
    assert directives["base-uri"] == "'self'"
    assert directives["default-src"] == "'self'"
    script_src = directives["script-src"].split()
    assert "'unsafe-inline'" not in script_src and "'unsafe-eval'" not in script_src
    assert "'wasm-unsafe-eval'" in script_src
    assert all(s in ("'self'", "'wasm-unsafe-eval'") or s.startswith("'sha256-") for s in script_src)
    assert not re.search(r"https?:|\*", policy)


@pytest.mark.parametrize("path", PAGES)
def test_every_page_carries_its_policy(site_dir, path):
    html = (site_dir / (path + "index.html" if not path.endswith(".html") else path)).read_text(encoding="utf-8")
    meta = re.search(r'<meta http-equiv="Content-Security-Policy" content="([^"]+)">', html)
    assert meta, path
    assert html.index(meta.group(0)) < html.index("<script")
    assert "'unsafe-inline'" not in meta.group(1)


def test_policy_blocks_an_injected_inline_script(page: Page, problems):
    page.goto("")
    page.evaluate(
        "() => { const s = document.createElement('script'); s.textContent = 'window.__pwned = 1';"
        " document.body.append(s); }"
    )
    expect(page.locator("body")).to_be_visible()
    assert page.evaluate("window.__pwned") is None
    assert any("CSP violation: script-src" in c for c in problems.console), problems.console


def test_no_csp_violation_or_console_error_on_any_page_or_in_the_full_flow(page: Page, problems):
    for path in PAGES:
        page.goto(path)
        expect(page.locator("h1").first).to_be_visible()
    page.get_by_role("textbox", name="Поиск").fill("пароль")  # Material's search worker too
    open_simulator(page)
    sms_journey(page)
    assert problems.all() == []


# ------------------------------------------------------------------ hostile input

PAYLOADS = [
    "<img src=x onerror=alert(1)>",
    '"><svg onload=alert(1)>',
    "javascript:alert(1)",
    "\u202eтекст\u202c@пример.рф",  # kept exactly as typed; the rules for odd text: tests/unit/test_odd_text.py
    "x" * 100_000,  # a long message through the bridge
]
FIELDS = [
    ("enter-email", "Электронная почта", "Отправить письмо", None),
    ("enter-phone", "Новый номер телефона", "Продолжить", None),
    ("confirm-phone", CODE_LABEL, "Подтвердить", "Получить код по SMS"),
    ("new-password", "Новый пароль", "Сохранить пароль", None),
    ("sign-in", "Пароль", "Войти", None),
]


@pytest.mark.parametrize(("step", "label", "submit", "before"), FIELDS, ids=[f[0] for f in FIELDS])
def test_hostile_input_is_inert_and_refused_in_russian(page: Page, step, label, submit, before):
    dialogs = []
    page.on("dialog", lambda d: (dialogs.append(d.message), d.dismiss()))
    number = next(s.number for s in STEPS if s.id == step)
    accepted = []
    for payload in PAYLOADS:
        if page.url.startswith("http"):  # each payload on a fresh deep link, not the last one's session
            page.evaluate("sessionStorage.clear()")
        open_simulator(page, step)
        if before:
            press(page, before)
        field = screen(page).get_by_label(label)
        field.fill(payload)
        # Shown literally: the field holds exactly what was typed (no markup parsed).
        assert field.input_value() == payload
        press(page, submit)
        outcome = page.locator(".sim__msg--error, .sim__msg--success")
        expect(outcome.first).to_have_text(CYRILLIC)  # a Russian answer, either way
        if error(page).count():
            at_step(page, number)
            assert field.input_value() == payload  # refused, nothing lost
        else:
            accepted.append(payload)  # e.g. a long odd string is a fine new password
        assert page.locator("img[src=x], svg[onload], .sim img, .sim svg").count() == 0
    assert dialogs == []
    assert page.evaluate("1 + 1") == 2  # the page still answers
    # Only a new password may take such text; every other field refuses all of it.
    if step == "new-password":
        assert "x" * 100_000 not in accepted
    else:
        assert accepted == []


HOSTILE_STEPS = [
    "<script>alert(1)</script>",
    "javascript:alert(1)",
    "../../etc/passwd",
    "open-ozon\u202e",
    "x" * 5000,
    "",
]


def test_hostile_deep_links_open_the_first_step_with_a_notice(page: Page):
    from urllib.parse import quote

    dialogs = []
    page.on("dialog", lambda d: (dialogs.append(d.message), d.dismiss()))
    for value in HOSTILE_STEPS:
        page.goto(f"simulator/?step={quote(value)}")
        expect(core_ready(page)).to_contain_text("Шаг 1 из 9", timeout=BOOT_TIMEOUT)
        if value:
            expect(page.locator("[data-simulator] .sim__app")).to_contain_text("Такого шага в тренажёре нет")
        expect(page).to_have_url(re.compile(r"\?step=open-ozon$"))
    assert dialogs == []


@pytest.mark.parametrize("value", ["constructor", "__proto__", "toString"])
def test_a_step_named_like_an_objects_own_property_is_an_unknown_step(page: Page, value):
    """A fresh tab looks the step up among the build's screens: only their own keys count."""
    page.goto(f"simulator/?step={value}")
    expect(core_ready(page)).to_contain_text("Шаг 1 из 9", timeout=BOOT_TIMEOUT)
    expect(page.locator("[data-simulator] .sim__app")).to_contain_text("Такого шага в тренажёре нет")


# ------------------------------------------------------------------ failure modes


def test_worker_crash_mid_flow_offers_to_go_on_and_keeps_what_was_typed(page: Page):
    open_simulator(page, "enter-phone")
    field = screen(page).get_by_label("Новый номер телефона")
    field.press_sequentially("912 345 67")
    simulator_worker(page).evaluate("setTimeout(() => { throw new Error('crash for the test'); })")
    alert = page.locator(".sim__error")
    expect(alert).to_contain_text("Тренажёр перестал отвечать")
    expect(alert).to_contain_text("с того же места")
    alert.get_by_role("button", name="Продолжить").click()
    at_step(page, 6)
    expect(screen(page).get_by_label("Новый номер телефона")).to_have_value(re.compile(r"912 345-67"))


def test_a_wheel_failing_its_integrity_check_is_reported_with_retry(page: Page):
    corrupt = {"on": True}

    def handler(route):
        if not corrupt["on"]:
            return route.continue_()
        body = bytearray(route.fetch().body())
        body[len(body) // 2] ^= 0xFF
        route.fulfill(status=200, body=bytes(body), headers={"Content-Type": "application/zip"})

    page.route("**/*.whl", handler)
    page.goto("simulator/")
    alert = page.locator(".sim__error")
    expect(alert).to_be_visible(timeout=BOOT_TIMEOUT)
    expect(alert).to_have_text(CYRILLIC)
    corrupt["on"] = False
    alert.get_by_role("button", name="Повторить").click()
    at_step(page, 1)
    # The first boot's other wheel may still be inside route.fetch(); let it finish
    # here rather than fail inside the next test when this page closes.
    page.unroute_all(behavior="wait")


def test_without_webassembly_the_simulator_says_so_and_the_guide_reads(playwright, site_url):
    # --jitless turns WebAssembly off in every isolate, workers included.
    browser = playwright.chromium.launch(executable_path=CHROMIUM, args=[*CHROMIUM_ARGS, "--js-flags=--jitless"])
    try:
        page = browser.new_page(base_url=site_url)
        page.goto("simulator/")
        alert = page.locator(".sim__error")
        expect(alert).to_contain_text("WebAssembly", timeout=BOOT_TIMEOUT)
        expect(alert).to_have_text(CYRILLIC)
        page.get_by_role("link", name="Подробная инструкция").first.click()
        expect(page.locator("#step-sign-in")).to_contain_text("Войдите с новым номером")
    finally:
        browser.close()


def test_without_javascript_the_guides_read_fully_and_the_simulator_says_what_it_needs(browser, site_url):
    context = browser.new_context(base_url=site_url, java_script_enabled=False)
    try:
        page = context.new_page()
        page.goto("guide/")
        for s in STEPS:
            expect(page.locator(f"#{s.anchor}")).to_be_visible()
        page.goto("")
        expect(page.locator(".short-answer")).to_be_visible()
        page.goto("simulator/")
        expect(page.get_by_text("Для тренажёра нужен JavaScript")).to_be_visible()
        expect(page.get_by_text("Тренажёр загружается")).to_be_hidden()
        page.get_by_role("link", name="перейти к пошаговой инструкции").click()
        expect(page).to_have_url(re.compile(r"/guide/$"))
    finally:
        context.close()


# ------------------------------------------------------------------ accessibility


def axe_serious(page: Page) -> list[str]:
    """Serious and critical axe-core violations on the page, as readable lines."""
    if not page.evaluate("typeof window.axe !== 'undefined'"):
        page.evaluate(AXE.read_text(encoding="utf-8"))
    result = page.evaluate("axe.run(document, {resultTypes: ['violations']})")
    return [
        f"{v['id']} ({v['impact']}): {n['target']}"
        for v in result["violations"]
        if v["impact"] in ("serious", "critical")
        for n in v["nodes"]
    ]


@pytest.mark.parametrize("scheme", ["light", "dark"])
def test_axe_finds_nothing_serious_on_any_page(page: Page, scheme):
    page.emulate_media(color_scheme=scheme)
    found = []
    for path in PAGES:
        page.goto(path)
        expect(page.locator("h1").first).to_be_visible()
        found += [f"{path or '/'}: {v}" for v in axe_serious(page)]
    assert found == []


@pytest.mark.parametrize("scheme", ["light", "dark"])
def test_axe_finds_nothing_serious_on_any_simulator_step(page: Page, scheme):
    page.emulate_media(color_scheme=scheme)
    found = []
    for s in STEPS:
        open_simulator(page, s.id)
        at_step(page, s.number)
        found += [f"{s.id}: {v}" for v in axe_serious(page)]
    # An error shown and the password meter drawn are checked too.
    open_simulator(page, "new-password")
    type_into(page, "Новый пароль", "qwerty")
    press(page, "Сохранить пароль")
    expect(error(page)).to_be_visible()
    found += [f"new-password error: {v}" for v in axe_serious(page)]
    assert found == []


def focused(page: Page) -> dict:
    return page.evaluate(
        "() => { const e = document.activeElement; const cs = getComputedStyle(e);"
        " return {tag: e.tagName, text: (e.textContent || '').trim(), label: e.labels?.[0]?.textContent || '',"
        " cls: e.className, outline: cs.outlineStyle, width: parseFloat(cs.outlineWidth)}; }"
    )


def tab_to(page: Page, name: str | re.Pattern, limit: int = 60) -> None:
    """Press Tab until the focused control is named ``name``; its focus ring must show."""
    for _ in range(limit):
        page.keyboard.press("Tab")
        f = focused(page)
        label = f["text"] if f["tag"] in ("BUTTON", "A") else f["label"]
        if name.search(label) if isinstance(name, re.Pattern) else label == name:
            assert f["outline"] != "none" and f["width"] >= 2, f"no visible focus on {label!r}: {f}"
            return
    raise AssertionError(f"Tab never reached {name!r}")


def heading_has_focus(page: Page, number: int) -> None:
    at_step(page, number)
    expect(screen(page).locator("h3.sim__heading")).to_be_focused()


def test_the_whole_flow_with_the_keyboard_alone(page: Page):
    open_simulator(page)
    steps = [("Открыть Ozon", None), ("Выход", None), ("Забыли пароль?", None)]
    for number, (button, _) in enumerate(steps, start=1):
        tab_to(page, button)
        page.keyboard.press("Enter")
        heading_has_focus(page, number + 1)
    tab_to(page, "Электронная почта")
    page.keyboard.type(EMAIL)
    page.keyboard.press("Enter")
    heading_has_focus(page, 5)
    tab_to(page, "Восстановить доступ")
    page.keyboard.press("Enter")
    heading_has_focus(page, 6)
    tab_to(page, "Новый номер телефона")
    page.keyboard.type("89123456789")
    page.keyboard.press("Enter")
    heading_has_focus(page, 7)
    tab_to(page, "Получить код по SMS")
    page.keyboard.press("Enter")
    code = last_sms_code(page)
    tab_to(page, CODE_LABEL)
    page.keyboard.type("000000" if code != "000000" else "111111")
    page.keyboard.press("Enter")
    # The result is announced through the live region, and focus stays in the field.
    expect(page.locator(".sim__live")).to_contain_text("Неверный код")
    page.keyboard.press("Control+A")
    page.keyboard.type(code)
    page.keyboard.press("Enter")
    heading_has_focus(page, 8)
    tab_to(page, "Новый пароль")
    page.keyboard.type("Ласточка-Вертолёт-Сирень-42")
    page.keyboard.press("Enter")
    heading_has_focus(page, 9)
    expect(page.locator(".sim__live")).to_contain_text("Шаг 9 из 9")
    tab_to(page, "Пароль")
    page.keyboard.type("Ласточка-Вертолёт-Сирень-42")
    page.keyboard.press("Enter")
    expect(screen(page)).to_contain_text("Доступ к аккаунту восстановлен")
    expect(page.locator(".sim__live")).to_contain_text("Вы вошли")


def small_targets(page: Page, scope: str = ".sim") -> list[str]:
    """Visible controls within ``scope`` smaller than 44 × 44 px.

    Links inside running text are exempt (WCAG 2.5.5): a link whose parent holds
    more text than the link itself; so are controls off the screen (Material's
    skip link until it has focus) and labels of a visible field (the field is the
    target; a label whose input is hidden, like a tab's, is the control itself).
    """
    return page.evaluate(
        """(scope) => [...document.querySelectorAll(
              `:is(${scope}) :is(a[href], button, input, select, textarea, label[for], summary)`)]
             .filter(e => e.checkVisibility({opacityProperty: true, visibilityProperty: true}))
             .filter(e => !(e.tagName === 'LABEL' && document.getElementById(e.htmlFor)?.checkVisibility()))
             .filter(e => !(e.tagName === 'A' && e.parentElement.textContent.trim().length
                                                   > e.textContent.trim().length + 3))
             .map(e => [e, e.getBoundingClientRect()])
             .filter(([e, r]) => r.width > 0 && r.right > 0 && r.left < innerWidth)
             .filter(([e, r]) => r.width < 43.5 || r.height < 43.5)
             .map(([e, r]) => `${e.tagName}.${e.className} «${(e.textContent || e.name || e.getAttribute('for') || '').trim().slice(0, 40)}»`
                              + ` ${Math.round(r.width)}×${Math.round(r.height)}`)""",
        scope,
    )


# ------------------------------------------------------------------ phone widths


def overflow(page: Page, width: int) -> list[str]:
    """Anything wider than the screen: the page scrolling sideways, or elements cut off."""
    out = []
    if page.evaluate("document.documentElement.scrollWidth") > width:
        out.append(f"page scrolls sideways: {page.evaluate('document.documentElement.scrollWidth')} px")
    out += page.evaluate(
        """(w) => [...document.querySelectorAll('.md-content *, .sim *')]
             .filter(e => e.offsetParent !== null && !e.closest('.md-typeset__scrollwrap, pre, .tabbed-labels'))
             .map(e => [e, e.getBoundingClientRect()])
             .filter(([e, r]) => r.width > 0 && (r.right > w + 0.5 || r.left < -0.5))
             .map(([e, r]) => `${e.tagName}.${e.className} ${Math.round(r.left)}–${Math.round(r.right)}`)""",
        width,
    )
    return out


@pytest.mark.parametrize("width", [320, 360])
def test_every_page_fits_a_phone(page: Page, width):
    page.set_viewport_size({"width": width, "height": 740})
    found = []
    for path in PAGES:
        page.goto(path)
        expect(page.locator("h1").first).to_be_visible()
        found += [f"{path or '/'}: {o}" for o in overflow(page, width)]
        found += [f"{path or '/'}: small target {t}" for t in small_targets(page, "body")]
    assert found == []


@pytest.mark.parametrize("width", [320, 360])
def test_search_dialog_on_a_phone_has_large_touch_targets(page: Page, width):
    page.set_viewport_size({"width": width, "height": 740})
    page.goto("guide/")
    page.locator(".md-header label.md-header__button[for=__search]").click()
    box = page.get_by_role("textbox", name="Поиск")
    box.fill("пароль")
    box.press("End")
    expect(page.locator(".md-search-result__item").first).to_be_visible()
    page.wait_for_function("() => document.getAnimations().every(a => a.playState !== 'running')")
    assert small_targets(page, ".md-search") == []
    cut_off = page.evaluate(
        """(w) => [...document.querySelectorAll('.md-search__inner *')]
             .filter(e => e.checkVisibility() && e.getBoundingClientRect().right > w + 0.5)
             .map(e => e.className)""",
        width,
    )
    assert cut_off == []


@pytest.mark.parametrize("width", [320, 360])
def test_every_simulator_step_fits_a_phone_with_large_touch_targets(page: Page, width):
    page.set_viewport_size({"width": width, "height": 740})
    found = []
    for s in STEPS:
        open_simulator(page, s.id)
        at_step(page, s.number)
        found += [f"{s.id}: {o}" for o in overflow(page, width)]
        found += [f"{s.id}: small target {t}" for t in small_targets(page)]
    assert found == []
