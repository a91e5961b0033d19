"""The built site in a real headless Chromium, over http and from file:// with every
non-file request blocked: search finds a control, a diagram node opens its element page,
hostile text runs no script. Saves a screenshot of a system page.

Needs Debian's `chromium` (never `playwright install`). Set THREATPLAN_UPDATE_SCREENSHOT=1
to refresh docs/screenshot-system.png.
"""

from __future__ import annotations

import functools
import http.server
import os
import shutil
import threading
from pathlib import Path

import pytest

from site_helpers import REPO

pytestmark = pytest.mark.browser

CHROMIUM = "/usr/bin/chromium"
ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking",
        "--disable-component-update", "--no-first-run"]


@pytest.fixture(scope="module")
def browser():
    if not Path(CHROMIUM).exists():
        # CI installs Chromium in .ci/run: there a missing browser is a failure, not a skip.
        if os.environ.get("CI"):
            pytest.fail("Chromium is not installed at /usr/bin/chromium (.ci/run installs it)")
        pytest.skip("Chromium is not installed (apt-get install chromium)")
    from playwright import sync_api
    with sync_api.sync_playwright() as p:
        b = p.chromium.launch(executable_path=CHROMIUM, args=ARGS, headless=True)
        yield b
        b.close()


class _Quiet(http.server.SimpleHTTPRequestHandler):
    def log_message(self, *args):  # keep test output clean
        pass


def _serve(root: Path):
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0),
                                             functools.partial(_Quiet, directory=str(root)))
    threading.Thread(target=server.serve_forever, daemon=True).start()
    return server


@pytest.fixture(scope="module")
def http_url(example_site):
    server = _serve(example_site[1])
    yield f"http://127.0.0.1:{server.server_address[1]}"
    server.shutdown()


@pytest.fixture
def page(browser):
    """A fresh page that fails the test on any dialog (alert = injected script ran)."""
    context = browser.new_context(viewport={"width": 1400, "height": 1000})
    pg = context.new_page()
    pg.set_default_timeout(15_000)
    dialogs: list[str] = []
    pg.on("dialog", lambda d: (dialogs.append(d.message), d.dismiss()))
    yield pg
    context.close()
    assert not dialogs, f"a script ran: {dialogs}"


def _offline(pg) -> list[str]:
    """Block and record every request that is not a file:// one."""
    external: list[str] = []

    def handle(route):
        if route.request.url.startswith("file://"):
            route.continue_()
        else:
            external.append(route.request.url)
            route.abort()

    pg.route("**/*", handle)
    return external


def _search(pg, query: str) -> None:
    pg.locator("input.md-search__input").click()  # visible in the header at this width
    pg.keyboard.type(query, delay=30)  # Material's search listens to key presses
    pg.locator(".md-search-result__item").first.wait_for(timeout=15_000)


def _search_finds_control(pg) -> None:
    _search(pg, "rate limit")
    links = pg.locator(".md-search-result__item a").evaluate_all("els => els.map(e => e.href)")
    assert any("controls/auth.rate-limit/" in h for h in links), links


def _follow_diagram_node(pg, base: str) -> None:
    pg.goto(f"{base}/generated/systems/webshop/index.html")
    node = pg.locator(".tp-diagram svg g.node a").first
    node.wait_for()
    target = node.get_attribute("xlink:href") or node.get_attribute("href")
    assert target and target.startswith("components/")
    node.click()
    pg.wait_for_url("**/generated/systems/webshop/components/**")
    assert pg.locator("h2#controls").count() == 1
    assert pg.locator("h2#findings").count() == 1


def test_over_http_search_and_diagram_links(page, http_url, tmp_path):
    page.goto(f"{http_url}/index.html")
    _search_finds_control(page)
    _follow_diagram_node(page, http_url)
    page.set_viewport_size({"width": 1400, "height": 1300})
    page.goto(f"{http_url}/generated/systems/webshop/index.html")
    shot = tmp_path / "screenshot-system.png"
    page.screenshot(path=str(shot), full_page=False)
    assert shot.stat().st_size > 10_000
    if os.environ.get("THREATPLAN_UPDATE_SCREENSHOT") == "1":
        shutil.copy(shot, REPO / "docs" / "screenshot-system.png")


def test_from_disk_with_the_network_off(page, example_site):
    base = example_site[1].resolve().as_uri()
    external = _offline(page)
    page.goto(f"{base}/index.html")
    _search_finds_control(page)
    _follow_diagram_node(page, base)
    assert external == []


def test_hostile_site_runs_no_script(page, hostile_site):
    site = hostile_site[1].resolve()
    base = site.as_uri()
    _offline(page)
    for rel in ("index.html", "generated/systems/hostile/index.html",
                "generated/systems/hostile/components/api/index.html",
                "generated/controls/custom.evil-markup/index.html", "generated/tags/index.html"):
        page.goto(f"{base}/{rel}")
        page.wait_for_load_state("load")
    _search(page, "hostile")  # results show the hostile titles and text
    page.wait_for_timeout(500)
    # The `page` fixture fails the test if any alert() ran.
