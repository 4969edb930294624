"""Keep-alive at a glance: every sign-in of the ledger, and one picture of which accounts drift
towards TRACES' four-month inactivity.

Read-only: the ledger is only read. The picture is drawn with matplotlib's object API (`Figure`,
no pyplot and no GUI backend): the same drawing is saved as PNG or SVG, and the HTML page embeds
the SVG inline, so it is one file with no script and nothing fetched at view time.
"""

from __future__ import annotations

import io
from dataclasses import dataclass
from datetime import datetime, timedelta
from pathlib import Path
from typing import Any

from automation.config import AccountConfig
from automation.dates import INACTIVE_AFTER_MONTHS, add_months, inactive_from
from automation.holds import active_hold
from automation.ledger import Ledger, SignInRecord
from flows.jobs.keepalive import Status, account_status
from flows.reports.keepalive import near

# One colour per ledger outcome (automation/ledger.py), readable by the colour-blind (Okabe-Ito).
OUTCOME_COLOURS = {
    "ok": "#009E73", "refused": "#D55E00", "blocked": "#CC79A7", "inactive": "#E69F00",
    "suspended": "#0072B2", "timeout": "#56B4E9", "unavailable": "#999999", "failed": "#000000",
}
OTHER_COLOUR = "#7f7f7f"
FORMATS = (".html", ".png", ".svg")


def history(ledger: Ledger, account: str | None = None, since: datetime | None = None) -> list[SignInRecord]:
    """Every recorded sign-in attempt, oldest first; one account's, and from `since`, when asked."""
    return sorted((r for r in ledger.signins(account) if since is None or r.at >= since), key=lambda r: r.at)


def history_json(records: list[SignInRecord]) -> list[dict[str, Any]]:
    return [{"at": r.at.isoformat(), "account": r.account, "method": r.method, "outcome": r.outcome,
             "detail": r.detail, "seconds": round(r.duration_s, 2)} for r in records]


@dataclass(frozen=True)
class AccountRow:
    """One account's row of the picture: its sign-ins and where its four months end."""

    status: Status
    signins: list[SignInRecord]
    hold_since: datetime | None

    @property
    def inactive_on(self) -> datetime | None:
        return inactive_from(self.status.last_success) if self.status.last_success else None

    def as_json(self, warn_days: int) -> dict[str, Any]:
        return {**self.status.as_json(), "near_inactivity": near(self.status, warn_days),
                "inactive_on": self.inactive_on.isoformat() if self.inactive_on else None,
                "hold_since": self.hold_since.isoformat() if self.hold_since else None,
                "points": [{"at": r.at.isoformat(), "outcome": r.outcome} for r in self.signins]}


def account_rows(ledger: Ledger, accounts: list[AccountConfig], now: datetime) -> list[AccountRow]:
    rows = []
    for account, status in zip(accounts, account_status(ledger, accounts, now), strict=True):
        hold = active_hold(ledger, account)  # holds are per EU Login identity
        rows.append(AccountRow(status, ledger.signins(status.account), hold.placed_at if hold else None))
    return rows


def draw(rows: list[AccountRow], now: datetime, warn_days: int) -> Any:
    """The picture: a row per account with a dot per sign-in attempt (colour: outcome), the four
    months running from the last success to the inactivity date, holds marked; and beside it the
    days left as bars."""
    from matplotlib.figure import Figure
    from matplotlib.lines import Line2D

    figure = Figure(figsize=(11, 1.2 + 0.55 * max(len(rows), 1)), layout="constrained")
    timeline, days = figure.subplots(1, 2, sharey=True, width_ratios=(4, 1))
    labels = [row.status.account for row in rows]
    for y, row in enumerate(rows):
        if row.inactive_on is not None and row.status.last_success is not None:
            timeline.hlines(y, row.status.last_success, row.inactive_on, colors="#c8d1dc", linewidth=6, zorder=1)
            timeline.plot([row.inactive_on], [y], marker="|", markersize=18, color="#D55E00", zorder=2)
        for record in row.signins:
            timeline.scatter([record.at], [y], s=36, zorder=3, edgecolors="white", linewidths=0.5,
                             color=OUTCOME_COLOURS.get(record.outcome, OTHER_COLOUR))
        if row.hold_since is not None:
            # Just above the row: the refused attempt that placed the hold stays visible under it.
            timeline.scatter([row.hold_since], [y - 0.28], s=90, marker="X", color="#b00020", zorder=4)
            timeline.annotate("on hold", (row.hold_since, y - 0.28), xytext=(7, -3), textcoords="offset points",
                              color="#b00020", fontsize=8)
        left = row.status.days_left
        if left is not None:
            days.barh(y, max(left, 0), color="#D55E00" if near(row.status, warn_days) else "#009E73", height=0.5)
            days.annotate(str(left), (max(left, 0), y), xytext=(3, -3), textcoords="offset points", fontsize=8)
        else:
            days.annotate("never signed in", (0, y), xytext=(3, -3), textcoords="offset points", fontsize=8)
    timeline.axvline(now, color="#1d3557", linestyle="--", linewidth=1)  # today
    timeline.set_xlim(add_months(now, -INACTIVE_AFTER_MONTHS) - timedelta(days=3),
                      add_months(now, INACTIVE_AFTER_MONTHS) + timedelta(days=3))
    timeline.set_yticks(range(len(rows)), labels)
    timeline.set_ylim(len(rows) - 0.5, -0.5)
    timeline.set_title(f"Sign-in attempts and the {INACTIVE_AFTER_MONTHS}-month inactivity line (today dashed)",
                       fontsize=10, loc="left")
    timeline.grid(axis="x", color="#eeeeee")
    days.axvline(warn_days, color="#D55E00", linestyle=":", linewidth=1)
    days.set_title(f"days left (warn at {warn_days})", fontsize=10, loc="left")
    days.set_xlim(0, 125)
    seen = dict.fromkeys(r.outcome for row in rows for r in row.signins)
    handles = [Line2D([], [], marker="o", linestyle="", color=OUTCOME_COLOURS.get(o, OTHER_COLOUR), label=o)
               for o in seen]
    handles += [Line2D([], [], marker="|", markersize=12, linestyle="", color="#D55E00", label="inactive from"),
                Line2D([], [], marker="X", linestyle="", color="#b00020", label="hold")]
    figure.legend(handles=handles, loc="outside lower center", ncols=min(len(handles), 8), fontsize=8, frameon=False)
    return figure


def render_svg(figure: Any) -> str:
    """The picture as SVG markup to put inline in HTML: without the XML prologue and metadata."""
    out = io.StringIO()
    figure.savefig(out, format="svg", metadata={"Date": None})
    svg = out.getvalue()
    svg = svg[svg.index("<svg"):]
    start, end = svg.find("<metadata>"), svg.find("</metadata>")
    return svg[:start] + svg[end + len("</metadata>"):] if start >= 0 and end > start else svg


def write_report(out: Path, rows: list[AccountRow], now: datetime, warn_days: int, status_table: str) -> None:
    """Write the picture to `out`: .png or .svg alone, or .html with the picture, the status table
    and the facts as JSON (for scripts, and the tests)."""
    suffix = out.suffix.lower()
    figure = draw(rows, now, warn_days)
    out.parent.mkdir(parents=True, exist_ok=True)
    if suffix in {".png", ".svg"}:
        figure.savefig(out, format=suffix[1:], dpi=150)
        return
    import json

    from jinja2 import Environment, FileSystemLoader, select_autoescape

    from flows.reports.guide_html import TEMPLATES

    environment = Environment(loader=FileSystemLoader(TEMPLATES), autoescape=select_autoescape(("html", "j2")))
    facts = {"generated_at": now.isoformat(), "warn_days": warn_days, "accounts": [r.as_json(warn_days) for r in rows]}
    page = environment.get_template("accounts_report.html.j2").render(
        now=now, warn_days=warn_days, rows=rows, svg=render_svg(figure), status_table=status_table,
        facts=json.dumps(facts, ensure_ascii=False).replace("</", "<\\/"), colours=OUTCOME_COLOURS, near=near)
    out.write_text(page, encoding="utf-8")
