"""Guides as data: the 2025-03-18 guide, the importer, the differ."""

from __future__ import annotations

import re
from dataclasses import replace
from pathlib import Path

import pytest

from automation.guide import (
    Guide,
    GuideFileError,
    default_guide,
    diff_guides,
    draft_guide,
    extract_text,
    load_guide,
    write_draft,
)

# A copy of shared/seed's extracted text, so the test runs wherever the project is checked out.
SEED = Path(__file__).resolve().parents[1] / "data" / "jordbruksverket-traces-eu-login-2025-03-18.txt"
WALKTHROUGH_STEPS = [f"A{i}" for i in range(1, 4)] + [f"B{i}" for i in range(1, 7)] + \
    [f"C{i}" for i in range(1, 16)] + ["D1", "D2"] + [f"E{i}" for i in range(1, 5)] + ["F1", "G1", "G2"] + \
    [f"H{i}" for i in range(1, 5)] + [f"I{i}" for i in range(1, 5)]


def test_the_guide_has_every_step_of_the_walkthrough_with_a_page() -> None:
    guide = load_guide(default_guide())
    assert [s.id for s in guide.steps] == WALKTHROUGH_STEPS
    assert guide.reviewed and all(s.page for s in guide.steps)
    assert {s.kind for s in guide.steps} == {"check", "role", "admin", "phone", "email", "info"}


def test_every_catalogue_reference_exists() -> None:
    from automation.catalog import Catalog

    catalog = Catalog("sv")
    for step in load_guide(default_guide()).steps:
        for label in step.labels:
            if label.catalog:
                catalog.entry(label.catalog)


def test_import_drafts_steps_labels_and_pages_from_the_seed_text() -> None:
    draft = draft_guide(extract_text(SEED), SEED.name)
    assert "reviewed = false" in draft
    assert 'text = "Få tillgång till TRACES"' in draft
    for label in ("Sök pågående ansökningar", "Begär tillstånd", "Mitt konto", "Hälsoinförselhandling för växter"
                  " och växtskydd"):
        assert f'{{ text = "{label}", as = "text" }}' in draft
    assert re.search(r'page = 11\ntext = "Att godkänna fler användare"', draft)


def test_the_importer_never_overwrites_a_reviewed_guide(tmp_path: Path) -> None:
    target = tmp_path / "guide.toml"
    target.write_text("reviewed = true\n")
    with pytest.raises(GuideFileError, match="never overwrites"):
        write_draft(target, "reviewed = false\n", force=True)
    draft = tmp_path / "draft.toml"
    draft.write_text("reviewed = false\n")
    with pytest.raises(GuideFileError, match="--force"):
        write_draft(draft, "x = 1\n", force=False)
    write_draft(draft, "x = 1\n", force=True)
    assert draft.read_text() == "x = 1\n"


def test_diff_names_added_removed_and_reworded_steps_and_labels() -> None:
    old = load_guide(default_guide())
    steps = list(old.steps)
    c6 = next(i for i, s in enumerate(steps) if s.id == "C6")
    steps[c6] = replace(steps[c6], labels=(replace(steps[c6].labels[0], text="Begär behörighet"),))
    steps = [s for s in steps if s.id != "D2"]
    steps.append(replace(steps[0], id="J1", text="A new section"))
    new = Guide(old.title, "2026-01-01", old.locale, False, tuple(steps))
    lines = diff_guides(old, new)
    assert "~ step C6 label reworded: 'Begär tillstånd' -> 'Begär behörighet'" in lines
    assert any(line.startswith("- step D2 removed") for line in lines)
    assert any(line.startswith("+ step J1 added") for line in lines)
    assert diff_guides(old, old) == []
