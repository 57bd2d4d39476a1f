"""The map page in a real browser: headless Chromium (Debian's package, driven by
Playwright) against `sitrep run` as a user starts it, after the seed article and
an article full of markup meant to run in the reader's browser.

Chromium missing: the test is skipped on a developer's machine (`make browser`
installs it) and fails under CI (CI set), where `make test` installs it. The
screenshot goes to $SITREP_TEST_ARTIFACTS (default test-artifacts/ in the repo).
"""

from __future__ import annotations

import json
import os
import signal
import subprocess
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import httpx
import pytest
from playwright.sync_api import ConsoleMessage, sync_playwright

from tests.conftest import ROOT, SEED, SEED_PUBLISHED
from tests.e2e.test_run import SITREP, launch_system, wait_for, wait_until_ready
from tests.integration.test_pipeline import folded

CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
ARTIFACTS = Path(os.environ.get("SITREP_TEST_ARTIFACTS") or ROOT / "test-artifacts")
LATER = ROOT / "examples" / "syria-2024" / "2024-12-08_syria_damascus_falls.json"

# A plausible report whose title, outlet, address and sentences carry markup: the
# sentences do produce events (Saraqib captured, Maarrat an Numan entered), so
# they reach the history panel verbatim.
XSS_ARTICLE = {
    "title": "Rebels take Saraqib <script>window.__xss=1</script>",
    "outlet": '<img src=x onerror="window.__xss=2">Frontline Wire',
    "url": "javascript:window.__xss=3",
    "published_at": "2024-12-02T09:00:00Z",
    "country_hint": "SY",
    "text": (
        "Syrian rebels led by Hayat Tahrir al-Sham captured the town of Saraqib on Sunday "
        "<script>window.__xss=4</script> after government forces withdrew.\n"
        "The Syrian Observatory for Human Rights said opposition fighters "
        '<img src=x onerror="window.__xss=5"> had entered Maarat al-Numan on Sunday.\n'
        "Residents said the town was quiet on Monday morning."
    ),
}


@pytest.fixture
def chromium() -> Path:
    if not CHROMIUM.exists():
        reason = f"{CHROMIUM} is missing: `make browser` installs Debian's chromium"
        if os.environ.get("CI"):
            pytest.fail(reason)
        pytest.skip(reason)
    return CHROMIUM


@pytest.fixture
def running(tmp_path: Path) -> Iterator[tuple[str, dict[str, str]]]:
    """`sitrep run --port 0` with its own data dir; stopped with Ctrl-C (SIGINT) after."""
    proc, env, log = launch_system(tmp_path)
    try:
        yield wait_until_ready(proc, env, log), env
    finally:
        if proc.poll() is None:
            os.killpg(proc.pid, signal.SIGINT)
            try:
                proc.wait(30)
            except subprocess.TimeoutExpired:
                os.killpg(proc.pid, signal.SIGKILL)
                proc.wait()


def ingest(env: dict[str, str], *args: str) -> None:
    done = subprocess.run([SITREP, "ingest", *args], env=env, capture_output=True, text=True, timeout=120)
    assert done.returncode == 0, done.stdout + done.stderr


def place_named(url: str, prefix: str) -> dict[str, Any] | None:
    places: list[dict[str, Any]] = httpx.get(f"{url}/v1/control", timeout=5).json()["places"]
    return next((p for p in places if folded(p["place"]["name"]).startswith(prefix)), None)


def alerts_of(url: str, place_id: str) -> list[dict[str, Any]]:
    alerts: list[dict[str, Any]] = httpx.get(f"{url}/v1/alerts?limit=1000", timeout=5).json()["alerts"]
    return [a for a in alerts if a["place"]["id"] == place_id]


def has_stream(url: str) -> bool:
    paths: dict[str, Any] = httpx.get(f"{url}/openapi.json", timeout=5).json()["paths"]
    return "/v1/alerts/stream" in paths


def test_the_map_shows_places_alerts_and_history_and_runs_no_article_markup(
    chromium: Path, running: tuple[str, dict[str, str]], tmp_path: Path
) -> None:
    url, env = running
    xss = tmp_path / "markup-in-article.json"
    xss.write_text(json.dumps(XSS_ARTICLE), encoding="utf-8")
    ingest(env, str(SEED), "--published-at", SEED_PUBLISHED)
    ingest(env, str(xss))

    def hama_held() -> dict[str, Any] | None:
        hama = place_named(url, "hama")
        return hama if hama and hama["status"] == "held" else None

    hama = wait_for(hama_held, 90, "Hama held in /v1/control")
    assert hama["controller"]["name"] == "Hayat Tahrir al-Sham"
    saraqib = wait_for(lambda: place_named(url, "saraqib"), 60, "Saraqib in /v1/control")
    wait_for(lambda: alerts_of(url, hama["place"]["id"]), 60, "an alert about Hama in /v1/alerts")
    # Without the stream (an older server) the page polls instead: the browser's
    # report of the failed EventSource is then expected, and nothing else.
    stream = has_stream(url)

    page_response = httpx.get(f"{url}/", timeout=5)
    assert page_response.status_code == 200
    csp = page_response.headers["content-security-policy"]
    assert "script-src 'self'" in csp and "unsafe-inline" not in csp

    errors: list[str] = []

    def on_console(message: ConsoleMessage) -> None:
        if message.type != "error":
            return
        if not stream and "/v1/alerts/stream" in (message.location.get("url") or "") + message.text:
            return
        errors.append(f"console: {message.text} ({message.location})")

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=str(chromium), args=CHROMIUM_ARGS)
        try:
            page = browser.new_page(viewport={"width": 1280, "height": 800})
            page.on("console", on_console)
            page.on("pageerror", lambda error: errors.append(f"page error: {error}"))
            page.on("dialog", lambda dialog: errors.append(f"dialog: {dialog.message}"))
            page.goto(f"{url}/")
            page.wait_for_selector("body[data-loaded=true]")

            # Hama, coloured as the legend colours Hayat Tahrir al-Sham.
            marker = page.locator(f'#markers .marker[data-place-id="{hama["place"]["id"]}"]')
            marker.wait_for()
            assert marker.get_attribute("data-status") == "held"
            assert marker.get_attribute("data-controller") == hama["controller"]["id"]
            legend = page.locator(f'#legend-controllers li[data-controller="{hama["controller"]["id"]}"]')
            assert legend.inner_text().startswith("Hayat Tahrir al-Sham")
            colour = marker.get_attribute("fill")
            assert colour and colour == legend.get_attribute("data-colour")
            assert legend.locator("g.marker").get_attribute("fill") == colour
            assert page.locator("#outlines path[data-country=Syria]").count() == 1

            # The alert list has Hama's alert.
            alert = page.locator(f'#alerts .alert[data-place-id="{hama["place"]["id"]}"]').first
            alert.wait_for()
            assert "Hama" in alert.inner_text()

            # The history of the place the markup article is about: its text shown, not run.
            page.locator(f'#markers .marker[data-place-id="{saraqib["place"]["id"]}"]').click()
            history = page.locator("#history")
            history.locator(".event").first.wait_for()
            text = history.inner_text()
            assert "<script>window.__xss=4</script>" in text
            assert "<script>window.__xss=1</script>" in text  # the title
            assert '<img src=x onerror="window.__xss=2">Frontline Wire' in text  # the outlet
            assert history.locator("script, img, iframe, [onerror]").count() == 0
            assert history.locator("a").count() == 0, "a javascript: address must not become a link"
            assert page.evaluate("typeof window.__xss") == "undefined"

            # Replay: the view as of the slider's start, then back to live.
            page.locator("#slider").fill("0")
            page.wait_for_selector("#mode[data-mode=replay]")
            page.wait_for_load_state("networkidle")
            page.locator("#live").click()
            page.wait_for_selector("#mode[data-mode=live]")
            page.locator(f'#markers .marker[data-place-id="{hama["place"]["id"]}"]').wait_for()

            # Live: a later article reaches the open page without a reload: the fall
            # of Damascus, its new controller on the map and its alert in the list.
            damascus = place_named(url, "damascus")
            assert damascus is not None and damascus["status"] != "held", "Damascus fell before its article"
            seen = {a["alert_id"] for a in alerts_of(url, damascus["place"]["id"])}
            started = time.monotonic()
            ingest(env, str(LATER))

            def damascus_fell() -> dict[str, Any] | None:
                now = place_named(url, "damascus")
                return now if now and now["status"] == "held" else None

            fallen = wait_for(damascus_fell, 60, "Damascus held in /v1/control after the later article")
            fell = [
                a
                for a in alerts_of(url, damascus["place"]["id"])
                if a["alert_id"] not in seen and a["kind"] == "control_changed"
            ]
            assert fell, "no control_changed alert for Damascus"
            page.locator(f'#alerts .alert[data-alert-id="{fell[0]["alert_id"]}"]').wait_for(timeout=30_000)
            page.locator(
                f'#markers .marker[data-place-id="{damascus["place"]["id"]}"]'
                f'[data-status=held][data-controller="{fallen["controller"]["id"]}"]'
            ).wait_for(timeout=30_000)
            live_s = time.monotonic() - started

            page.locator(f'#markers .marker[data-place-id="{saraqib["place"]["id"]}"]').click()
            history.locator(".event").first.wait_for()
            ARTIFACTS.mkdir(parents=True, exist_ok=True)
            page.screenshot(path=str(ARTIFACTS / "map-page.png"), full_page=True)
            assert page.evaluate("typeof window.__xss") == "undefined"
        finally:
            browser.close()
    assert not errors, "\n".join(errors)
    print(f"map page: a later article showed up on the open page {live_s:.1f} s after ingest began")
