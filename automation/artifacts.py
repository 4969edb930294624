"""Failure folders (automation.browser writes them): pruned when they are older than the
configured number of days, so an unattended host does not keep every failure forever."""

from __future__ import annotations

import re
import shutil
from datetime import UTC, datetime, timedelta
from pathlib import Path

from automation.log import get_logger

# `save_failure_artifacts` names each folder STAMP-ACCOUNT; only folders of that shape are ours
# to delete (TRACESCTL_ARTIFACTS may point at a folder that holds other things too).
FOLDER = re.compile(r"(\d{8}T\d{6}\.\d{6}Z)-[A-Za-z0-9._-]+")
STAMP = "%Y%m%dT%H%M%S.%fZ"

log = get_logger(__name__)


def folder_time(folder: Path) -> datetime | None:
    match = FOLDER.fullmatch(folder.name)
    if match is None:
        return None
    try:
        return datetime.strptime(match.group(1), STAMP).replace(tzinfo=UTC)
    except ValueError:
        return None


def prune_artifacts(artifacts_dir: Path, keep_days: int, now: datetime | None = None) -> list[Path]:
    """Delete the failure folders older than `keep_days`; returns what was deleted."""
    if not artifacts_dir.is_dir():
        return []
    cutoff = (now or datetime.now(UTC)) - timedelta(days=keep_days)
    pruned = []
    for folder in sorted(artifacts_dir.iterdir()):
        at = folder_time(folder)
        if at is None or at >= cutoff or folder.is_symlink() or not folder.is_dir():
            continue
        try:
            shutil.rmtree(folder)
        except OSError as exc:  # a folder we cannot delete must not stop the command that starts
            log.warning("old artifacts could not be deleted", folder=str(folder), error=str(exc))
            continue
        pruned.append(folder)
    if pruned:
        log.info("old artifacts deleted", count=len(pruned), older_than_days=keep_days)
    return pruned
