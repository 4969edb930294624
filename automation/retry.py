"""Retries for transient failures only (timeouts, 5xx, dropped sessions); business errors never.

Each retry logs one warning that names the step in words ("signing in to EU Login", "approving
erik@example.se"), says what went wrong in words (automation.error_words), and when the next attempt
comes: never a function's qualified name or an exception's class, as tenacity's own line has them."""

from __future__ import annotations

from collections.abc import Callable
from typing import ParamSpec, TypeVar

from tenacity import RetryCallState, retry, retry_if_exception_type, stop_after_attempt, wait_exponential

from automation.error_words import in_words
from automation.errors import TransientError
from automation.log import get_logger

P = ParamSpec("P")
T = TypeVar("T")

ATTEMPTS = 3

log = get_logger("tracesctl.retry")


def retry_transient(step: str | Callable[..., str]) -> Callable[[Callable[P, T]], Callable[P, T]]:
    """Up to three attempts with exponential backoff (1 s, 2 s, ... at most 10 s), a log line per retry.
    `step` is what is retried, in words: a text, or a function of the call's arguments that returns it."""

    def decorate(fn: Callable[P, T]) -> Callable[P, T]:
        def before_sleep(state: RetryCallState) -> None:
            log_retry(step(*state.args, **state.kwargs) if callable(step) else step, state)

        return retry(  # type: ignore[no-any-return]
            retry=retry_if_exception_type(TransientError),
            stop=stop_after_attempt(ATTEMPTS),
            wait=wait_exponential(multiplier=1, min=1, max=10),
            before_sleep=before_sleep,
            reraise=True,
        )(fn)

    return decorate


def log_retry(step: str, state: RetryCallState) -> None:
    error = state.outcome.exception() if state.outcome is not None else None
    wait_s = state.next_action.sleep if state.next_action is not None else 0.0
    log.warning(f"{step} failed; trying again in {wait_s:g} s", step=step,
                reason=in_words(error) if error is not None else "", attempt=state.attempt_number + 1,
                attempts=ATTEMPTS)
