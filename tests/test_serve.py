"""`peersim serve`: the app in a browser, each browser its own trainee, nothing fetched from elsewhere.

The last test drives a real headless Chromium (Debian's `chromium` and `chromium-driver`,
through Selenium; nothing is downloaded at test time). It skips, saying why, when there
is no browser; .ci/run installs one.
"""

from __future__ import annotations

import json
import os
import shutil
import socket
import subprocess
import sys
import time
from pathlib import Path
from urllib.parse import urlsplit

import pytest

from simulator.cli import main
from simulator.serve import TEMPLATES, privacy_warning, trainee_name
from simulator.store import Store
from test_tui_support import ASK, REFLECT, make_app, settle

ROOT = Path(__file__).resolve().parent.parent
CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser")
CHROMEDRIVER = shutil.which("chromedriver")


def test_the_page_asks_nothing_of_another_machine():
    page = (TEMPLATES / "app_index.html").read_text(encoding="utf-8")
    assert "http://" not in page and "https://" not in page and "//fonts" not in page
    assert "fonts/RobotoMono" in page      # the font textual-serve ships, from this machine


def test_opening_it_to_the_room_says_what_that_means():
    assert privacy_warning("127.0.0.1", 8000) is None
    said = privacy_warning("0.0.0.0", 8000)
    assert "anyone who can reach this machine" in said and "unencrypted" in said and "Ctrl+C" in said


def test_a_name_from_the_address_is_made_plain():
    assert trainee_name(None) is None and trainee_name("%20%20") is None
    assert trainee_name("Ana%20B") == "Ana B"
    assert trainee_name("Ana\x1b[2J") == "Ana"          # no terminal escapes in a name
    assert len(trainee_name("x" * 500)) == 60


def test_serve_without_the_extra_says_how_to_get_it(monkeypatch, capsys):
    monkeypatch.setitem(sys.modules, "textual_serve", None)
    assert main(["serve"]) == 1
    assert "pip install 'peersim[serve]'" in capsys.readouterr().err


async def test_in_a_browser_the_name_is_this_persons_not_the_shared_setting(tmp_path):
    from simulator.tui.screens.choose import ChooseScreen
    from simulator.tui.screens.modals import NameScreen

    data = tmp_path / "room"
    with Store(data) as store:
        store.set_setting("trainee", "Whoever used this machine last")
    app = make_app(data_dir=data, browser_trainee="")
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(pilot)
        assert isinstance(app.screen, NameScreen)
        await pilot.press("enter")                  # no name: asked again, with why
        await settle(pilot)
        assert isinstance(app.screen, NameScreen)
        await pilot.press(*"Ben", "enter")
        await settle(pilot)
        assert isinstance(app.screen, ChooseScreen) and app.trainee == "Ben"
    with Store(data) as store:
        assert store.get_setting("trainee") == "Whoever used this machine last"

    app = make_app(data_dir=data, browser_trainee="Ana")
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(pilot)
        assert isinstance(app.screen, ChooseScreen) and app.trainee == "Ana"


# ----------------------------------------------------------------------------- a real browser
def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.fixture
def served(tmp_path):
    pytest.importorskip("textual_serve", reason="the browser mode needs the serve extra: pip install '.[serve]'")
    port, data = free_port(), tmp_path / "room"
    proc = subprocess.Popen([sys.executable, "-m", "simulator", "serve", "--port", str(port), "--data-dir", str(data)],
                            cwd=ROOT, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
    try:
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            try:
                socket.create_connection(("127.0.0.1", port), timeout=1).close()
                break
            except OSError:
                assert proc.poll() is None, proc.stdout.read()
                time.sleep(0.2)
        yield f"http://127.0.0.1:{port}", data
    finally:
        proc.terminate()
        try:
            proc.wait(timeout=15)
        except subprocess.TimeoutExpired:
            proc.kill()


def browser():
    """Headless Debian Chromium. WebGL off, so xterm.js draws text as text the test can read;
    every name but 127.0.0.1 resolves to nothing, so a stray request fails instead of leaving."""
    if not (CHROMIUM and CHROMEDRIVER):
        pytest.skip("no browser to drive: install Debian's chromium and chromium-driver (.ci/run does)")
    webdriver = pytest.importorskip("selenium.webdriver", reason="Selenium is not installed (.ci/run installs it)")
    from selenium.webdriver.chrome.service import Service

    options = webdriver.ChromeOptions()
    options.binary_location = CHROMIUM
    for flag in ("--headless=new", "--no-sandbox", "--disable-dev-shm-usage", "--window-size=1280,900",
                 "--disable-3d-apis", "--disable-gpu", "--no-first-run", "--disable-background-networking",
                 "--disable-component-update", "--disable-sync", "--host-resolver-rules=MAP * ~NOTFOUND, EXCLUDE 127.0.0.1"):
        options.add_argument(flag)
    options.set_capability("goog:loggingPrefs", {"performance": "ALL"})
    return webdriver.Chrome(options=options, service=Service(CHROMEDRIVER))


def screen_text(driver) -> str:
    return driver.execute_script("const r = document.querySelector('.xterm-rows'); return r ? r.innerText : '';")


def wait_for(what, check, timeout: float = 60, shown=None):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        value = check()
        if value:
            return value
        time.sleep(0.25)
    raise AssertionError(f"waited {timeout:.0f}s for {what}; the page showed:\n{shown() if shown else ''}")


def requested_urls(driver) -> list[str]:
    urls = []
    for entry in driver.get_log("performance"):
        message = json.loads(entry["message"])["message"]
        if message.get("method") in ("Network.requestWillBeSent", "Network.webSocketCreated"):
            params = message["params"]
            urls.append(params.get("request", {}).get("url") or params.get("url"))
    return [u for u in urls if u]


def test_a_trainee_in_a_browser_chooses_a_client_talks_and_reads_the_debrief(served):
    url, data = served
    driver = browser()
    try:
        driver.get(f"{url}/?trainee=Ana")
        wait_for("the client list", lambda: "Type to filter clients" in screen_text(driver))
        assert "Welcome to peersim" not in screen_text(driver)     # the name came with the address
        keys = driver.find_element("css selector", ".xterm-helper-textarea")

        def session():
            with Store(data) as store:
                listed = store.list_sessions()
            return listed[0] if listed else None

        keys.send_keys("parole")
        wait_for("Marcus alone in the list", lambda: "Marcus" in screen_text(driver))
        keys.send_keys("\n")
        wait_for("the content note", lambda: "Before you meet" in screen_text(driver))
        keys.send_keys("\n")
        wait_for("the conversation", session)
        for number, turn in enumerate([REFLECT, ASK], 1):
            keys.send_keys(turn + "\n")
            wait_for(f"turn {number} saved", lambda: (session().turns == number) if session() else False)
        keys.send_keys("\ue00c")          # Escape: end the session
        wait_for("the confirm", lambda: "(y)" in screen_text(driver))
        keys.send_keys("y")
        wait_for("the debrief", lambda: "debrief" in screen_text(driver).lower() and "overall" in screen_text(driver).lower(),
                 shown=lambda: screen_text(driver))

        saved = session()
        assert saved.trainee == "Ana" and saved.turns == 2 and saved.ended_at and saved.persona_id == "marcus"
        with Store(data) as store:
            log = store.load_session(saved.id)
        assert [t.trainee for t in log.turns] == [REFLECT, ASK]

        urls = requested_urls(driver)
        assert any("/ws/as/Ana" in u for u in urls)
        elsewhere = sorted({u for u in urls if urlsplit(u).hostname != "127.0.0.1" and not u.startswith("data:")})
        assert not elsewhere, f"the page asked another machine for {elsewhere}"
    finally:
        driver.quit()


@pytest.mark.skipif(os.environ.get("CI_BROWSER_REQUIRED") != "1", reason="only where CI promises a browser")
def test_ci_has_the_browser_it_promised():
    assert CHROMIUM and CHROMEDRIVER, "CI_BROWSER_REQUIRED=1 but there is no chromium and chromedriver"
    pytest.importorskip("textual_serve")
    pytest.importorskip("selenium")
