"""Retries for transient failures only (timeouts, 5xx, dropped sessions); business errors never."""

from __future__ import annotations

import logging
from collections.abc import Callable
from typing import TypeVar

from tenacity import before_sleep_log, retry, retry_if_exception_type, stop_after_attempt, wait_exponential

from automation.errors import TransientError
from automation.log import get_logger

T = TypeVar("T")

ATTEMPTS = 3


def retry_transient(fn: Callable[..., T]) -> Callable[..., T]:
    """Up to three attempts with exponential backoff (1 s, 2 s, ... at most 10 s), a log line per retry."""
    return retry(  # type: ignore[no-any-return]
        retry=retry_if_exception_type(TransientError),
        stop=stop_after_attempt(ATTEMPTS),
        wait=wait_exponential(multiplier=1, min=1, max=10),
        before_sleep=before_sleep_log(get_logger("tracesctl.retry"), logging.WARNING),
        reraise=True,
    )(fn)
