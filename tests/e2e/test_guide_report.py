"""The guide check's HTML report: one self-contained file that parses, a section per step, the
checked labels boxed on their screenshots (red at the nearest candidate of a drifted label), the
same facts in JSON and JUnit, and a page that really shows something when Chromium opens it."""

from __future__ import annotations

import io
import json
import xml.etree.ElementTree as ET
from collections.abc import Iterator
from html.parser import HTMLParser
from pathlib import Path
from typing import Any

import pytest
from playwright.sync_api import Browser

from automation.config import Settings
from automation.factors import build_factor
from automation.guide import default_guide, load_guide
from automation.portal_client import PortalClient
from automation.stub.server import StubServer
from flows.jobs.guide_check import walk_guide
from flows.reports.guide import RunInfo
from flows.reports.guide_html import write_reports
from tests.helpers import SEEDED, password_env, traces_account

pytestmark = pytest.mark.e2e

ADMIN = "anna.admin@vaxtexport.se"
GUIDE = load_guide(default_guide())
# (portal label key, new label, step, the guide's text): the same drifts as test_guide_check.py
DRIFTS = [("op.authorities", "Utsedda behöriga myndigheter", "C14", "Angivna ansvariga myndigheter"),
          ("user.save", "Spara", "E4", "Spara ändringar")]


class ReportParser(HTMLParser):
    """The sections, figures and boxes of the report, as the browser's parser would see them."""

    def __init__(self) -> None:
        super().__init__()
        self.sections: list[dict[str, Any]] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        found = dict(attrs)
        if tag == "section" and "data-step" in found:
            self.sections.append({"id": found["data-step"], "outcome": found["data-outcome"], "figures": []})
        elif tag == "figure" and self.sections:
            self.sections[-1]["figures"].append({"width": float(found["data-width"] or 0),
                                                 "height": float(found["data-height"] or 0), "boxes": []})
        elif tag == "div" and "data-kind" in found and self.sections and self.sections[-1]["figures"]:
            self.sections[-1]["figures"][-1]["boxes"].append(
                {k: (found[k] if k == "data-kind" else float(found[k] or 0))
                 for k in ("data-kind", "data-x", "data-y", "data-width", "data-height")})


@pytest.fixture(scope="module")
def drifted_report(browser: Browser, browser_context_args: dict[str, Any], offline_portal: StubServer,
                   tmp_path_factory: pytest.TempPathFactory) -> Iterator[Path]:
    """A guide check of the offline portal (the guide's screens) with two labels renamed, reports
    written to a folder. Written once for the module: each test below reads other facts of the same
    files (the portal is reset before the check and after it, as the `portal` fixture does)."""
    folder = tmp_path_factory.mktemp("drifted-report")
    portal = PortalClient(offline_portal.base_url)
    portal.reset()
    portal.call("variants", {"preset": "older"})
    for key, label, _, _ in DRIFTS:
        portal.drift("sv", key, label)
    # What the `settings` and `environ` fixtures would give a test (tracesctl_settings, seeded passwords).
    settings = Settings(base_url=offline_portal.base_url, home=folder / "home", artifacts_dir=folder / "artifacts",
                        timeout_ms=10_000)
    account = traces_account(ADMIN, "sv", folder)
    context = browser.new_context(**browser_context_args)
    try:
        run = RunInfo.of(settings.base_url, account.email)
        results, notes, seconds = walk_guide(context.new_page(), settings, account,
                                             account.password({password_env(ADMIN): SEEDED[ADMIN]}),
                                             build_factor(account, {}), GUIDE, "sv", folder / "report")
        write_reports(folder / "report", GUIDE, "sv", results, notes, seconds, run)
    finally:
        context.close()
        portal.reset()
    yield folder / "report"


def test_the_report_has_a_section_per_step_with_boxes_inside_their_screenshots_and_red_at_drift(
    drifted_report: Path,
) -> None:
    parser = ReportParser()
    parser.feed((drifted_report / "guide-check.html").read_text(encoding="utf-8"))
    parser.close()
    sections = {s["id"]: s for s in parser.sections}
    assert [s["id"] for s in parser.sections] == [s.id for s in GUIDE.steps]
    boxes = [(b, f) for s in parser.sections for f in s["figures"] for b in f["boxes"]]
    assert len(boxes) > 10
    for box, figure in boxes:
        assert box["data-x"] >= 0 and box["data-x"] + box["data-width"] <= figure["width"]
        assert box["data-y"] >= 0 and box["data-y"] + box["data-height"] <= figure["height"]
        assert box["data-width"] > 0 and box["data-height"] > 0
    for _, _, step, _ in DRIFTS:
        assert sections[step]["outcome"] == "guide drift"
        assert "nearest" in {b["data-kind"] for f in sections[step]["figures"] for b in f["boxes"]}
    red = {s["id"] for s in parser.sections for f in s["figures"] for b in f["boxes"] if b["data-kind"] == "nearest"}
    assert red == {step for _, _, step, _ in DRIFTS}


def test_the_report_names_the_run_and_masks_the_account(drifted_report: Path, settings: Settings) -> None:
    html = (drifted_report / "guide-check.html").read_text(encoding="utf-8")
    assert ADMIN not in html and "a***@vaxtexport.se" in html
    assert settings.base_url in html and GUIDE.edition in html and "guide drift" in html
    assert "http://" not in html.replace(settings.base_url, "")  # nothing fetched at view time
    assert "<script" not in html


def test_json_and_junit_carry_the_boxes(drifted_report: Path) -> None:
    report = json.loads((drifted_report / "guide-check.json").read_text(encoding="utf-8"))
    assert report["account"] == "a***@vaxtexport.se" and report["outcome"] == "guide drift"
    c14 = next(s for s in report["steps"] if s["id"] == "C14")
    label = next(lr for lr in c14["labels"] if lr["text"] == "Angivna ansvariga myndigheter")
    assert label["box"] is None and label["nearest_box"]["width"] > 0
    width, height = c14["screenshot_size"]
    assert label["nearest_box"]["x"] + label["nearest_box"]["width"] <= width
    assert label["nearest_box"]["y"] + label["nearest_box"]["height"] <= height
    suite = ET.parse(drifted_report / "guide-check.junit.xml").getroot()
    case = next(c for c in suite.findall("testcase") if c.get("name", "").startswith("C14 "))
    properties = {p.get("name"): p.get("value") for p in case.iter("property")}
    assert properties["screenshot"] == "traces.authority_search.png"
    drifted = next(n for n, v in properties.items() if n and n.endswith(".nearest_box") and v)
    assert len((properties[drifted] or "").split(",")) == 4


def test_chromium_shows_the_report_with_its_screenshots(drifted_report: Path, browser: Browser) -> None:
    """Opened from disk with the network cut off, the page is not blank: many colours, the
    screenshots' among them."""
    from PIL import Image

    context = browser.new_context(viewport={"width": 1280, "height": 900}, offline=True)
    try:
        page = context.new_page()
        page.goto((drifted_report / "guide-check.html").as_uri())
        page.locator("#step-C6 figure").first.scroll_into_view_if_needed()
        picture = Image.open(io.BytesIO(page.screenshot())).convert("RGB")
    finally:
        context.close()
    colours = picture.getcolors(maxcolors=1 << 20) or []
    assert len(colours) > 50
    assert max(n for n, _ in colours) < 0.95 * picture.width * picture.height
