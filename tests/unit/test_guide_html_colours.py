"""Issue 22: the guide check's HTML report colours each step's box as its outcome pill (one mapping,
OUTCOME_COLOURS, read through each outcome's CSS class), opens with a "What drifted" table, and
never says a toolkit drift's label is on screen when it is gone; the terminal report lists "not
checkable" steps only when verbose."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from html.parser import HTMLParser
from pathlib import Path

import pytest

from automation.guide import default_guide, load_guide
from flows.jobs.guide_check import GuideOutcome, LabelResult, StepResult
from flows.reports.guide import RunOutcome, as_json, summary
from flows.reports.guide_html import OUTCOME_COLOURS, html_report

GUIDE = load_guide(default_guide())
CHECKABLE = [s for s in GUIDE.steps if s.checkable]
NOT_CHECKABLE = next(s for s in GUIDE.steps if not s.checkable)
DRIFTS = (GuideOutcome.GUIDE_DRIFT, GuideOutcome.TOOLKIT_DRIFT, GuideOutcome.ACCEPTED_DRIFT)


def label(outcome: GuideOutcome, **facts: object) -> LabelResult:
    return LabelResult("Spara ändringar", "button", outcome, catalog="traces.user.save", page_object="UserPage",
                       **facts)  # type: ignore[arg-type]


def one_of_each() -> list[StepResult]:
    """A step per outcome; a drifted step carries its drifted label."""
    results = []
    for step, outcome in zip(CHECKABLE, [o for o in GuideOutcome if o != GuideOutcome.NOT_CHECKABLE], strict=False):
        labels = [label(outcome, suggestion="Spara")] if outcome in DRIFTS else []
        results.append(StepResult(step, outcome, labels=labels))
    return [*results, StepResult(NOT_CHECKABLE, GuideOutcome.NOT_CHECKABLE, "happens on the phone")]


VOID = {"meta", "input", "br", "img", "link", "hr"}  # no end tag: never on the stack


@dataclass
class Element:
    tag: str
    classes: set[str]
    attrs: dict[str, str]
    text: str = ""


@dataclass
class Report(HTMLParser):
    """The parts of the report these tests read: the styles, each step's box and pill, the
    "What drifted" rows, and any text outside the elements (CSS leaked out of its <style>)."""

    styles: list[str] = field(default_factory=list)
    steps: list[tuple[Element, Element]] = field(default_factory=list)
    drifted_rows: list[list[str]] = field(default_factory=list)
    stray_text: list[str] = field(default_factory=list)
    _stack: list[str] = field(default_factory=list)
    _section: Element | None = None
    _in_drifted: bool = False
    _cells: list[str] | None = None

    def __post_init__(self) -> None:
        super().__init__()

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        found = {k: v or "" for k, v in attrs}
        element = Element(tag, set(found.get("class", "").split()), found)
        if tag not in VOID:
            self._stack.append(tag)
        if tag == "section" and "step" in element.classes:
            self._section = element
        elif tag == "span" and "badge" in element.classes and self._section is not None and "h2" in self._stack:
            self.steps.append((self._section, element))
            self._section = None  # the first pill of the step, in its heading
        elif tag == "table" and "drifted" in element.classes:
            self._in_drifted = True
        elif tag == "tr" and self._in_drifted:
            self._cells = []
        elif tag == "td" and self._cells is not None:
            self._cells.append("")

    def handle_endtag(self, tag: str) -> None:
        if self._stack and self._stack[-1] == tag:
            self._stack.pop()
        if tag == "table":
            self._in_drifted = False
        elif tag == "tr" and self._cells:
            self.drifted_rows.append(self._cells)
            self._cells = None

    def handle_data(self, data: str) -> None:
        if self._stack and self._stack[-1] == "style":
            self.styles.append(data)
        elif self._cells:
            self._cells[-1] += data
        elif self._stack and self._stack[-1] in ("html", "head") and data.strip():
            self.stray_text.append(data.strip())


def parse(html: str) -> Report:
    report = Report()
    report.feed(html)
    return report


RULE = re.compile(r"([^{}]+)\{([^{}]*)\}")
COMPOUND = re.compile(r"^[a-z]*(\.[\w-]+)*$")
VAR = re.compile(r"^var\((--[\w-]+)(?:,\s*(.+))?\)$")


def computed(styles: list[str], element: Element, prop: str) -> str | None:
    """`prop` of `element` as the cascade gives it, for rules of one compound selector (tag and
    classes, or :root): enough for the report's own CSS, whose colours this reads."""
    css = re.sub(r"/\*.*?\*/", "", "\n".join(styles), flags=re.S)
    css = re.sub(r"@media[^{]*\{(?:[^{}]*\{[^{}]*\})*[^{}]*\}", "", css)  # print rules do not apply on screen
    matched: list[tuple[int, int, dict[str, str]]] = []
    for index, (selectors, body) in enumerate(RULE.findall(css)):
        declarations = dict((k.strip(), v.strip()) for k, _, v in (d.partition(":") for d in body.split(";")) if v)
        for selector in (s.strip() for s in selectors.split(",")):
            tag, *classes = selector.split(".")
            if selector == ":root" or (COMPOUND.match(selector) and tag in ("", element.tag)
                                       and set(classes) <= element.classes):
                matched.append((len(classes), index, declarations))
    values: dict[str, str] = {}
    for _, _, declarations in sorted(matched, key=lambda m: (m[0], m[1])):
        values.update(declarations)

    def resolve(value: str | None) -> str | None:
        var = VAR.match(value or "")
        if var is None:
            return value
        return resolve(values.get(var.group(1), var.group(2)))

    return resolve(values.get(prop))


@pytest.fixture
def report(tmp_path: Path) -> Report:
    return parse(html_report(tmp_path, GUIDE, "sv", one_of_each(), [], 1.0))


def test_every_outcome_has_its_colours_in_the_one_mapping() -> None:
    assert set(OUTCOME_COLOURS) == {str(o) for o in GuideOutcome} | {str(o) for o in RunOutcome}
    telling_apart = [GuideOutcome.MATCH, GuideOutcome.GUIDE_DRIFT, GuideOutcome.TOOLKIT_DRIFT,
                     GuideOutcome.NOT_REACHED, GuideOutcome.ACCEPTED_DRIFT, GuideOutcome.SKIPPED]
    assert len({OUTCOME_COLOURS[o].edge for o in telling_apart}) == len(telling_apart)


def test_each_steps_box_has_its_pills_class_and_colour(report: Report) -> None:
    """Box and pill carry the same outcome class, and the box's edge is the pill's colour, the
    mapping's for that outcome, for every outcome."""
    assert len(report.steps) == len(GuideOutcome)
    for box, pill in report.steps:
        outcome = box.attrs["data-outcome"]
        assert f"outcome-{outcome.replace(' ', '-')}" in box.classes & pill.classes, (box, pill)
        edge = OUTCOME_COLOURS[outcome].edge
        assert computed(report.styles, box, "border-left-color") == edge, outcome
        assert computed(report.styles, pill, "border-color") == edge, outcome
        assert computed(report.styles, pill, "background") == OUTCOME_COLOURS[outcome].fill, outcome


def test_what_drifted_lists_the_drifted_steps_at_the_top(report: Report) -> None:
    drifted = [r.step.id for r in one_of_each() if r.outcome in DRIFTS]
    assert [row[0] for row in report.drifted_rows] == drifted
    assert [row[2] for row in report.drifted_rows] == [str(o) for o in DRIFTS]
    assert not [t for t in report.stray_text if "{" in t], "CSS outside the <style> element shows as text"


@pytest.mark.parametrize(("facts", "expected"), [
    ({"suggestion": "Spara", "on_screen": False}, "gone; nearest on screen: “Spara”"),
    ({"on_screen": False}, "gone; nothing like it on screen"),
    ({"on_screen": True}, "on screen, but the catalogue entry traces.user.save finds nothing"),
])
def test_a_toolkit_drifts_label_is_on_screen_only_when_it_was_seen(
    tmp_path: Path, facts: dict[str, object], expected: str
) -> None:
    drifted = label(GuideOutcome.TOOLKIT_DRIFT, **facts)
    results = [StepResult(CHECKABLE[0], GuideOutcome.TOOLKIT_DRIFT, labels=[drifted])]
    html = html_report(tmp_path, GUIDE, "sv", results, [], 1.0)
    assert [row[3] for row in parse(html).drifted_rows] == [html_finding(expected, html)]
    assert as_json(GUIDE, "sv", results, [], 1.0)["steps"][0]["labels"][0]["on_screen"] is facts["on_screen"]
    terminal = summary(results)
    assert ("is on screen" in terminal) is (facts["on_screen"] is True), terminal
    assert ("is gone" in terminal) is (facts["on_screen"] is False), terminal


def html_finding(expected: str, html: str) -> str:
    """The whole finding cell that starts with `expected` (its tail names the catalogue entry)."""
    found = re.search(re.escape(expected) + r"[^<]*", html)
    assert found is not None, f"{expected!r} not in the report"
    return found.group(0)


def test_the_terminal_lists_not_checkable_steps_only_when_verbose() -> None:
    results = one_of_each()
    assert NOT_CHECKABLE.id not in [line.split()[0] for line in summary(results).splitlines()[1:]]
    assert NOT_CHECKABLE.id in [line.split()[0] for line in summary(results, verbose=True).splitlines()[1:]]
