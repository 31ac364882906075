"""End to end in a real browser: Playwright drives Debian's Chromium (/usr/bin/chromium)
against a live ``counterpoint serve``. Upload the two seeds through the UI, open their
story, see agreements and disagreements, click through to a source sentence, search.

Screenshots are saved under ``artifacts/screenshots/`` (COUNTERPOINT_ARTIFACTS to
change). ``scripts/test.sh`` installs Chromium and sets COUNTERPOINT_REQUIRE_BROWSER=1,
so in CI a missing browser fails instead of skipping.
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.shared import REPO, shared_path
from tests.web.conftest import TOKEN, start_server, stop_server

CHROMIUM = Path("/usr/bin/chromium")
SEEDS = ("000_65b1ef5a0d5ea50e.txt", "002_c08222278913e595.txt")
ARTIFACTS = Path(os.environ.get("COUNTERPOINT_ARTIFACTS", REPO / "artifacts")) / "screenshots"
# Flags for a closed network and a root user (see the machine notes in the README).
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                 "--disable-background-networking", "--disable-component-update",
                 "--disable-sync"]

if not CHROMIUM.exists():
    if os.environ.get("COUNTERPOINT_REQUIRE_BROWSER") == "1":
        pytest.fail(f"{CHROMIUM} is missing: run scripts/ensure_chromium.sh",
                    pytrace=False)
    pytest.skip(f"{CHROMIUM} is missing (scripts/ensure_chromium.sh installs it)",
                allow_module_level=True)

from playwright.sync_api import Browser, Page, expect, sync_playwright  # noqa: E402


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    db = tmp_path_factory.mktemp("browser") / "ui.db"
    process, url = start_server(db, {**os.environ, "COUNTERPOINT_API_TOKEN": TOKEN})
    try:
        yield url
    finally:
        stop_server(process)


@pytest.fixture(scope="module")
def browser() -> Iterator[Browser]:
    with sync_playwright() as playwright:
        launched = playwright.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        yield launched
        launched.close()


@pytest.fixture(scope="module")
def page(browser: Browser) -> Iterator[Page]:
    context = browser.new_context(viewport={"width": 1366, "height": 850})
    opened = context.new_page()
    opened.set_default_timeout(90_000)  # the first comparison loads the embedding model
    yield opened
    context.close()


def _shot(page: Page, name: str) -> None:
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / f"{name}.png"), full_page=True)


def test_upload_the_seeds_through_the_form(server: str, page: Page) -> None:
    seeds = [str(shared_path("corpus", "seeds", name)) for name in SEEDS]
    page.goto(f"{server}/upload")
    page.get_by_label("Files").set_input_files(seeds)
    page.get_by_label("API token").fill(TOKEN)
    page.get_by_role("button", name="Upload and analyse").click()
    rows = page.locator("#results tbody tr")
    expect(rows).to_have_count(2)
    expect(page.locator("#results tbody tr.stored")).to_have_count(2)
    _shot(page, "1-upload")


def test_open_the_story_and_see_where_the_sources_agree_and_differ(server: str,
                                                                    page: Page) -> None:
    page.goto(f"{server}/stories")
    page.locator("table.list tbody a").first.click()
    expect(page.get_by_role("heading", name="Where they agree")).to_be_visible()
    agreements = page.locator("section[aria-labelledby=agree-h] li.group")
    disagreements = page.locator("section[aria-labelledby=disagree-h] li.group")
    expect(agreements.first).to_be_visible()
    expect(disagreements.first).to_be_visible()
    assert agreements.count() >= 2 and disagreements.count() >= 2
    # each disagreement names its basis and quotes both sources
    first = disagreements.first
    kinds = {b.lower() for b in disagreements.locator(".badge").all_inner_texts()}
    assert kinds <= {"negation", "certainty", "framing"} and kinds
    expect(first.locator(".basis")).to_contain_text("(")
    assert first.locator("blockquote").count() >= 2
    expect(page.locator("table.tone")).to_contain_text("United States")
    _shot(page, "2-story")


def test_click_through_to_the_source_sentence(server: str, page: Page) -> None:
    quote = page.locator("section[aria-labelledby=disagree-h] blockquote a").first
    cited = " ".join(quote.inner_text().split())
    quote.click()
    page.wait_for_url("**/documents/**#focus")
    focus = page.locator("span.focus")
    expect(focus.first).to_be_visible()
    shown = " ".join("".join(focus.all_text_contents()).split())
    assert shown == cited
    expect(page.locator("span.focus").first).to_be_in_viewport()
    # holder and certainty are on hover
    note = page.locator("#body span.claim").first.get_attribute("title") or ""
    assert "(" in note and "%" in note  # "Holder (kind) · certainty (NN%) · tone"
    _shot(page, "3-sentence")


def test_search_from_the_keyboard(server: str, page: Page) -> None:
    page.goto(server)
    page.keyboard.press("/")
    expect(page.locator("#quick-q")).to_be_focused()
    page.keyboard.type("peace plan")
    page.keyboard.press("Enter")
    page.wait_for_url("**/search?q=peace+plan")
    expect(page.locator("#result-count")).to_contain_text("matching")
    hits = page.locator("ol.hits li")
    assert hits.count() >= 2
    expect(hits.first).to_contain_text("peace")
    _shot(page, "4-search")
