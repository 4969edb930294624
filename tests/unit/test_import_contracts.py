"""The layering rules of architecture.md, checked by import-linter (the contracts are in
pyproject.toml; `make lint` runs them too): the wings of flows stand in layers (cli, then reports |
plugin, then jobs) on automation and never the reverse; every module of flows lives in a wing; the
offline portal takes nothing from the toolkit, and only the demo, the stub command, the plugin's
fixtures and the seeded passkeys use it; page objects never import factors."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


def test_the_import_contracts_hold() -> None:
    run = subprocess.run([str(Path(sys.executable).with_name("lint-imports"))], cwd=ROOT, capture_output=True,
                         text=True, timeout=120)
    assert run.returncode == 0, run.stdout + run.stderr
    assert "Contracts: 5 kept, 0 broken." in run.stdout
