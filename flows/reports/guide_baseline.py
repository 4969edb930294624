"""A guide check's accepted drifts (`guide-check --baseline FILE`, written by `--update-baseline`).

A scheduled check must fail on a new drift, not every night on one the team already knows about
and has accepted (a new edition of the guide is on its way). The baseline names each accepted
drift exactly: the step, the guide's label, the kind of drift and what the screen showed instead.
A drift that changes (the screen now shows something else) is a new one, and fails again."""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

from automation.errors import ConfigError
from automation.files import read_input_text
from flows.jobs.guide_check import GuideOutcome, StepResult

BASELINE_FORMAT = "tracesctl guide-check baseline 1"
DRIFTS = (GuideOutcome.GUIDE_DRIFT, GuideOutcome.TOOLKIT_DRIFT)


@dataclass(frozen=True)
class AcceptedDrift:
    step: str
    label: str
    outcome: GuideOutcome  # guide drift | toolkit drift
    shown: str | None  # what the screen showed instead (the nearest label), None for nothing like it

    def as_json(self) -> dict[str, str | None]:
        return {"step": self.step, "label": self.label, "outcome": self.outcome, "shown": self.shown}


def drifts_of(results: list[StepResult]) -> list[AcceptedDrift]:
    return [AcceptedDrift(r.step.id, label.text, label.outcome, label.suggestion)
            for r in results for label in r.labels if label.outcome in DRIFTS]


def write_baseline(path: Path, edition: str, results: list[StepResult]) -> int:
    """The run's drifts, as the accepted ones; returns how many."""
    drifts = drifts_of(results)
    document = {"format": BASELINE_FORMAT, "edition": edition, "written_at": datetime.now(UTC).isoformat(),
                "accepted": [d.as_json() for d in drifts]}
    path.write_text(json.dumps(document, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")
    return len(drifts)


def load_baseline(path: Path) -> set[AcceptedDrift]:
    text = read_input_text(path, "baseline file", ConfigError)
    try:
        document = json.loads(text)
        if document.get("format") != BASELINE_FORMAT:
            raise ValueError(f"not a {BASELINE_FORMAT!r} file")
        return {AcceptedDrift(str(d["step"]), str(d["label"]), GuideOutcome(d["outcome"]),
                              None if d["shown"] is None else str(d["shown"])) for d in document["accepted"]}
    except (ValueError, KeyError, TypeError, AttributeError) as error:
        raise ConfigError(f"baseline file {path} cannot be read ({error}); write one with --update-baseline") from None


def apply_baseline(results: list[StepResult], accepted: set[AcceptedDrift]) -> int:
    """Mark the drifts the baseline accepts; a step whose every drift is accepted becomes "accepted
    drift" (reported, not failing). Returns how many drifts were accepted."""
    count = 0
    for result in results:
        drifted = [label for label in result.labels if label.outcome in DRIFTS]
        if not drifted:
            continue
        for label in drifted:
            if AcceptedDrift(result.step.id, label.text, label.outcome, label.suggestion) in accepted:
                label.outcome = GuideOutcome.ACCEPTED_DRIFT
                count += 1
        if not any(label.outcome in DRIFTS for label in result.labels):
            result.outcome = GuideOutcome.ACCEPTED_DRIFT
    return count
