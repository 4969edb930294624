"""The guide check's reports: terminal summary, JSON, JUnit XML (one test case per step); the HTML
report is rendered by flows/reports/guide_html.py from the same facts."""

from __future__ import annotations

import xml.etree.ElementTree as ET
from collections import Counter
from dataclasses import dataclass
from datetime import UTC, datetime
from enum import StrEnum
from importlib.metadata import PackageNotFoundError, version
from typing import Any

from automation.boxes import Box
from automation.errors import ExitCode
from automation.guide import Guide
from flows.jobs.guide_check import GuideOutcome, LabelResult, StepResult
from flows.reports.table import table


def exit_code(results: list[StepResult]) -> ExitCode:
    """Toolkit drift wins over guide drift: the toolkit must be fixed before its findings can be
    trusted, and the flows fail the same way; then guide drift; then a screen not reached."""
    outcomes = {r.outcome for r in results}
    if GuideOutcome.TOOLKIT_DRIFT in outcomes:
        return ExitCode.TOOLKIT_DRIFT
    if GuideOutcome.GUIDE_DRIFT in outcomes:
        return ExitCode.GUIDE_DRIFT
    if GuideOutcome.NOT_REACHED in outcomes:
        return ExitCode.GUIDE_CHECK_COULD_NOT_RUN
    return ExitCode.OK


@dataclass(frozen=True)
class RunInfo:
    """What the reports' header says about the run. The account is stored masked, never in clear."""

    started_at: datetime
    base_url: str
    account: str  # masked e-mail
    tool_version: str

    @classmethod
    def of(cls, base_url: str, email: str, started_at: datetime | None = None) -> RunInfo:
        return cls(started_at or datetime.now(UTC), base_url, mask_email(email), tool_version())


def mask_email(email: str) -> str:
    """anna.admin@vaxtexport.se -> a***@vaxtexport.se: enough to tell a team's accounts apart."""
    local, _, domain = email.partition("@")
    return f"{local[:1]}***@{domain}" if domain else "***"


def tool_version() -> str:
    try:
        return version("tracesctl")
    except PackageNotFoundError:  # run from a source checkout that was never installed
        return "unknown"


class RunOutcome(StrEnum):
    """A whole check's outcome, by its exit code (a step's is a GuideOutcome)."""

    MATCH = "match"
    GUIDE_DRIFT = "guide drift"
    TOOLKIT_DRIFT = "toolkit drift"
    COULD_NOT_RUN = "could not run"


OUTCOME_BY_EXIT = {ExitCode.OK: RunOutcome.MATCH, ExitCode.GUIDE_DRIFT: RunOutcome.GUIDE_DRIFT,
                   ExitCode.TOOLKIT_DRIFT: RunOutcome.TOOLKIT_DRIFT,
                   ExitCode.GUIDE_CHECK_COULD_NOT_RUN: RunOutcome.COULD_NOT_RUN}
# How JUnit counts a step: a failure, an error, or skipped (what is left passed).
FAILING = {GuideOutcome.GUIDE_DRIFT, GuideOutcome.TOOLKIT_DRIFT}
SKIPPING = {GuideOutcome.SKIPPED, GuideOutcome.NOT_CHECKABLE, GuideOutcome.ACCEPTED_DRIFT}


def _box(box: Box | None) -> dict[str, float] | None:
    return box.as_json() if box else None


def as_json(guide: Guide, locale: str, results: list[StepResult], notes: list[str], seconds: float,
            run: RunInfo | None = None) -> dict[str, Any]:
    header = {"started_at": run.started_at.isoformat(), "base_url": run.base_url, "account": run.account,
              "tool_version": run.tool_version} if run else {}
    return {
        "guide": guide.title, "edition": guide.edition, "locale": locale, "seconds": round(seconds, 1),
        **header, "outcome": OUTCOME_BY_EXIT[exit_code(results)],
        "summary": dict(Counter(r.outcome for r in results)),
        "notes": notes,
        "steps": [
            {"id": r.step.id, "page": r.step.page, "kind": r.step.kind, "text": r.step.text, "outcome": r.outcome,
             "reason": r.reason, "screenshot": r.screenshot,
             "screenshot_size": list(r.screenshot_size) if r.screenshot_size else None, "notes": r.notes,
             "labels": [{"text": lr.text, "as": lr.as_, "outcome": lr.outcome, "suggestion": lr.suggestion,
                         "catalog": lr.catalog, "page_object": lr.page_object, "variant": lr.variant,
                         "screenshot": lr.screenshot, "box": _box(lr.box), "nearest_box": _box(lr.nearest_box),
                         "on_screen": lr.on_screen}
                        for lr in r.labels]}
            for r in results
        ],
    }


def _seen(label: LabelResult) -> str:
    """Where a toolkit drift's label is: "on screen" only when it was seen there (a label that is
    gone may have nothing like it on screen, so no nearest either)."""
    if label.suggestion is not None:
        return f" is gone (nearest: {label.suggestion!r})"
    if label.on_screen is False:
        return " is gone (nothing like it on screen)"
    return " is on screen" if label.on_screen else ""  # None: an element the guide does not name


def _finding(result: StepResult) -> str:
    parts = []
    for label in result.labels:
        if label.outcome == GuideOutcome.GUIDE_DRIFT:
            parts.append(f"guide says {label.text!r} ({label.as_}); the screen shows "
                         + (f"{label.suggestion!r}" if label.suggestion else "nothing like it"))
        elif label.outcome == GuideOutcome.TOOLKIT_DRIFT:
            parts.append(f"{label.text!r}{_seen(label)}; {label.page_object} cannot find it "
                         f"(catalogue entry {label.catalog})")
        elif label.outcome == GuideOutcome.ACCEPTED_DRIFT:
            parts.append(f"{label.text!r}: accepted by the baseline"
                         + (f" (the screen shows {label.suggestion!r})" if label.suggestion else ""))
    return "; ".join(parts) or result.reason


def summary(results: list[StepResult], verbose: bool = False) -> str:
    """The counts, and a row per step that did not match; "not checkable" rows (the e-mail, the
    phone: screens a walk never sees) only when verbose."""
    counts = Counter(r.outcome for r in results)
    hidden = {GuideOutcome.MATCH} if verbose else {GuideOutcome.MATCH, GuideOutcome.NOT_CHECKABLE}
    rows = [(r.step.id, str(r.step.page or ""), r.outcome, _finding(r)) for r in results if r.outcome not in hidden]
    head = ", ".join(f"{n} {o}" for o, n in sorted(counts.items()))
    return f"{len(results)} steps: {head}\n" + (table(("step", "page", "outcome", "finding"), rows) if rows else "")


def _box_text(box: Box | None) -> str:
    return "" if box is None else ",".join(f"{v:g}" for v in box.as_json().values())


def junit(guide: Guide, results: list[StepResult], seconds: float, run: RunInfo | None = None) -> str:
    """One test case per step. Labels, boxes ("x,y,width,height" in screenshot pixels) and the
    screenshot go in each case's properties; the screenshot also as an [[ATTACHMENT|file]] line,
    which Jenkins and GitLab show beside a failed case."""
    suite = ET.Element("testsuite", name=f"guide {guide.edition}", tests=str(len(results)),
                       failures=str(sum(r.outcome in FAILING for r in results)),
                       errors=str(sum(r.outcome == GuideOutcome.NOT_REACHED for r in results)),
                       skipped=str(sum(r.outcome in SKIPPING for r in results)),
                       time=f"{seconds:.1f}")
    if run is not None:
        suite.set("timestamp", run.started_at.isoformat(timespec="seconds"))
        suite_properties = ET.SubElement(suite, "properties")
        for name, value in (("base_url", run.base_url), ("account", run.account), ("edition", guide.edition),
                            ("tool_version", run.tool_version)):
            ET.SubElement(suite_properties, "property", name=name, value=value)
    for result in results:
        case = ET.SubElement(suite, "testcase", classname=f"guide.{result.step.section}",
                             name=f"{result.step.id} (p. {result.step.page}) {result.step.text}")
        facts: list[tuple[str, str]] = []
        if result.screenshot:
            facts.append(("screenshot", result.screenshot))
        if result.screenshot_size:
            facts.append(("screenshot_size", "x".join(map(str, result.screenshot_size))))
        for number, label in enumerate(result.labels, start=1):
            facts += [(f"label.{number}.text", label.text), (f"label.{number}.outcome", label.outcome)]
            facts += [(f"label.{number}.{name}", value) for name, value in (
                ("suggestion", label.suggestion or ""), ("screenshot", label.screenshot or ""),
                ("box", _box_text(label.box)), ("nearest_box", _box_text(label.nearest_box))) if value]
        if facts:
            properties = ET.SubElement(case, "properties")
            for name, value in facts:
                ET.SubElement(properties, "property", name=name, value=value)
        if result.outcome in FAILING:
            ET.SubElement(case, "failure", type=result.outcome, message=_finding(result))
        elif result.outcome == GuideOutcome.NOT_REACHED:
            ET.SubElement(case, "error", type=result.outcome, message=result.reason)
        elif result.outcome in SKIPPING:
            ET.SubElement(case, "skipped", message=f"{result.outcome}: {result.reason}")
        if result.screenshot:
            ET.SubElement(case, "system-out").text = f"[[ATTACHMENT|{result.screenshot}]]"
    return ET.tostring(suite, encoding="unicode", xml_declaration=True)
