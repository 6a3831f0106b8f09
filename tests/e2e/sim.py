"""Helpers for driving the simulator like a reader: roles, Russian names, auto-waiting ``expect``."""

from __future__ import annotations

import re

from playwright.sync_api import Locator, Page, expect

BOOT_TIMEOUT = 60_000  # a cold Pyodide boot on a busy 2-core machine
EMAIL = "test.reader@example.com"
PHONE = "8 (912) 345-67-89"
PHONE_SHOWN = "+7 912 345-67-89"
PASSWORD = "Ласточка-Вертолёт-Сирень-42"
CODE_LABEL = re.compile(r"^Код из (SMS|звонка)")
#: The simulator's worker script: named after its content by sitebuild/build.py.
WORKER_URL = re.compile(r"/assets/simulator/worker\.[0-9a-f]{16}\.mjs$")


def screen(page: Page):
    """The schematic shop screen (the phone mock-up)."""
    return page.get_by_role("region", name="Экран магазина (учебный)")


def simulator_workers(page: Page) -> list:
    """The simulator's workers (Material's search has a worker of its own)."""
    return [w for w in page.workers if WORKER_URL.search(w.url)]


def simulator_worker(page: Page):
    """The one worker of the simulator."""
    (worker,) = simulator_workers(page)
    return worker


def where(page: Page):
    return page.locator(".sim__where")


def core_ready(scope: Page | Locator) -> Locator:
    """The step line once recovery_core has answered (the widget's phase is «ready»):
    not the build-time first screen the widget shows while Pyodide loads."""
    return scope.locator("[data-simulator][data-phase=ready] .sim__where")


#: Below this width the simulator waits for «Запустить тренажёр» (widget.js: ASK_FIRST).
ASK_FIRST_WIDTH = 960


def open_simulator(page: Page, step: str | None = None) -> None:
    """Open /simulator/ (at ``step``) and wait for the core; on a phone, tap «Запустить»
    unless this tab launched it before."""
    page.goto("simulator/" + (f"?step={step}" if step else ""))
    if (page.viewport_size or {}).get("width", 1280) < ASK_FIRST_WIDTH:
        # Asked once per tab: after that the simulator goes on by itself.
        launch = page.get_by_role("button", name="Запустить тренажёр")
        expect(launch.or_(core_ready(page))).to_be_visible(timeout=BOOT_TIMEOUT)
        if launch.is_visible():
            launch.click()
    expect(core_ready(page)).to_be_visible(timeout=BOOT_TIMEOUT)


def simulator(page: Page) -> Locator:
    """All of the simulator: its screen, the notices about it, the panels."""
    return page.locator("[data-simulator] .sim__app")


def at_step(page: Page, number: int | None, title: str | None = None) -> None:
    text = f"Шаг {number} из 9" if number else "Отдельный случай: нет доступа к почте"
    expect(where(page)).to_contain_text(text)
    if title:
        expect(where(page)).to_contain_text(title)


def press(page: Page, name: str) -> None:
    screen(page).get_by_role("button", name=name, exact=True).click()


def type_into(page: Page, label: str | re.Pattern, text: str) -> None:
    field = screen(page).get_by_label(label)
    field.fill(text)


def error(page: Page):
    return screen(page).locator(".sim__msg--error")


def last_sms_code(page: Page) -> str:
    sms = page.get_by_role("region", name="Телефон (учебный)").locator(".sim__sms").first
    expect(sms).to_contain_text("Код")
    return re.search(r"\b(\d{6})\b", sms.inner_text()).group(1)


def call_code(page: Page) -> str:
    call = page.get_by_role("region", name="Телефон (учебный)").locator(".sim__call")
    expect(call).to_contain_text("Ваш код подтверждения")
    digits = re.search(r"код подтверждения: ([\d, ]+)\.", call.inner_text()).group(1)
    return re.sub(r"\D", "", digits)


def go_to_inbox_link(page: Page, email: str = EMAIL) -> None:
    """Steps 1–5: from the start to following the letter's link."""
    at_step(page, 1)
    press(page, "Открыть Ozon")
    at_step(page, 2)
    press(page, "Выход")
    at_step(page, 3)
    press(page, "Забыли пароль?")
    at_step(page, 4)
    type_into(page, "Электронная почта", email)
    press(page, "Отправить письмо")
    at_step(page, 5)
    inbox = page.get_by_role("region", name="Почта (учебная)")
    expect(inbox).to_contain_text(email)
    inbox.get_by_role("button", name="Восстановить доступ").click()
    at_step(page, 6)


def finish_from_password(page: Page) -> None:
    at_step(page, 8)
    type_into(page, "Новый пароль", PASSWORD)
    expect(screen(page).locator(".sim__verdict--ok")).to_be_visible()
    press(page, "Сохранить пароль")
    at_step(page, 9)
    type_into(page, "Пароль", PASSWORD)
    press(page, "Войти")
    expect(screen(page)).to_contain_text("Доступ к аккаунту восстановлен")
    expect(screen(page)).to_contain_text(PHONE_SHOWN)
