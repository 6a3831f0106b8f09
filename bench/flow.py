"""The simulator's steps 1-9 as the bench drives them: the e2e tests' journey
(``tests/e2e/sim.py``), clicking and typing as a reader does, each latency bounded by
the probe's console signals."""

from __future__ import annotations

from bench.harness import signal
from tests.e2e.sim import Reader, sms_journey

#: Typed key by key (a trusted keydown each, which the probe times): ASCII only, since
#: Playwright sends a character that is not on its US keyboard as text without a keydown.
PHONE_KEYS = "89123456789"
PASSWORD = "Lastochka-Vertolet-Siren-42"
KEY_DELAY = 120  # ms between key presses: a brisk typist


class BenchReader(Reader):
    """Each click waits for the probe's "bench:screen" (the next screen painted) and each
    typed text for its last key's "bench:feedback": no polling in the page while a
    latency is being measured. The journey's checks of what is shown come after."""

    def __init__(self, page):
        self.page = page

    def click(self, target) -> None:
        target.wait_for()  # actionability checks evaluate in the page: before the click, not after
        with self.page.expect_console_message(signal("screen")) as message:
            target.click()
        if message.value.text != "bench:screen":
            raise RuntimeError(message.value.text)

    def type(self, field, text: str) -> None:
        field.press_sequentially(text[:-1], delay=KEY_DELAY)
        self.page.wait_for_timeout(KEY_DELAY)
        with self.page.expect_console_message(signal("feedback")):
            field.press(text[-1])


def run_flow(page) -> None:
    """Steps 1-9 and the code request, as a reader clicks and types them."""
    sms_journey(page, BenchReader(page), phone=PHONE_KEYS, password=PASSWORD)
