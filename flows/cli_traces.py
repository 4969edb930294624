"""The TRACES commands: login, request-access, approve, and the audit trail of what they changed."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path
from typing import TYPE_CHECKING, Any

import click

from automation.errors import ConfigError
from automation.terminal import shown
from flows.cli_common import signed_in_page, signing_in
from flows.cli_run import Outcome, invoke, parse_since, print_json, shared_options
from flows.metrics_out import check_metrics_args, export, metrics_options, new_metrics, wanted

if TYPE_CHECKING:
    from automation.config import Settings

ACCOUNT = click.option("--account", help="account name from the accounts file (needed when it has several)")


@click.command("login", help="sign in to TRACES NT and report where it landed")
@ACCOUNT
@click.option("--ignore-hold", is_flag=True, help="try an account on hold anyway (asks a person at a terminal to "
              "confirm: a wrong password counts towards EU Login's five)")
@click.option("--json", is_flag=True, help="print the result as JSON")
@shared_options
def login(**params: Any) -> Outcome:
    return invoke(cmd_login, params)


@click.command("request-access", short_help="get the TRACES operator role for a company: request authorisation or "
               "create it",
               help="Signs in, goes to the operator search (first sign-in, or Edit Your Profile > Request new role), "
               "finds the company by organisation number and name, and plans: request authorisation on it, or create "
               "it. Nothing is submitted without --apply.")
@ACCOUNT
@click.option("--operator", required=True, type=click.Path(path_type=Path), metavar="FILE",
              help="company file (TOML): name, organisation_number, street, postal_code, city, phone, email")
@click.option("--role", type=click.Choice(("exporter", "cargo")), default="exporter",
              help="exporter (plant health: EURPO, or EUPO when created) or cargo (responsible for the load); "
              "default exporter")
@click.option("--create-if-missing", is_flag=True, help="create the operator when TRACES does not have it")
@click.option("--apply", is_flag=True, help="submit (default: dry run, print the plan)")
@click.option("--json", is_flag=True, help="print the result as JSON")
@shared_options
def request_access(**params: Any) -> Outcome:
    return invoke(cmd_request_access, params)


@click.command("approve", short_help="approve pending TRACES user requests by policy, make administrators, "
               "unsuspend users",
               help="Lists every pending request of the operators the account administers and the policy's "
               "decision for it. With --apply: open the user, act, save, read the page again to verify; every "
               "change goes to the audit trail. Users the policy does not name are left pending and never touched.")
@click.option("--account", help="the administrator's account name from the accounts file")
@click.option("--policy", required=True, type=click.Path(path_type=Path), metavar="FILE",
              help="approval policy (TOML)")
@click.option("--apply", is_flag=True, help="act (default: dry run, print the decisions)")
@click.option("--limit", type=int, metavar="N", help="act on at most N decisions this run")
@click.option("--json", is_flag=True, help="print the decisions as JSON")
@metrics_options
@shared_options
def approve(**params: Any) -> Outcome:
    return invoke(cmd_approve, params)


@click.command("audit", help="export the audit trail of every change made in a portal")
@click.option("--since", metavar="DATE", help="only entries on or after DATE (YYYY-MM-DD or ISO 8601)")
@click.option("--format", type=click.Choice(("csv", "json")), default="csv",
              help="output format (default: csv)")
@shared_options
def audit(**params: Any) -> Outcome:
    return invoke(cmd_audit, params)


def cmd_login(args: argparse.Namespace, settings: Settings) -> int:
    from automation.secrets import redact

    account, password, factor = signing_in(settings, args.account, ignore_hold=args.ignore_hold)

    from flows.signin import sign_in_to_traces

    with signed_in_page(settings, account) as page:
        result = sign_in_to_traces(page, settings, account, password, factor, ignore_hold=args.ignore_hold)
        how = "single sign-on" if result.single_sign_on else factor.method
        if args.json:
            print_json({"account": account.name, "email": account.email, "method": how,
                        "seconds": round(result.seconds, 2), "landed_on": redact(page.url)})
        else:
            print(f"{account.name}: signed in to TRACES as {account.email} ({how}, {result.seconds:.1f} s); "
                  f"landed on {redact(page.url)}")
    return 0


def cmd_request_access(args: argparse.Namespace, settings: Settings) -> int:
    from automation.company import load_company

    company = load_company(args.operator)
    account, password, factor = signing_in(settings, args.account)

    from automation.ledger import Ledger
    from flows.request_access import RequestAccess

    with signed_in_page(settings, account) as page:
        flow = RequestAccess(page, settings, account, Ledger.open(settings))
        result = flow.run(password, factor, company, args.role, args.create_if_missing, args.apply)
    headline = {
        "plan-request": "DRY RUN (nothing submitted; --apply to submit): would request authorisation",
        "plan-create": "DRY RUN (nothing submitted; --apply to submit): would create the operator",
        "requested": "authorisation requested; it is pending until an administrator or the authority approves",
        "created": "operator created and authorisation requested; you become its administrator once approved",
        "verified-late": "done (answer lost, verified): an earlier run's request is in TRACES; nothing submitted",
        "already-pending": "already requested and pending: nothing submitted",
        "already-authorised": "already authorised: nothing submitted",
    }[result.outcome]
    if args.json:
        print_json({"account": account.name, "operator": result.operator, "outcome": result.outcome,
                    "applied": bool(args.apply), "plan": list(result.plan)})
        return 0
    print(f"{account.name}: {shown(result.operator)}: {headline}")
    for line in result.plan:
        print(f"  {shown(line)}")
    return 0


def cmd_approve(args: argparse.Namespace, settings: Settings) -> int:
    import json
    from dataclasses import asdict

    from automation.policy import load_policy

    if args.limit is not None and not 1 <= args.limit <= 1_000_000:
        raise ConfigError(f"--limit must be 1 or more, not {args.limit}")
    policy = load_policy(args.policy)
    check_metrics_args(args)
    account, password, factor = signing_in(settings, args.account)

    from automation.ledger import Ledger
    from flows.approvals import Approvals, run_exit_code
    from flows.report import table

    with signed_in_page(settings, account) as page:
        flow = Approvals(page, settings, account, Ledger.open(settings))
        decisions = flow.run(password, factor, policy, args.apply, args.limit)
    if args.json:
        print(json.dumps([asdict(d) for d in decisions], indent=2, ensure_ascii=False))
    else:
        if not args.apply:
            print("DRY RUN: nothing was changed; --apply to act.")
        print(table(("user", "name", "operator", "decision", "outcome"),
                    [(d.email, d.name, d.operator, d.action, d.summary) for d in decisions]))
    code = run_exit_code(decisions)
    if wanted(args):
        metrics = new_metrics(args, "approve")
        metrics.approvals(str(d.outcome) for d in decisions)
        export(args, metrics, code)
    return code


def cmd_audit(args: argparse.Namespace, settings: Settings) -> int:
    import csv
    import json

    from automation.ledger import Ledger

    records = Ledger.for_reading(settings).audit_trail(parse_since(args.since))
    fields = ("at", "os_user", "account", "operator", "target", "action", "outcome", "detail")
    rows = [{f: (getattr(r, f).isoformat() if f == "at" else getattr(r, f)) for f in fields} for r in records]
    if args.format == "json":
        print(json.dumps(rows, indent=2, ensure_ascii=False))
    else:
        from flows.report import spreadsheet_safe

        writer = csv.DictWriter(sys.stdout, fieldnames=fields)
        writer.writeheader()
        writer.writerows({f: spreadsheet_safe(value) for f, value in row.items()} for row in rows)
    return 0
