"""Guides as data (guides/*.toml): steps, their page in the guide, labels, screens and kinds.

Also the importer (a guide's extracted text or PDF → a draft guide file for a person to review)
and the differ (what changed between two editions).
"""

from __future__ import annotations

import difflib
import io
import logging
import re
import tomllib
from dataclasses import dataclass, field
from pathlib import Path

from automation.error_words import in_words
from automation.errors import GuideFileError
from automation.files import MAX_DOCUMENT_BYTES, read_input_bytes, read_input_text

KINDS = ("check", "role", "admin", "phone", "email", "info")
CHECKABLE = ("check", "role", "admin")
LABEL_KINDS = ("button", "link", "menu", "column", "option", "field", "heading", "text")



@dataclass(frozen=True)
class Label:
    text: str
    as_: str
    en: str | None = None
    catalog: str | None = None
    screen: str | None = None  # when the label is on another screen than its step's

    def in_locale(self, locale: str) -> str:
        return self.en if locale == "en" and self.en else self.text


@dataclass(frozen=True)
class Step:
    id: str
    page: int | None
    text: str
    kind: str
    screen: str | None
    labels: tuple[Label, ...] = field(default_factory=tuple)

    @property
    def section(self) -> str:
        return re.sub(r"\d+$", "", self.id)

    @property
    def checkable(self) -> bool:
        return self.kind in CHECKABLE


@dataclass(frozen=True)
class Guide:
    title: str
    edition: str
    locale: str
    reviewed: bool
    steps: tuple[Step, ...]


def guides_dir() -> Path:
    package = Path(__file__).resolve().parent
    for candidate in (package / "_data" / "guides", package.parent / "guides"):
        if candidate.is_dir():
            return candidate
    raise GuideFileError(f"guides folder not found next to {package}")


def default_guide() -> Path:
    return guides_dir() / "jordbruksverket-2025-03-18.toml"


def load_guide(path: Path) -> Guide:
    try:
        data = tomllib.loads(read_input_text(path, "guide file", GuideFileError))
    except tomllib.TOMLDecodeError as exc:
        raise GuideFileError(f"guide file {path} cannot be read: {exc}".replace("\n", " ")) from None
    raw_steps = data.get("steps", [])
    if not isinstance(raw_steps, list) or not all(isinstance(raw, dict) for raw in raw_steps):
        raise GuideFileError(f"guide file {path}: steps must be [[steps]] tables")
    steps = []
    for index, raw in enumerate(raw_steps):
        where = f"{path}: step {raw.get('id', index + 1)}"
        if raw.get("kind") not in KINDS:
            raise GuideFileError(f"{where}: kind must be one of {', '.join(KINDS)}")
        if raw["kind"] in CHECKABLE and not isinstance(raw.get("screen"), str):
            raise GuideFileError(f"{where}: a checkable step needs a screen")
        if not isinstance(raw.get("id"), str | int) or isinstance(raw.get("id"), bool):
            raise GuideFileError(f"{where}: every step needs an id")
        if not isinstance(raw.get("page", 0), int) or not isinstance(raw.get("text", ""), str) \
                or not isinstance(raw.get("screen", ""), str):
            raise GuideFileError(f"{where}: page must be a number, text and screen strings")
        raw_labels = raw.get("labels", [])
        if not isinstance(raw_labels, list) or not all(isinstance(label, dict) for label in raw_labels):
            raise GuideFileError(f"{where}: labels must be a list of tables")
        labels = []
        for label in raw_labels:
            if label.get("as") not in LABEL_KINDS or not isinstance(label.get("text"), str) \
                    or not label["text"].strip():
                raise GuideFileError(f"{where}: every label needs a text and as = {' | '.join(LABEL_KINDS)}")
            extras = [label.get(key) for key in ("en", "catalog", "screen")]
            if any(extra is not None and not isinstance(extra, str) for extra in extras):
                raise GuideFileError(f"{where}: a label's en, catalog and screen must be strings")
            labels.append(Label(label["text"], label["as"], label.get("en"), label.get("catalog"), label.get("screen")))
        steps.append(Step(str(raw["id"]), raw.get("page"), str(raw.get("text", "")), raw["kind"], raw.get("screen"),
                          tuple(labels)))
    if not steps:
        raise GuideFileError(f"guide file {path} has no [[steps]]")
    if data.get("locale", "sv") not in ("sv", "en"):
        raise GuideFileError(f"guide file {path}: locale must be sv or en")
    return Guide(str(data.get("title", path.stem)), str(data.get("edition", "")), str(data.get("locale", "sv")),
                 bool(data.get("reviewed", False)), tuple(steps))


# --- import -----------------------------------------------------------------------------------

PAGE_MARKER = re.compile(r"(?:^|\s)(\d{1,3})\((\d{1,3})\)\s*$")
TOC_LINE = re.compile(r"^(?P<title>\S.*?)\s*\.{4,}\s*(?P<page>\d+)\s*$")
QUOTED = re.compile(r"[”“\"]([^”“\"]{1,120}?)[”“\"]", re.S)


def extract_text(path: Path) -> str:
    """A guide's text: read as is, or extracted from a PDF with pypdf, page markers kept."""
    if path.suffix.lower() != ".pdf":
        return read_input_text(path, "guide file", GuideFileError, MAX_DOCUMENT_BYTES)
    try:
        from pypdf import PdfReader
    except ImportError:
        raise GuideFileError("importing a PDF needs pypdf: pip install pypdf") from None
    from pypdf.errors import PyPdfError

    logging.getLogger("pypdf").setLevel(logging.CRITICAL)  # its warnings would be extra lines on stderr
    try:
        reader = PdfReader(io.BytesIO(read_input_bytes(path, "guide file", GuideFileError, MAX_DOCUMENT_BYTES)))
        total = len(reader.pages)
        return "\n".join(f"{page.extract_text() or ''}\n{number}({total})"
                         for number, page in enumerate(reader.pages, start=1))
    except (PyPdfError, ValueError, KeyError, TypeError) as exc:  # pypdf's own, and what a mangled file raises
        raise GuideFileError(f"{path} is not a readable PDF: {in_words(exc)}") from None


def draft_guide(text: str, source: str) -> str:
    """A draft guide file: one step per heading (from the table of contents), the labels the guide
    quotes in ”…” under it, and its page (page markers, else the table of contents)."""
    lines = [line.strip() for line in text.splitlines()]
    toc = [(m["title"].strip(), int(m["page"])) for m in map(TOC_LINE.match, lines) if m]
    headings = {title: page for title, page in toc[1:]}  # the first entry is the document title
    steps: list[tuple[str, int | None, list[str]]] = []
    page: int | None = None
    body: list[str] = []
    current: tuple[str, int | None] | None = None

    def close() -> None:
        if current is not None:
            labels = [re.sub(r"\s+", " ", q).strip() for q in QUOTED.findall(" ".join(body))]
            steps.append((current[0], current[1], list(dict.fromkeys(label for label in labels if label))))

    for line in lines:
        marker = PAGE_MARKER.search(line)
        if marker:
            page = int(marker.group(1))
            continue
        if TOC_LINE.match(line):
            continue
        title = next((t for t in headings if line and (line == t or (len(line) > 12 and t.startswith(line)))), None)
        if title is not None and (current is None or current[0] != title):
            close()
            current, body = (title, headings.get(title) or page), []  # the table of contents first
            continue
        body.append(line)
    close()
    out = [f"# Draft imported from {source}. Review every step, then set reviewed = true.",
           "reviewed = false", f"title = {_toml(source)}", 'locale = "sv"', ""]
    for number, (title, step_page, labels) in enumerate(steps, start=1):
        out += ["[[steps]]", f'id = "S{number}"', f"page = {step_page if step_page else 0}", f"text = {_toml(title)}",
                'kind = "info"  # review: check | role | admin | phone | email | info', "labels = ["]
        out += [f'  {{ text = {_toml(label)}, as = "text" }},' for label in labels]
        out += ["]", ""]
    return "\n".join(out)


def _toml(value: str) -> str:
    return '"' + value.replace("\\", "\\\\").replace('"', '\\"') + '"'


def write_draft(target: Path, content: str, force: bool) -> None:
    """Never overwrite a reviewed guide; overwrite an unreviewed draft only with `force`."""
    if target.exists():
        try:
            reviewed = bool(tomllib.loads(target.read_text(encoding="utf-8")).get("reviewed", False))
        except tomllib.TOMLDecodeError:
            reviewed = True  # unreadable: treat as a person's work
        if reviewed:
            raise GuideFileError(f"{target} is a reviewed guide: the importer never overwrites it")
        if not force:
            raise GuideFileError(f"{target} exists (an unreviewed draft): use --force to replace it")
    target.write_text(content, encoding="utf-8")


# --- diff -------------------------------------------------------------------------------------

@dataclass(frozen=True)
class GuideChange:
    """One difference between two editions: a step or a label added, removed or reworded."""

    sign: str  # "+", "-" or "~", as a diff prints it
    step: str
    what: str  # "step added", "step removed", "step reworded", "label added", "label removed", "label reworded"
    before: str | None
    after: str | None

    @property
    def line(self) -> str:
        if self.what == "step added":
            return f"+ step {self.step} added: {self.after}"
        if self.what == "step removed":
            return f"- step {self.step} removed: {self.before}"
        if self.what == "step reworded":
            return f"~ step {self.step} reworded: {self.before!r} -> {self.after!r}"
        if self.what == "label reworded":
            return f"~ step {self.step} label reworded: {self.before!r} -> {self.after!r}"
        text = self.before if self.what == "label removed" else self.after
        return f"{self.sign} step {self.step} {self.what}: {text!r}"


def guide_changes(old: Guide, new: Guide) -> list[GuideChange]:
    """What changed between two editions, in guide order: the steps' sequences aligned as a diff
    aligns lines, so a removed step shows where it was and an added one where it comes."""
    old_steps, new_steps = {s.id: s for s in old.steps}, {s.id: s for s in new.steps}
    old_ids, new_ids = [s.id for s in old.steps], [s.id for s in new.steps]
    changes: list[GuideChange] = []
    matcher = difflib.SequenceMatcher(a=old_ids, b=new_ids, autojunk=False)
    for tag, i1, i2, j1, j2 in matcher.get_opcodes():
        if tag == "equal":
            for step_id in old_ids[i1:i2]:
                changes += _step_changes(old_steps[step_id], new_steps[step_id])
            continue
        # A step id on both sides but out of place (moved) is compared, not removed and added.
        for step_id in old_ids[i1:i2]:
            if step_id in new_steps:
                changes += _step_changes(old_steps[step_id], new_steps[step_id])
            else:
                changes.append(GuideChange("-", step_id, "step removed", old_steps[step_id].text, None))
        changes += [GuideChange("+", step_id, "step added", None, new_steps[step_id].text)
                    for step_id in new_ids[j1:j2] if step_id not in old_steps]
    return changes


def _step_changes(before: Step, after: Step) -> list[GuideChange]:
    changes = []
    if before.text != after.text:
        changes.append(GuideChange("~", before.id, "step reworded", before.text, after.text))
    old_labels = [label.text for label in before.labels]
    new_labels = [label.text for label in after.labels]
    gone = [t for t in old_labels if t not in new_labels]
    came = [t for t in new_labels if t not in old_labels]
    for text in list(gone):
        match = difflib.get_close_matches(text, came, n=1, cutoff=0.5)
        # One label out and one in, in the same step: a rewording, however different the words.
        if not match and len(gone) == len(came) == 1:
            match = came[:]
        if match:
            changes.append(GuideChange("~", before.id, "label reworded", text, match[0]))
            gone.remove(text)
            came.remove(match[0])
    changes += [GuideChange("-", before.id, "label removed", t, None) for t in gone]
    changes += [GuideChange("+", before.id, "label added", None, t) for t in came]
    return changes


def diff_guides(old: Guide, new: Guide) -> list[str]:
    """Steps and labels added, removed or reworded between two editions, one line each, in guide order."""
    return [change.line for change in guide_changes(old, new)]
