"""`tracesctl portal compare`: how a capture's screens differ from a reference capture's (the
offline portal's, taken just before), screen by screen.

Controls are matched by role and accessible name. On each screen:
  missing   on the reference screen, not on the captured one
  extra     on the captured screen, not on the reference
  renamed   a missing control whose nearest name of the same role (difflib) is an extra one
  id / name changed   the same control (same role and name, or renamed) with other ids or names
  catalogue entries broken     found on the reference, not on the captured screen: the page object
                               would fail there (toolkit drift on the live portal)
  catalogue entries only in the capture   found there, not on the reference
Hidden inputs (no role) are left out: they carry the portal's data, not what a locator holds on to.
"""

from __future__ import annotations

import difflib
import json
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

from automation.error_words import json_words
from automation.errors import CaptureFileError
from automation.files import MAX_DOCUMENT_BYTES, read_input_text
from automation.pages.screen_reader import normalise
from flows.jobs.portal_capture import CAPTURE_FORMAT

RENAME_CUTOFF = 0.6  # how alike two names must be (difflib ratio) to be one control renamed
Key = tuple[str, str]  # (role, accessible name)


@dataclass
class Renamed:
    role: str
    reference: str
    captured: str


@dataclass
class Changed:
    role: str
    accessible_name: str
    attribute: str  # "id" or "name"
    reference: list[str]
    captured: list[str]


@dataclass
class ScreenDifference:
    screen: str
    missing: list[Key] = field(default_factory=list)
    extra: list[Key] = field(default_factory=list)
    renamed: list[Renamed] = field(default_factory=list)
    changed: list[Changed] = field(default_factory=list)
    entries_broken: list[str] = field(default_factory=list)
    entries_only_in_capture: list[str] = field(default_factory=list)
    not_compared: str | None = None  # why (a screen only one of the captures reached)

    @property
    def differs(self) -> bool:
        return any((self.missing, self.extra, self.renamed, self.changed, self.entries_broken,
                    self.entries_only_in_capture))


def load_capture(path: Path) -> dict[str, Any]:
    try:
        capture: Any = json.loads(read_input_text(path, "capture file", CaptureFileError, MAX_DOCUMENT_BYTES))
    except (json.JSONDecodeError, RecursionError) as exc:
        raise CaptureFileError(f"capture file {path} is not readable JSON: {json_words(exc)}") from None
    if not isinstance(capture, dict) or capture.get("format") != CAPTURE_FORMAT or \
            not isinstance(capture.get("screens"), list):
        raise CaptureFileError(f"{path} is not a capture of `tracesctl portal capture` ({CAPTURE_FORMAT})")
    problem = shape_problem(capture)
    if problem:
        raise CaptureFileError(f"capture file {path} is malformed: {problem}")
    return capture


def _text_or_none(value: object) -> bool:
    return value is None or isinstance(value, str)


def shape_problem(capture: dict[str, Any]) -> str | None:
    """What in a capture's structure compare_captures could not read (a hand-edited or truncated
    file), or None: the screens, each screen's controls, the catalogue and not_captured maps."""
    not_captured = capture.get("not_captured", {})
    if not isinstance(not_captured, dict) or not all(isinstance(k, str) for k in not_captured):
        return "not_captured must be a table"
    for number, screen in enumerate(capture["screens"], start=1):
        if not isinstance(screen, dict) or not isinstance(screen.get("screen"), str) \
                or not isinstance(screen.get("controls"), list):
            return f"screen {number} must have a screen name and a list of controls"
        catalogue = screen.get("catalogue", {})
        if not isinstance(catalogue, dict) or not all(v is None or isinstance(v, bool) for v in catalogue.values()):
            return f"screen {screen['screen']!r}: catalogue must map entries to true, false or nothing"
        for control in screen["controls"]:
            if not isinstance(control, dict) or not _text_or_none(control.get("role")) or \
                    not all(key in control and _text_or_none(control[key]) for key in ("id", "name")) or \
                    (control.get("role") and not isinstance(control.get("accessible_name"), str)):
                return f"screen {screen['screen']!r} has a control that is not role, accessible_name, id, name text"
    return None


def compare_captures(reference: dict[str, Any], captured: dict[str, Any]) -> list[ScreenDifference]:
    """Every screen either capture has, in the reference's order, then the captured one's."""
    ours = {s["screen"]: s for s in reference["screens"]}
    theirs = {s["screen"]: s for s in captured["screens"]}
    differences = []
    for screen in dict.fromkeys([*ours, *theirs, *reference.get("not_captured", {}),
                                 *captured.get("not_captured", {})]):
        if screen in ours and screen in theirs:
            differences.append(compare_screen(screen, ours[screen], theirs[screen]))
        elif screen in ours or screen in theirs:
            where = "the reference" if screen in ours else "the capture"
            why = captured.get("not_captured", {}).get(screen) or reference.get("not_captured", {}).get(screen)
            differences.append(ScreenDifference(screen, not_compared=f"only {where} has it" +
                                                (f" (the other: {why})" if why else "")))
    return differences


def compare_screen(screen: str, reference: dict[str, Any], captured: dict[str, Any]) -> ScreenDifference:
    found = ScreenDifference(screen)
    ours, theirs = _by_key(reference["controls"]), _by_key(captured["controls"])
    missing = [k for k in ours if k not in theirs]
    extra = [k for k in theirs if k not in ours]
    pairs = [(k, k) for k in ours if k in theirs]
    for key in list(missing):
        candidates = {normalise(name): (role, name) for role, name in extra if role == key[0]}
        nearest = difflib.get_close_matches(normalise(key[1]), list(candidates), n=1, cutoff=RENAME_CUTOFF)
        if nearest:
            other = candidates[nearest[0]]
            found.renamed.append(Renamed(key[0], key[1], other[1]))
            missing.remove(key)
            extra.remove(other)
            pairs.append((key, other))
    found.missing, found.extra = missing, extra
    for ours_key, theirs_key in pairs:
        for attribute in ("id", "name"):
            before = sorted({c[attribute] for c in ours[ours_key] if c[attribute]})
            after = sorted({c[attribute] for c in theirs[theirs_key] if c[attribute]})
            if before != after:
                found.changed.append(Changed(ours_key[0], ours_key[1], attribute, before, after))
    ours_entries, theirs_entries = reference.get("catalogue", {}), captured.get("catalogue", {})
    found.entries_broken = sorted(k for k, v in ours_entries.items() if v and theirs_entries.get(k) is False)
    found.entries_only_in_capture = sorted(k for k, v in theirs_entries.items()
                                           if v and ours_entries.get(k) is False)
    return found


def _by_key(controls: list[dict[str, Any]]) -> dict[Key, list[dict[str, Any]]]:
    grouped: dict[Key, list[dict[str, Any]]] = {}
    for control in controls:
        if control.get("role"):
            grouped.setdefault((control["role"], control["accessible_name"]), []).append(control)
    return grouped


def as_json(differences: list[ScreenDifference]) -> str:
    return json.dumps({"differs": any(d.differs for d in differences),
                       "screens": [asdict(d) | {"differs": d.differs} for d in differences]},
                      indent=2, ensure_ascii=False)


def as_text(differences: list[ScreenDifference]) -> str:
    lines = []
    for d in differences:
        if d.not_compared:
            lines.append(f"{d.screen}: not compared: {d.not_compared}")
            continue
        if not d.differs:
            lines.append(f"{d.screen}: same")
            continue
        lines.append(f"{d.screen}:")
        lines += [f"  missing  {role} {name!r}" for role, name in d.missing]
        lines += [f"  extra    {role} {name!r}" for role, name in d.extra]
        lines += [f"  renamed  {r.role} {r.reference!r} -> {r.captured!r}" for r in d.renamed]
        lines += [f"  {c.attribute} changed  {c.role} {c.accessible_name!r}: {', '.join(c.reference) or '-'} -> "
                  f"{', '.join(c.captured) or '-'}" for c in d.changed]
        lines += [f"  breaks catalogue entry {key} (found on the reference, not in the capture)"
                  for key in d.entries_broken]
        lines += [f"  catalogue entry {key} found only in the capture" for key in d.entries_only_in_capture]
    differing = sum(d.differs for d in differences)
    lines.append(f"{differing} of {len(differences)} screens differ" if differing else "no differences")
    return "\n".join(lines)
