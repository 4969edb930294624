"""Calendar arithmetic for the portals' rules (TRACES: inactive after four months)."""

from __future__ import annotations

import calendar
from datetime import datetime

INACTIVE_AFTER_MONTHS = 4


def add_months(moment: datetime, months: int) -> datetime:
    """The same day `months` later, clamped to the month's last day (31 Oct + 4 months = 28/29 Feb)."""
    index = moment.month - 1 + months
    year, month = moment.year + index // 12, index % 12 + 1
    return moment.replace(year=year, month=month, day=min(moment.day, calendar.monthrange(year, month)[1]))


def inactive_from(last_use: datetime) -> datetime:
    return add_months(last_use, INACTIVE_AFTER_MONTHS)
