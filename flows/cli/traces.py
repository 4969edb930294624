"""The TRACES commands: login, request-access, approve, and the audit trail of what they changed."""

from __future__ import annotations

import sys
from pathlib import Path
from typing import TYPE_CHECKING

import click

from automation.errors import ConfigError
from automation.terminal import shown
from flows.cli.common import progress_display, signed_in_page, signing_in
from flows.cli.metrics import MetricsWanted, metrics_options
from flows.cli.options import shared_options
from flows.cli.run import account_option, columns_option, complete_account, parse_since, print_json, with_settings
from flows.reports.table import APPROVE_COLUMNS

if TYPE_CHECKING:
    from automation.config import Settings

ACCOUNT = account_option()


@click.command("login", help="sign in to TRACES NT and report where it landed")
@ACCOUNT
@click.option("--ignore-hold", is_flag=True, help="try an account on hold anyway (asks a person at a terminal to "
              "confirm: a wrong password counts towards EU Login's five)")
@click.option("--json", "as_json", is_flag=True, help="print the result as JSON")
@shared_options
@with_settings
def login(settings: Settings, *, account_name: str | None, ignore_hold: bool, as_json: bool) -> int:
    from automation.secrets import redact

    account, password, factor = signing_in(settings, account_name, ignore_hold=ignore_hold)

    from flows.jobs.signin import sign_in_to_traces

    with signed_in_page(settings, account) as page:
        result = sign_in_to_traces(page, settings, account, password, factor, ignore_hold=ignore_hold)
        how = "single sign-on" if result.single_sign_on else factor.method
        if as_json:
            print_json({"account": account.name, "email": account.email, "method": how,
                        "seconds": round(result.seconds, 2), "landed_on": redact(page.url)})
        else:
            print(f"{account.name}: signed in to TRACES as {account.email} ({how}, {result.seconds:.1f} s); "
                  f"landed on {redact(page.url)}")
    return 0


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
@click.option("--apply/--dry-run", default=False, help="submit (default: dry run, print the plan)")
@click.option("--json", "as_json", is_flag=True, help="print the result as JSON")
@shared_options
@with_settings
def request_access(
        settings: Settings, *, account_name: str | None, operator: Path, role: str, create_if_missing: bool,
        apply: bool, as_json: bool
) -> int:
    from automation.company import load_company

    company = load_company(operator)
    account, password, factor = signing_in(settings, account_name)

    from automation.ledger import Ledger
    from flows.jobs.request_access import RequestAccess

    with signed_in_page(settings, account) as page:
        flow = RequestAccess(page, settings, account, Ledger.open(settings))
        result = flow.run(password, factor, company, role, create_if_missing, apply)
    headline = {
        "plan-request": "DRY RUN (nothing submitted; --apply to submit): would request authorisation",
        "plan-create": "DRY RUN (nothing submitted; --apply to submit): would create the operator",
        "requested": "authorisation requested; it is pending until an administrator or the authority approves",
        "created": "operator created and authorisation requested; you become its administrator once approved",
        "verified-late": "done (answer lost, verified): an earlier run's request is in TRACES; nothing submitted",
        "already-pending": "already requested and pending: nothing submitted",
        "already-authorised": "already authorised: nothing submitted",
    }[result.outcome]
    if as_json:
        print_json({"account": account.name, "operator": result.operator, "outcome": result.outcome,
                    "applied": bool(apply), "plan": list(result.plan)})
        return 0
    print(f"{account.name}: {shown(result.operator)}: {headline}")
    for line in result.plan:
        print(f"  {shown(line)}")
    return 0


@click.command("approve", short_help="approve pending TRACES user requests by policy, make administrators, "
               "unsuspend users",
               help="Lists every pending request of the operators the account administers and the policy's "
               "decision for it. With --apply: open the user, act, save, read the page again to verify; every "
               "change goes to the audit trail. Users the policy does not name are left pending and never touched.")
@click.option("--account", "account_name", help="the administrator's account name from the accounts file",
              shell_complete=complete_account)
@click.option("--policy", required=True, type=click.Path(path_type=Path), metavar="FILE",
              help="approval policy (TOML)")
@click.option("--apply/--dry-run", default=False, help="act (default: dry run, print the decisions)")
@click.option("--plan", "plan_file", type=click.Path(path_type=Path), metavar="FILE",
              help="save the dry run as a signed plan (every decision with what the portal showed, the policy's "
              "SHA-256, the account, the time, the person) for another person to apply with --apply-plan")
@click.option("--apply-plan", "apply_plan_file", type=click.Path(path_type=Path), metavar="FILE",
              help="carry out exactly the plan's decisions, each read again first; skips (saying why) any whose "
              "request changed since; refuses (exit 17) a changed, too old, or another policy's or account's plan")
@click.option("--max-plan-age", default="24h", show_default=True, metavar="DURATION",
              help="--apply-plan refuses a plan older than this (such as 90m, 24h, 2d)")
@click.option("--reviewer", metavar="NAME", help="the person making (--plan) or applying the plan, for the audit "
              "trail (default: the OS user)")
@click.option("--limit", type=int, metavar="N", help="act on at most N decisions this run")
@click.option("--json", "as_json", is_flag=True, help="print the decisions as JSON")
@columns_option(APPROVE_COLUMNS)
@metrics_options
@shared_options
@with_settings
def approve(
        settings: Settings, *, account_name: str | None, policy: Path, apply: bool, plan_file: Path | None,
        apply_plan_file: Path | None, max_plan_age: str, reviewer: str | None, limit: int | None, as_json: bool,
        columns: tuple[str, ...] | None, metrics: MetricsWanted
) -> int:
    import json
    from dataclasses import asdict

    from automation import plans
    from automation.files import check_output_file
    from automation.ledger import utc_now
    from automation.policy import load_policy
    from automation.values import check_text
    from flows.cli.common import environment

    if limit is not None and not 1 <= limit <= 1_000_000:
        raise ConfigError(f"--limit must be 1 or more, not {limit}")
    if sum(bool(x) for x in (apply, plan_file, apply_plan_file)) > 1:
        raise ConfigError("--apply, --plan and --apply-plan exclude each other: make a plan, or apply one, or act now")
    max_age = plans.parse_max_age(max_plan_age)
    person = check_text(reviewer.strip(), "--reviewer", 100) if reviewer else plans.os_user()
    if not person:
        raise ConfigError("--reviewer must name a person")
    if plan_file:
        check_output_file(plan_file, "--plan")
    rules = load_policy(policy)
    metrics.check()
    policy_sha256 = plans.policy_digest(policy)
    plan = None
    if apply_plan_file:
        # Every refusal of the plan comes before a password is read or anything is sent.
        plan = plans.load_plan(apply_plan_file, plans.plan_key(settings.home, environment()))
    account, password, factor = signing_in(settings, account_name)
    if plan is not None:
        plans.check_plan(plan, account=account.name, account_email=account.email, portal=settings.base_url,
                         policy_sha256=policy_sha256, now=utc_now(), max_age=max_age)
    key = plans.plan_key(settings.home, environment()) if plan_file else None

    from automation.ledger import Ledger
    from flows.jobs.approvals import Approvals, run_exit_code, to_plan
    from flows.reports.table import table

    ref = plans.PlanRef(plan.digest, plan.made_by, person) if plan is not None else plans.PlanRef(applied_by=person)
    progress = progress_display("approving", as_json=as_json)
    with signed_in_page(settings, account) as page:
        flow = Approvals(page, settings, account, Ledger.open(settings), progress=progress, plan_ref=ref)
        if plan is not None:
            decisions = flow.apply_plan(password, factor, plan, rules, limit)
        else:
            decisions = flow.run(password, factor, rules, apply, limit)
    made = None
    if plan_file and key is not None:
        made = to_plan(decisions, account, settings.base_url, policy_sha256, utc_now(), person)
        plans.write_plan(plan_file, made, key)
    if as_json:
        print(json.dumps([asdict(d) for d in decisions], indent=2, ensure_ascii=False))
    else:
        if made is not None:
            print(f"PLAN written to {plan_file} (digest {made.digest[:12]}, by {shown(person)}): nothing was "
                  f"changed; another person applies it with --apply-plan {plan_file}")
        elif plan is not None:
            print(f"PLAN {plan.digest[:12]} by {shown(plan.made_by)}, applied by {shown(person)}:")
        elif not apply:
            print("DRY RUN: nothing was changed; --apply to act.")
        print(table(APPROVE_COLUMNS, [(d.email, d.name, d.operator, d.action, d.summary) for d in decisions],
                    columns=columns))
    code = run_exit_code(decisions)
    if metrics:
        run_metrics = metrics.new("approve")
        run_metrics.approvals(str(d.outcome) for d in decisions)
        metrics.export(run_metrics, code)
    return code


AUDIT_FORMATS = ("csv", "json", "xlsx")  # flows.reports.audit.FORMATS, which a test holds it to
# The changes the audit trail records (flows.jobs.request_access.ACTIONS, flows.jobs.approvals.ACTIONS).
AUDIT_ACTIONS = ("request-authorisation", "create-operator", "approve", "make-admin", "unsuspend")


@click.command("audit", help="export the audit trail of every change made in a portal")
@click.option("--since", metavar="DATE", help="only entries on or after DATE (YYYY-MM-DD or ISO 8601)")
@click.option("--format", "export_format", type=click.Choice(AUDIT_FORMATS), default=None,
              help="output format (default: csv); xlsx is an Excel workbook, for --out or a redirected stdout")
@click.option("--json", "as_json", is_flag=True, help="the same as --format json")
@click.option("--out", type=click.Path(path_type=Path), metavar="FILE",
              help="write the export to FILE (mode 0600: it names people) instead of stdout")
@click.option("--account", "only_account", metavar="NAME", help="only changes made by this account",
              shell_complete=complete_account)
@click.option("--operator", "only_operator", metavar="TEXT", help="only changes about operators whose name or "
              "organisation number contains TEXT")
@click.option("--action", "only_action", type=click.Choice(AUDIT_ACTIONS), help="only this kind of change")
@click.option("--excel", is_flag=True, help="CSV as Swedish Excel opens it: UTF-8 with a byte order mark, ';' "
              "between fields")
@shared_options
@with_settings
def audit(
        settings: Settings, *, since: str | None, export_format: str | None, as_json: bool, out: Path | None,
        only_account: str | None, only_operator: str | None, only_action: str | None, excel: bool
) -> int:
    if as_json and export_format not in (None, "json"):
        raise click.UsageError(f"--json is --format json: it does not go with --format {export_format}")
    form = "json" if as_json else export_format or "csv"
    if excel and form != "csv":
        raise click.UsageError(f"--excel is a kind of CSV: it does not go with --format {form}")
    from automation.ledger import Ledger
    from flows.reports.audit import as_csv, as_xlsx, audit_rows
    from flows.reports.audit import as_json as json_export

    check_audit_output(form, out)  # before the ledger is read
    records = [r for r in Ledger.for_reading(settings).audit_trail(parse_since(since))
               if (only_account is None or r.account == only_account)
               and (only_operator is None or only_operator.casefold() in r.operator.casefold())
               and (only_action is None or r.action == only_action)]
    if form == "xlsx":
        export: str | bytes = as_xlsx(records)
    elif form == "json":
        export = json_export(audit_rows(records))
    else:
        export = as_csv(audit_rows(records), excel=excel)
    if out is not None:
        from automation.files import write_private

        write_private(out, export)
        print(f"audit: {len(records)} change(s) written to {out}", file=sys.stderr)
    elif isinstance(export, bytes):
        sys.stdout.flush()
        sys.stdout.buffer.write(export)
    else:
        sys.stdout.write(export)
    return 0


def check_audit_output(form: str, out: Path | None) -> None:
    """A workbook is binary: never to a terminal, where it would be noise (and could move the cursor)."""
    if out is not None:
        from automation.files import check_output_file

        check_output_file(out, "--out")
    elif form == "xlsx" and sys.stdout.isatty():
        raise ConfigError("--format xlsx writes a binary workbook: give --out FILE, or redirect stdout to a file")
