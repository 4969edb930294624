"""The README's exit-code table and `ExitCode` say the same (issue 21 §3): a code added to one and
not the other is caught here, so on-call never looks a code up and finds nothing, or the wrong thing."""

from __future__ import annotations

import re
from pathlib import Path

from automation.errors import ExitCode

README = Path(__file__).resolve().parents[2] / "README.md"


def documented_codes() -> set[int]:
    text = README.read_text(encoding="utf-8")
    section = text[text.index("### Exit codes"):]
    section = section[:section.index("\n#", 1)]
    return {int(code) for code in re.findall(r"^\| (\d+) \|", section, re.MULTILINE)}


def test_the_readme_lists_exactly_the_exit_codes_of_exit_code() -> None:
    assert documented_codes() == {int(code) for code in ExitCode}
