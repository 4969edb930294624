"""How a job tells its caller how far it has got. Jobs never print: the command line decides whether
a person watches and draws it (flows.cli.common.progress_display), so a cron job's stderr stays JSON."""

from __future__ import annotations

from collections.abc import Callable

# (done, total, what is under way now: an account's name, a guide screen; "" once all are done)
Progress = Callable[[int, int, str], None]
