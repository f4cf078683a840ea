import pytest
import time_machine

from tests.cases.conftest import pinned, w  # noqa: F401 - shared fixtures


@pytest.fixture
def browser():
    """Debian's Chromium, headless, through Playwright (never a downloaded browser)."""
    from playwright.sync_api import sync_playwright

    from tests.web.test_browser import ARGS, CHROMIUM

    with sync_playwright() as p:
        b = p.chromium.launch(executable_path=CHROMIUM, args=ARGS)
        yield b
        b.close()


@pytest.fixture
def clock():
    """The browser tests' day, a Monday at 10:00 in Shanghai; the clock keeps ticking."""
    with time_machine.travel("2025-06-16 10:00 +0800", tick=True) as t:
        yield t
