"""TRACESCTL_DRIFT_GRACE_MS (issue 21 §3): a bounded whole number of milliseconds, 5000 by default,
validated once with the other settings (exit 2 naming the variable)."""

from __future__ import annotations

import pytest

from automation.config import Settings
from automation.errors import ConfigError
from automation.pages.base import LABEL_GRACE_MS


def test_the_drift_grace_defaults_to_five_seconds_and_is_read_from_the_environment() -> None:
    assert Settings.from_env({}).drift_grace_ms == LABEL_GRACE_MS == 5_000
    assert Settings.from_env({"TRACESCTL_DRIFT_GRACE_MS": "800"}).drift_grace_ms == 800


@pytest.mark.parametrize("value", ["soon", "50", "60001", "1.5"])
def test_a_drift_grace_out_of_bounds_names_the_variable(value: str) -> None:
    with pytest.raises(ConfigError, match="TRACESCTL_DRIFT_GRACE_MS"):
        Settings.from_env({"TRACESCTL_DRIFT_GRACE_MS": value})
