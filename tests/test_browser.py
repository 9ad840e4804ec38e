"""Real headless Chromium against the running server: maps and graphs render, citations highlight, nothing hostile runs.

Uses Debian's /usr/bin/chromium and /usr/bin/chromedriver through Selenium; skipped with a message
when they are missing. Screenshots go to test-artifacts/ (git-ignored).
"""
from __future__ import annotations

import shutil
import socket
import tempfile
import threading
import time
from pathlib import Path

import pytest

pytestmark = pytest.mark.browser

CHROMIUM, CHROMEDRIVER = "/usr/bin/chromium", "/usr/bin/chromedriver"
ARTIFACTS = Path(__file__).resolve().parent.parent / "test-artifacts"

if not (Path(CHROMIUM).exists() and Path(CHROMEDRIVER).exists()):
    pytest.skip("Debian chromium and chromium-driver are not installed (make system-deps)", allow_module_level=True)
webdriver = pytest.importorskip("selenium.webdriver")

from selenium.common.exceptions import NoAlertPresentException  # noqa: E402
from selenium.webdriver.chrome.service import Service  # noqa: E402
from selenium.webdriver.common.by import By  # noqa: E402

from wirewatch.api.app import create_app  # noqa: E402

from tests.webdata import (EVIL, HOSTILE_STORY, HOSTILE_TITLE, biggest_story, build_store, corpus_db,  # noqa: E402
                           hostile_analysis, hostile_story)


class Server:
    """uvicorn serving an app on 127.0.0.1 in a background thread, on a free port."""

    def __init__(self, app):
        import uvicorn

        with socket.socket() as sock:
            sock.bind(("127.0.0.1", 0))
            self.port = sock.getsockname()[1]
        self.server = uvicorn.Server(uvicorn.Config(app, host="127.0.0.1", port=self.port, log_level="warning"))
        self.thread = threading.Thread(target=self.server.run, daemon=True)

    def __enter__(self):
        self.thread.start()
        deadline = time.time() + 15
        while not self.server.started:
            if time.time() > deadline:
                raise RuntimeError("uvicorn did not start")
            time.sleep(0.05)
        return f"http://127.0.0.1:{self.port}"

    def __exit__(self, *exc):
        self.server.should_exit = True
        self.thread.join(timeout=10)


@pytest.fixture(scope="module")
def driver():
    profile = tempfile.mkdtemp(prefix="wirewatch-chromium-")
    options = webdriver.ChromeOptions()
    options.binary_location = CHROMIUM
    for arg in ("--headless=new", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
                "--disable-dev-shm-usage", f"--user-data-dir={profile}", "--window-size=1280,1000"):
        options.add_argument(arg)
    drv = webdriver.Chrome(service=Service(CHROMEDRIVER), options=options)
    drv.set_page_load_timeout(30)
    yield drv
    drv.quit()
    shutil.rmtree(profile, ignore_errors=True)


def shot(drv, name: str) -> None:
    ARTIFACTS.mkdir(exist_ok=True)
    drv.save_screenshot(str(ARTIFACTS / f"{name}.png"))


def rendered_size(element) -> tuple[float, float]:
    rect = element.rect
    return rect["width"], rect["height"]


def test_biggest_story_map_graph_and_citation(driver):
    db = corpus_db()
    story = biggest_story(db)
    with Server(create_app(db)) as base:
        driver.get(f"{base}/stories/{story.id}")
        assert driver.find_element(By.TAG_NAME, "h1").text.strip() == story.title.strip()
        for css in ("svg.map", "svg.graph"):
            w, h = rendered_size(driver.find_element(By.CSS_SELECTOR, css))
            assert w > 100 and h > 100, (css, w, h)
        assert driver.find_elements(By.CSS_SELECTOR, "svg.map circle.pin"), "no place pinned on the map"
        assert driver.find_elements(By.CSS_SELECTOR, "svg.graph circle.node"), "no actor in the graph"
        shot(driver, "story-desktop")
        cite = next(c for c in driver.find_elements(By.CSS_SELECTOR, "a.cite") if "hl=" in c.get_attribute("href"))
        expected = cite.get_attribute("title")  # the cited claim's text
        cite.click()
        mark = driver.find_element(By.CSS_SELECTOR, "mark#hl")
        assert mark.is_displayed()
        assert " ".join(mark.text.split()) == " ".join(expected.split())
        assert driver.execute_script("return document.activeElement.id") == "hl"  # app.js focused it
        top = driver.execute_script("return arguments[0].getBoundingClientRect().top", mark)
        assert 0 <= top < driver.execute_script("return window.innerHeight")  # scrolled into view
        shot(driver, "article-highlight")
        # phone width: readable without sideways scrolling
        driver.set_window_size(360, 800)
        driver.get(f"{base}/stories/{story.id}")
        overflow = driver.execute_script("return document.documentElement.scrollWidth - window.innerWidth")
        assert overflow <= 1, overflow
        shot(driver, "story-phone")
        driver.set_window_size(1280, 1000)


def _assert_inert(drv, title: str) -> None:
    try:
        alert = drv.switch_to.alert
        text = alert.text
        alert.dismiss()
        pytest.fail(f"an alert opened: {text!r}")
    except NoAlertPresentException:
        pass
    assert drv.title == title
    assert drv.execute_script("return typeof window.__pwned") == "undefined"


def test_hostile_report_runs_nothing(driver, tmp_path):
    db = build_store(str(tmp_path / "hostile.db"))
    evil = hostile_analysis()
    story_title = hostile_story(evil).title
    pages = {"/": "Stories", f"/stories/{HOSTILE_STORY}": story_title, f"/articles/{evil.article.id}?hl=0-30": HOSTILE_TITLE,
             f"/entities/{EVIL}": evil.entities[0].name, "/search?q=Officials": "Search: Officials", "/entities": "Entities"}
    with Server(create_app(db)) as base:
        for path, title in pages.items():
            driver.get(base + path)
            _assert_inert(driver, f"{title} · wirewatch")
        # the payloads are on screen as text
        driver.get(f"{base}/stories/{HOSTILE_STORY}")
        assert driver.find_element(By.TAG_NAME, "h1").text == story_title
        for link in driver.find_elements(By.CSS_SELECTOR, "a"):
            assert not (link.get_attribute("href") or "").lower().startswith("javascript:")
        # follow a citation and the outlet link: still nothing runs
        driver.find_element(By.CSS_SELECTOR, "a.cite").click()
        _assert_inert(driver, f"{HOSTILE_TITLE} · wirewatch")
        assert driver.find_element(By.TAG_NAME, "h1").text == HOSTILE_TITLE
        assert driver.find_element(By.CSS_SELECTOR, "mark#hl").is_displayed()
        shot(driver, "hostile-article")
