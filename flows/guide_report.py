"""The guide check's reports: terminal summary, JSON, JUnit XML (one test case per step), HTML."""

from __future__ import annotations

import html
import json
import xml.etree.ElementTree as ET
from collections import Counter
from pathlib import Path
from typing import Any

from automation.errors import ExitCode
from automation.guide import Guide
from flows.guide_check import Outcome, StepResult
from flows.report import table


def exit_code(results: list[StepResult]) -> ExitCode:
    """Toolkit drift wins over guide drift: the toolkit must be fixed before its findings can be
    trusted, and the flows fail the same way; then guide drift; then a screen not reached."""
    outcomes = {r.outcome for r in results}
    if Outcome.TOOLKIT_DRIFT in outcomes:
        return ExitCode.TOOLKIT_DRIFT
    if Outcome.GUIDE_DRIFT in outcomes:
        return ExitCode.GUIDE_DRIFT
    if Outcome.NOT_REACHED in outcomes:
        return ExitCode.GUIDE_CHECK_COULD_NOT_RUN
    return ExitCode.OK


def as_json(guide: Guide, locale: str, results: list[StepResult], notes: list[str], seconds: float) -> dict[str, Any]:
    return {
        "guide": guide.title, "edition": guide.edition, "locale": locale, "seconds": round(seconds, 1),
        "summary": dict(Counter(r.outcome for r in results)),
        "notes": notes,
        "steps": [
            {"id": r.step.id, "page": r.step.page, "kind": r.step.kind, "text": r.step.text, "outcome": r.outcome,
             "reason": r.reason, "screenshot": r.screenshot, "notes": r.notes,
             "labels": [{"text": lr.text, "as": lr.as_, "outcome": lr.outcome, "suggestion": lr.suggestion,
                         "catalog": lr.catalog, "page_object": lr.page_object, "variant": lr.variant}
                        for lr in r.labels]}
            for r in results
        ],
    }


def _finding(result: StepResult) -> str:
    parts = []
    for label in result.labels:
        if label.outcome == "guide drift":
            parts.append(f"guide says {label.text!r} ({label.as_}); the screen shows "
                         + (f"{label.suggestion!r}" if label.suggestion else "nothing like it"))
        elif label.outcome == "toolkit drift":
            seen = "is on screen" if label.suggestion is None else f"is gone (nearest: {label.suggestion!r})"
            parts.append(f"{label.text!r} {seen}; {label.page_object} cannot find it (catalogue entry {label.catalog})")
    return "; ".join(parts) or result.reason


def summary(results: list[StepResult]) -> str:
    counts = Counter(r.outcome for r in results)
    rows = [(r.step.id, str(r.step.page or ""), r.outcome, _finding(r)) for r in results if r.outcome != "match"]
    head = ", ".join(f"{n} {o}" for o, n in sorted(counts.items()))
    return f"{len(results)} steps: {head}\n" + (table(("step", "page", "outcome", "finding"), rows) if rows else "")


def junit(guide: Guide, results: list[StepResult], seconds: float) -> str:
    suite = ET.Element("testsuite", name=f"guide {guide.edition}", tests=str(len(results)),
                       failures=str(sum(r.outcome in {"guide drift", "toolkit drift"} for r in results)),
                       errors=str(sum(r.outcome == "not reached" for r in results)),
                       skipped=str(sum(r.outcome in {"skipped", "not checkable"} for r in results)),
                       time=f"{seconds:.1f}")
    for result in results:
        case = ET.SubElement(suite, "testcase", classname=f"guide.{result.step.section}",
                             name=f"{result.step.id} (p. {result.step.page}) {result.step.text}")
        if result.outcome in {"guide drift", "toolkit drift"}:
            ET.SubElement(case, "failure", type=result.outcome, message=_finding(result))
        elif result.outcome == "not reached":
            ET.SubElement(case, "error", type="not reached", message=result.reason)
        elif result.outcome in {"skipped", "not checkable"}:
            ET.SubElement(case, "skipped", message=f"{result.outcome}: {result.reason}")
    return ET.tostring(suite, encoding="unicode", xml_declaration=True)


def html_report(guide: Guide, locale: str, results: list[StepResult], notes: list[str]) -> str:
    colour = {"match": "#d4edda", "guide drift": "#f8d7da", "toolkit drift": "#f5c6cb", "not reached": "#fff3cd",
              "skipped": "#e2e3e5", "not checkable": "#f8f9fa"}
    rows = []
    for r in results:
        labels = "".join(
            f"<li class='{html.escape(lr.outcome.replace(' ', '-'))}'>{html.escape(lr.as_)} "
            f"<q>{html.escape(lr.text)}</q>: <strong>{html.escape(lr.outcome)}</strong>"
            + (f" &rarr; on screen: <q>{html.escape(lr.suggestion)}</q>" if lr.suggestion else "") + "</li>"
            for lr in r.labels)
        shot = (f"<a href='{html.escape(r.screenshot)}'><img src='{html.escape(r.screenshot)}' width='320' "
                f"alt='screen of step {r.step.id}'></a>") if r.screenshot else ""
        rows.append(f"<tr style='background:{colour.get(r.outcome, '#fff')}'><td>{r.step.id}</td>"
                    f"<td>{r.step.page or ''}</td><td>{html.escape(r.step.text)}<ul>{labels}</ul>"
                    f"<small>{html.escape(r.reason)}</small></td><td><strong>{html.escape(r.outcome)}</strong></td>"
                    f"<td>{shot}</td></tr>")
    note_list = "".join(f"<li>{html.escape(n)}</li>" for n in notes)
    return (f"<!doctype html><html lang='en'><meta charset='utf-8'><title>Guide check {guide.edition}</title>"
            "<style>body{font-family:sans-serif}td{vertical-align:top;padding:4px}"
            ".guide-drift,.toolkit-drift{color:#a00}</style>"
            f"<h1>Guide check: {html.escape(guide.title)} ({guide.edition}), locale {locale}</h1>"
            f"<pre>{html.escape(summary(results))}</pre><ul>{note_list}</ul>"
            "<table><tr><th>step</th><th>guide page</th><th>step and labels</th><th>outcome</th><th>screen</th></tr>"
            + "".join(rows) + "</table></html>")


def write_reports(directory: Path, guide: Guide, locale: str, results: list[StepResult], notes: list[str],
                  seconds: float) -> None:
    directory.mkdir(parents=True, exist_ok=True)
    (directory / "guide-check.json").write_text(
        json.dumps(as_json(guide, locale, results, notes, seconds), indent=2, ensure_ascii=False), encoding="utf-8")
    (directory / "guide-check.junit.xml").write_text(junit(guide, results, seconds), encoding="utf-8")
    (directory / "guide-check.html").write_text(html_report(guide, locale, results, notes), encoding="utf-8")
