"""The guide check's HTML report: one self-contained file rendered from Jinja2 templates.

Screenshots are embedded as data URIs, each once, as a CSS class that every figure of that screen
reuses (many steps share a screen): the file can be mailed or kept as a CI artefact and still show
everything, with no network at view time and no script. The boxes are percentage-positioned over
the screenshot, so they stay on their label at any zoom. The PNGs stay beside the file too, for
the JSON and JUnit reports.
"""

from __future__ import annotations

import base64
import json
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from jinja2 import Environment, FileSystemLoader, select_autoescape

from automation.boxes import Box, png_size
from automation.files import private_folder
from automation.guide import Guide
from flows.jobs.guide_check import GuideOutcome, LabelResult, StepResult
from flows.reports.guide import OUTCOME_BY_EXIT, RunInfo, RunOutcome, as_json, exit_code, junit

TEMPLATES = Path(__file__).resolve().parent / "templates"
FILTERS = (("all", "All", None), ("drift", "Guide drift", {GuideOutcome.GUIDE_DRIFT}),
           ("toolkit", "Toolkit drift", {GuideOutcome.TOOLKIT_DRIFT}),
           ("accepted", "Accepted drift", {GuideOutcome.ACCEPTED_DRIFT}),
           ("skipped", "Skipped", {GuideOutcome.SKIPPED}))
DRIFTED = {GuideOutcome.GUIDE_DRIFT, GuideOutcome.TOOLKIT_DRIFT, GuideOutcome.ACCEPTED_DRIFT}  # listed at the top


@dataclass(frozen=True)
class Colour:
    """An outcome's colours: the edge its step's box and its pill share, the pill's fill and ink."""

    edge: str
    fill: str
    ink: str


_RED, _GREY = Colour("#d0021b", "#fbd9dc", "#8a0010"), Colour("#9aa3ad", "#eceef1", "#454c55")
# The one mapping from an outcome (a step's, or the whole run's) to its colours: the CSS gives each
# outcome's class these, and both the pills and the step boxes read them from the class.
OUTCOME_COLOURS: dict[str, Colour] = {
    GuideOutcome.MATCH: Colour("#138a36", "#d9f2e0", "#0b5d24"),
    GuideOutcome.GUIDE_DRIFT: _RED,
    RunOutcome.COULD_NOT_RUN: _RED,
    GuideOutcome.TOOLKIT_DRIFT: Colour("#e08600", "#ffe8c2", "#7a4300"),
    GuideOutcome.NOT_REACHED: Colour("#c9a400", "#fff3cd", "#6b5000"),
    GuideOutcome.ACCEPTED_DRIFT: Colour("#6b7a8c", "#e4e8ee", "#3a4654"),
    GuideOutcome.SKIPPED: _GREY,
    GuideOutcome.NOT_CHECKABLE: _GREY,
}


@dataclass(frozen=True)
class Shot:
    name: str
    css_class: str
    width: int
    height: int
    data_uri: str


@dataclass
class Figure:
    shot: Shot
    boxes: list[dict[str, Any]] = field(default_factory=list)


def _slug(outcome: str) -> str:
    return outcome.replace(" ", "-")


def _load_shots(directory: Path, results: list[StepResult]) -> dict[str, Shot]:
    names = dict.fromkeys(n for r in results for n in [r.screenshot, *(lr.screenshot for lr in r.labels)] if n)
    shots = {}
    for index, name in enumerate(names):
        path = directory / name
        if not path.is_file():
            continue  # the report written away from its screenshots: the facts without the pictures
        width, height = png_size(path)
        data = base64.b64encode(path.read_bytes()).decode("ascii")
        shots[name] = Shot(name, f"shot-{index}", width, height, f"data:image/png;base64,{data}")
    return shots


def _finding(label: LabelResult) -> str:
    if label.outcome == GuideOutcome.GUIDE_DRIFT:
        return f"nearest on screen: “{label.suggestion}”" if label.suggestion else "nothing like it on screen"
    if label.outcome == GuideOutcome.TOOLKIT_DRIFT:
        return _toolkit_finding(label)
    if label.outcome == GuideOutcome.ACCEPTED_DRIFT:
        return ("accepted by the baseline" + (f"; nearest on screen: “{label.suggestion}”" if label.suggestion
                                              else ""))
    return f"found on screen as {label.as_} “{label.text}”"


def _toolkit_finding(label: LabelResult) -> str:
    """Never "on screen" unless the label was seen there: a gone label may have no nearest either."""
    missing = f"the catalogue entry {label.catalog} finds nothing"
    if label.suggestion is not None:  # a nearest is looked for only when the label itself is gone
        return f"gone; nearest on screen: “{label.suggestion}”; {missing}"
    if label.on_screen is False:
        return f"gone; nothing like it on screen; {missing}"
    if label.on_screen is None:  # an element the guide does not name: its page object needs it
        return f"{label.page_object or 'its page object'} needs it: {missing}"
    return f"on screen, but {missing}"


def _placed(box: Box, shot: Shot, kind: str, title: str) -> dict[str, Any]:
    return {"kind": kind, "title": title, "box": box.as_json(),
            "left": 100 * box.x / shot.width, "top": 100 * box.y / shot.height,
            "width": 100 * box.width / shot.width, "height": 100 * box.height / shot.height}


def _figures(result: StepResult, shots: dict[str, Shot]) -> list[Figure]:
    figures: dict[str, Figure] = {}
    if result.screenshot in shots:
        figures[result.screenshot] = Figure(shots[result.screenshot])
    for label in result.labels:
        if label.screenshot not in shots:
            continue
        figure = figures.setdefault(label.screenshot, Figure(shots[label.screenshot]))
        if label.box is not None:  # green where found; amber when only the catalogue misses it
            kind = "toolkit" if label.outcome == GuideOutcome.TOOLKIT_DRIFT else "found"
            figure.boxes.append(_placed(label.box, figure.shot, kind, f"{label.text}: {label.outcome}"))
        if label.nearest_box is not None:
            figure.boxes.append(_placed(label.nearest_box, figure.shot, "nearest",
                                        f"guide says “{label.text}”; nearest on screen “{label.suggestion}”"))
    return list(figures.values())


def _environment() -> Environment:
    return Environment(loader=FileSystemLoader(TEMPLATES), autoescape=select_autoescape(("html", "j2")),
                       trim_blocks=True, lstrip_blocks=True)


def html_report(directory: Path, guide: Guide, locale: str, results: list[StepResult], notes: list[str],
                seconds: float, run: RunInfo | None = None) -> str:
    shots = _load_shots(directory, results)
    counts: Counter[GuideOutcome] = Counter(r.outcome for r in results)
    steps = [{"result": r, "slug": _slug(r.outcome), "figures": _figures(r, shots),
              "labels": [{"label": lr, "slug": _slug(lr.outcome), "finding": _finding(lr)} for lr in r.labels]}
             for r in results]
    filters = [{"id": key, "title": title, "count": len(results) if outcomes is None else
                sum(counts[o] for o in outcomes), "slugs": [] if outcomes is None else [_slug(o) for o in outcomes]}
               for key, title, outcomes in FILTERS]
    # At the top, every label that drifted (or was accepted as drifted), so a reader need not scroll.
    drifted = [{"step": r.step.id, "label": lr, "slug": _slug(lr.outcome), "finding": _finding(lr)}
               for r in results for lr in r.labels if lr.outcome in DRIFTED]
    outcome = OUTCOME_BY_EXIT[exit_code(results)]
    return _environment().get_template("guide_check.html.j2").render(
        guide=guide, locale=locale, run=run, seconds=seconds, outcome=outcome, outcome_slug=_slug(outcome),
        counts=sorted(counts.items()), steps=steps, notes=notes, shots=shots.values(), filters=filters,
        drifted=drifted, outcome_colours=[(_slug(o), c) for o, c in OUTCOME_COLOURS.items()])


def write_reports(directory: Path, guide: Guide, locale: str, results: list[StepResult], notes: list[str],
                  seconds: float, run: RunInfo | None = None) -> None:
    """guide-check.json, guide-check.junit.xml and guide-check.html, beside the screenshots. Here, above
    the JSON and JUnit renderers of flows.reports.guide, so that module never imports this one."""
    private_folder(directory)  # 0700 when made here, as the walk's screenshots' folder
    (directory / "guide-check.json").write_text(
        json.dumps(as_json(guide, locale, results, notes, seconds, run), indent=2, ensure_ascii=False),
        encoding="utf-8")
    (directory / "guide-check.junit.xml").write_text(junit(guide, results, seconds, run), encoding="utf-8")
    (directory / "guide-check.html").write_text(
        html_report(directory, guide, locale, results, notes, seconds, run), encoding="utf-8")
