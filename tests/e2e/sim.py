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
#: The simulator's worker script: named after its content by sitebuild/output.py.
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


class Reader:
    """How the helpers below click and type: at once, as the e2e tests do.

    ``make bench`` drives the same journeys with a subclass that waits for each screen
    to be painted and types key by key (bench/flow.py): one copy of the flow for both.
    """

    def click(self, target: Locator) -> None:
        target.click()

    def type(self, field: Locator, text: str) -> None:
        """Text in a field with live feedback (phone, passwords)."""
        field.fill(text)


READER = Reader()


def press(page: Page, name: str, reader: Reader = READER) -> None:
    reader.click(screen(page).get_by_role("button", name=name, exact=True))


def type_into(page: Page, label: str | re.Pattern, text: str, reader: Reader = READER) -> None:
    reader.type(screen(page).get_by_label(label), text)


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


def go_to_inbox_link(page: Page, email: str = EMAIL, reader: Reader = READER) -> None:
    """Steps 1–5: from the start to following the letter's link."""
    at_step(page, 1)
    press(page, "Открыть Ozon", reader)
    at_step(page, 2)
    press(page, "Выход", reader)
    at_step(page, 3)
    press(page, "Забыли пароль?", reader)
    at_step(page, 4)
    screen(page).get_by_label("Электронная почта").fill(email)
    press(page, "Отправить письмо", reader)
    at_step(page, 5)
    inbox = page.get_by_role("region", name="Почта (учебная)")
    expect(inbox).to_contain_text(email)
    reader.click(inbox.get_by_role("button", name="Восстановить доступ"))
    at_step(page, 6)


def finish_from_password(page: Page, reader: Reader = READER, password: str = PASSWORD) -> None:
    """Steps 8–9: a new password, then signing in with it."""
    at_step(page, 8)
    type_into(page, "Новый пароль", password, reader)
    expect(screen(page).locator(".sim__verdict--ok")).to_be_visible()
    press(page, "Сохранить пароль", reader)
    at_step(page, 9)
    type_into(page, "Пароль", password, reader)
    press(page, "Войти", reader)
    expect(screen(page)).to_contain_text("Доступ к аккаунту восстановлен")
    expect(screen(page)).to_contain_text(PHONE_SHOWN)


def sms_journey(page: Page, reader: Reader = READER, phone: str = PHONE, password: str = PASSWORD) -> None:
    """Steps 1–9 with the code by SMS, from the first screen to «Доступ к аккаунту восстановлен»."""
    go_to_inbox_link(page, reader=reader)
    type_into(page, "Новый номер телефона", phone, reader)
    expect(screen(page).locator(".sim__verdict--ok")).to_be_visible()
    press(page, "Продолжить", reader)
    at_step(page, 7)
    press(page, "Получить код по SMS", reader)
    screen(page).get_by_label(CODE_LABEL).fill(last_sms_code(page))
    press(page, "Подтвердить", reader)
    finish_from_password(page, reader, password)
