"""tracesctl: the command line. Imports Playwright only inside commands, so `--help` stays fast.

Exit codes (README: Exit codes): 0 success; 1 unexpected failure; 2 bad input or configuration;
3 credentials or second factor refused, or an account on hold; 4 app approval timed out;
5 account inactive; 6 account suspended; 7 portal unavailable after retries;
8 an account is near inactivity (accounts status); 9-11 request-access outcomes; 12 not an
administrator; 13 some approval decisions failed; 20 guide drift; 21 toolkit drift; 22 the guide
check could not run; 23 a portal capture differs from the offline portal; 130 interrupted.
"""

from __future__ import annotations

import argparse
import os
import sys
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import TYPE_CHECKING

from automation.errors import BusinessError, ConfigError, ExitCode, TracesctlError
from flows.cli_account import (
    cmd_accounts_reset_password,
    cmd_devices_list,
    cmd_devices_remove,
    cmd_enroll_app,
    cmd_enroll_passkey,
    cmd_signup,
)
from flows.cli_common import MAILBOX_CHOICES, environment, remember_environment, signed_in_page, signing_in

if TYPE_CHECKING:
    from datetime import datetime

    from automation.cancel import Interrupted
    from automation.config import Settings



def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="tracesctl",
        description="Drive EU Login and TRACES NT: create an EU Login account, register a second factor, sign in, "
        "keep accounts alive, request operator access, approve users, check the guide against the UI; and run the "
        "offline portal that stands in for both.",
    )
    parser.add_argument("--env-file", type=Path, default=Path(".env"),
                        help="read settings from this file (default: .env, when it exists)")
    parser.add_argument("--accounts", type=Path, help="accounts file (default: $TRACESCTL_ACCOUNTS or accounts.toml)")
    parser.add_argument("--base-url", help="portal base URL (default: $TRACESCTL_BASE_URL or the real portals)")
    parser.add_argument("--headed", action="store_true", help="show the browser window")
    commands = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")

    login = commands.add_parser("login", help="sign in to TRACES NT and report where it landed")
    login.add_argument("--account", help="account name from the accounts file (needed when it has several)")
    login.add_argument("--ignore-hold", action="store_true",
                       help="try an account on hold anyway (asks a person at a terminal to confirm: a wrong "
                       "password counts towards EU Login's five)")
    login.set_defaults(run=cmd_login)

    enroll = commands.add_parser("enroll", help="register a second factor for an account")
    enroll_kinds = enroll.add_subparsers(dest="kind", required=True, metavar="KIND")
    passkey = enroll_kinds.add_parser("passkey", help="register a passkey (virtual authenticator) in My Account")
    passkey.add_argument("--account", help="account name from the accounts file")
    passkey.add_argument("--name", default="tracesctl", help="name the key gets in EU Login (default: tracesctl)")
    passkey.add_argument("--force", action="store_true", help="replace an existing passkey file")
    passkey.add_argument("--apply", action="store_true", help="register the key (default: dry run, fill the name)")
    passkey.set_defaults(run=cmd_enroll_passkey)
    app = enroll_kinds.add_parser(
        "app", help="register the EU Login app on a phone: the QR code shown and saved, then a wait for the phone",
        description="Signs in to EU Login, opens My account > Manage my mobile devices > Add a mobile device, "
        "fills the device name and the 4-digit PIN the person will type in the app, presses Submit, saves the QR "
        "code as PNG and draws it in the terminal, then waits (with a countdown) until the app has scanned it. "
        "Nothing is submitted without --apply.",
    )
    app.add_argument("--account", help="account name from the accounts file")
    app.add_argument("--name", default="tracesctl", help="the device's name in EU Login (default: tracesctl)")
    app.add_argument("--pin-env", metavar="VAR", help="read the 4-digit PIN from this variable (default: ask twice)")
    app.add_argument("--qr-file", type=Path, metavar="PNG",
                     help="where to save the QR code (default: $TRACESCTL_HOME/qr/ACCOUNT.png, mode 0600)")
    app.add_argument("--wait", type=float, default=300, metavar="SECONDS",
                     help="how long to wait for the phone (default: 300; EU Login's code may expire sooner)")
    app.add_argument("--apply", action="store_true", help="submit (default: dry run, fill the form only)")
    app.set_defaults(run=cmd_enroll_app)

    devices = commands.add_parser("devices", help="the account's EU Login app devices: list them, remove one")
    devices_commands = devices.add_subparsers(dest="action", required=True, metavar="ACTION")
    listing = devices_commands.add_parser("list", help="the devices registered in My account")
    listing.add_argument("--account", help="account name from the accounts file")
    listing.set_defaults(run=cmd_devices_list)
    removing = devices_commands.add_parser(
        "remove", help="remove a device (a lost phone) so that it can no longer approve sign-ins")
    removing.add_argument("device", help="the device's name, as `devices list` shows it")
    removing.add_argument("--account", help="account name from the accounts file")
    removing.add_argument("--apply", action="store_true", help="remove it (default: dry run, check it is there)")
    removing.set_defaults(run=cmd_devices_remove)

    signup = commands.add_parser(
        "signup", help="create an EU Login account: the form, the captcha (a person), the e-mail, the password",
        description="Fills EU Login's Create an account form, hands the captcha to a person (the headed browser "
        "with --headed, or the image saved to a file; the code is typed at the prompt), presses Create an account, "
        "waits for the verification e-mail, follows its link and sets a generated password that meets EU Login's "
        "rule. The password goes to the account's password file (--account), to --password-file, or is printed "
        "once. Nothing is submitted without --apply.",
    )
    signup.add_argument("--first-name", required=True)
    signup.add_argument("--last-name", required=True)
    signup.add_argument("--email", required=True)
    signup.add_argument("--language", choices=("sv", "en"), default="sv",
                        help="language of EU Login's e-mails and screens (default: sv)")
    where = signup.add_mutually_exclusive_group()
    where.add_argument("--account", help="store the password where this account of the accounts file says")
    where.add_argument("--password-file", type=Path, metavar="FILE", help="store the password in FILE (mode 0600)")
    signup.add_argument("--password-env", metavar="VAR",
                        help="use the password in this variable instead of generating one (checked against the rule)")
    signup.add_argument("--mailbox", choices=MAILBOX_CHOICES, default=None,
                        help="where the e-mail is read: imap (TRACESCTL_IMAP_*), prompt (a person pastes the link) "
                        "or offline-portal; default imap when TRACESCTL_IMAP_HOST is set, else prompt")
    signup.add_argument("--captcha", choices=("prompt", "offline-portal"), default="prompt",
                        help="who reads the captcha: a person (default) or the offline portal's control API")
    signup.add_argument("--apply", action="store_true", help="submit (default: dry run, fill the form only)")
    signup.set_defaults(run=cmd_signup)

    keepalive = commands.add_parser(
        "keepalive", help="sign each account in to TRACES and out again, so it never goes inactive",
        description="For each account: sign in to TRACES (home page reached), sign out, record the outcome in "
        "the ledger. A refused password or second factor puts the account on hold: no later run tries it until "
        "`tracesctl accounts release NAME`.",
    )
    keepalive.add_argument("--account", action="append", metavar="NAME",
                           help="only this account (repeatable; default: every account)")
    keepalive.add_argument("--due", action="store_true",
                           help="only accounts whose last successful sign-in is older than their interval")
    keepalive.add_argument("--parallel", type=int, default=1, metavar="N",
                           help="sign N accounts in at once, each in its own browser context (default: 1)")
    keepalive.add_argument("--json", action="store_true", help="print the results as JSON")
    keepalive.add_argument("--notify", metavar="URL",
                           help="apprise URL: a short message when an account is held, failing or near inactivity")
    keepalive.add_argument("--warn-days", type=int, default=None, metavar="N",
                           help="near inactivity = N days or fewer left (default: $TRACESCTL_WARN_DAYS or 14)")
    keepalive.set_defaults(run=cmd_keepalive)

    accounts = commands.add_parser("accounts", help="the accounts' keep-alive status, and holds")
    accounts_commands = accounts.add_subparsers(dest="action", required=True, metavar="ACTION")
    status = accounts_commands.add_parser(
        "status", help="last success, days left before inactivity, holds; non-zero exit when something needs a person"
    )
    status.add_argument("--json", action="store_true", help="print the status as JSON")
    status.add_argument("--warn-days", type=int, default=None, metavar="N",
                        help="flag accounts with N days or fewer left (default: $TRACESCTL_WARN_DAYS or 14)")
    status.set_defaults(run=cmd_accounts_status)
    reset = accounts_commands.add_parser(
        "reset-password", help="reset the EU Login password by e-mail (also unblocks it) and release the hold",
        description="Asks EU Login for the password e-mail, follows its link, sets a generated password that "
        "meets the rule, stores it in a 0600 file (the account's password_file, else "
        "$TRACESCTL_HOME/passwords/NAME.txt) and releases the account's keep-alive hold.",
    )
    reset.add_argument("name", help="account name")
    reset.add_argument("--apply", action="store_true",
                       help="ask for the e-mail and set the password (default: dry run, nothing sent)")
    reset.add_argument("--mailbox", choices=MAILBOX_CHOICES, default=None,
                       help="where the e-mail is read: imap (TRACESCTL_IMAP_*), prompt (a person pastes the link) "
                       "or offline-portal; default imap when TRACESCTL_IMAP_HOST is set, else prompt")
    reset.set_defaults(run=cmd_accounts_reset_password)
    history = accounts_commands.add_parser("history", help="every sign-in attempt the ledger recorded, oldest first")
    history.add_argument("--account", metavar="NAME", help="only this account's")
    history.add_argument("--since", metavar="DATE", help="only attempts on or after DATE (YYYY-MM-DD or ISO 8601)")
    history.add_argument("--json", action="store_true", help="print the attempts as JSON")
    history.set_defaults(run=cmd_accounts_history)
    picture = accounts_commands.add_parser(
        "report", help="keep-alive at a glance: sign-ins per account, the inactivity line, holds, days left",
        description="Draws one row per account of the accounts file: a dot per sign-in attempt coloured by its "
        "outcome, the four months from the last success to the inactivity date, holds, and the days left as bars. "
        "HTML (the picture, the status table, the facts as JSON), PNG or SVG, by the file's extension. Reads the "
        "ledger only.",
    )
    picture.add_argument("--out", type=Path, required=True, metavar="FILE",
                         help="where to write it: FILE.html, FILE.png or FILE.svg")
    picture.add_argument("--warn-days", type=int, default=None, metavar="N",
                         help="flag accounts with N days or fewer left (default: $TRACESCTL_WARN_DAYS or 14)")
    picture.set_defaults(run=cmd_accounts_report)
    release = accounts_commands.add_parser("release", help="release an account's hold so keep-alive tries it again")
    release.add_argument("name", help="account name")
    release.set_defaults(run=cmd_accounts_release)

    access = commands.add_parser(
        "request-access", help="get the TRACES operator role for a company: request authorisation or create it",
        description="Signs in, goes to the operator search (first sign-in, or Edit Your Profile > Request new "
        "role), finds the company by organisation number and name, and plans: request authorisation on it, or "
        "create it. Nothing is submitted without --apply.",
    )
    access.add_argument("--account", help="account name from the accounts file (needed when it has several)")
    access.add_argument("--operator", required=True, type=Path, metavar="FILE",
                        help="company file (TOML): name, organisation_number, street, postal_code, city, phone, email")
    access.add_argument("--role", choices=("exporter", "cargo"), default="exporter",
                        help="exporter (plant health: EURPO, or EUPO when created) or cargo (responsible for "
                        "the load); default exporter")
    access.add_argument("--create-if-missing", action="store_true",
                        help="create the operator when TRACES does not have it")
    access.add_argument("--apply", action="store_true", help="submit (default: dry run, print the plan)")
    access.set_defaults(run=cmd_request_access)

    approve = commands.add_parser(
        "approve", help="approve pending TRACES user requests by policy, make administrators, unsuspend users",
        description="Lists every pending request of the operators the account administers and the policy's "
        "decision for it. With --apply: open the user, act, save, read the page again to verify; every change "
        "goes to the audit trail. Users the policy does not name are left pending and never touched.",
    )
    approve.add_argument("--account", help="the administrator's account name from the accounts file")
    approve.add_argument("--policy", required=True, type=Path, metavar="FILE", help="approval policy (TOML)")
    approve.add_argument("--apply", action="store_true", help="act (default: dry run, print the decisions)")
    approve.add_argument("--limit", type=int, metavar="N", help="act on at most N decisions this run")
    approve.add_argument("--json", action="store_true", help="print the decisions as JSON")
    approve.set_defaults(run=cmd_approve)

    audit = commands.add_parser("audit", help="export the audit trail of every change made in a portal")
    audit.add_argument("--since", metavar="DATE", help="only entries on or after DATE (YYYY-MM-DD or ISO 8601)")
    audit.add_argument("--format", choices=("csv", "json"), default="csv", help="output format (default: csv)")
    audit.set_defaults(run=cmd_audit)

    check = commands.add_parser(
        "guide-check", help="walk the guide against the UI, read-only, and report what drifted",
        description="Signs in and walks every checkable step of the guide without submitting anything, "
        "checking each label is on its screen as what the guide says. Guide drift: the UI no longer shows the "
        "guide's text (the nearest label is suggested). Toolkit drift: the catalogue's locator finds nothing.",
    )
    check.add_argument("--guide", type=Path, help="guide file (default: the 2025-03-18 guide in guides/)")
    check.add_argument("--account", help="account name from the accounts file (needed when it has several)")
    check.add_argument("--locale", choices=("sv", "en"), help="language of the UI to check (default: the guide's)")
    check.add_argument("--report", type=Path, metavar="DIR", help="write JSON, JUnit XML and HTML (+ screenshots) here")
    check.set_defaults(run=cmd_guide_check)

    portal = commands.add_parser(
        "portal", help="learn from a live run: capture the screens (scrubbed), compare with the offline portal")
    portal_commands = portal.add_subparsers(dest="action", required=True, metavar="ACTION")
    capture = portal_commands.add_parser(
        "capture", help="sign in and record the screens the toolkit knows, read-only, scrubbed of personal data",
        description="Takes the guide check's read-only walk (nothing is submitted) and writes, per screen, the URL "
        "path, title, ARIA snapshot, the structure of its controls, buttons and links, and which catalogue "
        "entries were found. Personal data and secrets are replaced by placeholders before anything is written.",
    )
    capture.add_argument("--account", help="account name from the accounts file (needed when it has several)")
    capture.add_argument("--out", type=Path, metavar="FILE",
                         help="where to write the capture (default: portal-capture-DATE-TIME.json here)")
    capture.add_argument("--locale", choices=("sv", "en"), help="language of the UI (default: the account's)")
    capture.add_argument("--also-scrub", action="append", default=[], metavar="TEXT",
                         help="also replace this text (your name, your company's name); repeatable")
    capture.set_defaults(run=cmd_portal_capture)
    compare = portal_commands.add_parser(
        "compare", help="capture the offline portal's same screens and print how CAPTURE differs",
        description="Serves the offline portal in-process, captures it signed in as a seeded administrator, and "
        "prints per screen the controls missing, extra, renamed (nearest name) or with other ids or names, and "
        "the catalogue entries the differences break. Exit 23 when anything differs.",
    )
    compare.add_argument("capture", type=Path, metavar="CAPTURE", help="a file written by `portal capture`")
    compare.add_argument("--locale", choices=("sv", "en"), help="language of the offline portal (default: the "
                         "capture's)")
    compare.add_argument("--json", action="store_true", help="print the differences as JSON")
    compare.set_defaults(run=cmd_portal_compare)

    guide = commands.add_parser("guide", help="new editions of a guide: import a draft, diff two editions")
    guide_commands = guide.add_subparsers(dest="action", required=True, metavar="ACTION")
    importer = guide_commands.add_parser("import", help="draft a guide file from a PDF or its extracted text")
    importer.add_argument("file", type=Path, help="the guide as PDF, or as extracted text")
    importer.add_argument("--out", type=Path, help="where to write the draft (default: print it)")
    importer.add_argument("--force", action="store_true", help="replace an unreviewed draft (never a reviewed guide)")
    importer.set_defaults(run=cmd_guide_import)
    differ = guide_commands.add_parser("diff", help="steps and labels added, removed or reworded between editions")
    differ.add_argument("old", type=Path)
    differ.add_argument("new", type=Path)
    differ.add_argument("--json", action="store_true", help="print the changes as JSON")
    differ.set_defaults(run=cmd_guide_diff)

    demo = commands.add_parser(
        "demo", help="the main journey against the offline portal: a new account, its app, every second factor")
    demo.set_defaults(run=cmd_demo)

    stub = commands.add_parser("stub", help="serve the offline portal (loopback only) until interrupted")
    stub.add_argument("--host", default="127.0.0.1", help="loopback address to bind (default: 127.0.0.1)")
    stub.add_argument("--port", type=int, default=8700, help="port (default: 8700; 0 picks a free one)")
    stub.add_argument("--drift", action="append", default=[], metavar="KEY=NEW_LABEL",
                      help="rename a label of the portal (KEY from automation/stub/i18n.py, optionally sv:KEY or "
                      "en:KEY), to rehearse the guide check; repeatable")
    stub.set_defaults(run=cmd_stub)
    return parser


def load_settings(args: argparse.Namespace) -> Settings:
    from dotenv import load_dotenv

    from automation import log
    from automation.config import Settings, check_display

    if args.env_file.is_file():
        load_dotenv(args.env_file, override=False)
    elif args.env_file.exists() or args.env_file != Path(".env"):
        raise ConfigError(f"env file {args.env_file} not found or not a file")
    # Flags win over the environment; they are merged here, never written back into os.environ.
    flags = {"TRACESCTL_ACCOUNTS": str(args.accounts) if args.accounts else None,
             "TRACESCTL_BASE_URL": args.base_url, "TRACESCTL_HEADED": "1" if args.headed else None}
    environ = {**os.environ, **{name: value for name, value in flags.items() if value is not None}}
    settings = Settings.from_env(environ)
    # The command line's own check (a library caller may have a display of its own): before any browser.
    check_display(settings.headed and settings.browser_ws_endpoint is None, environ)
    remember_environment(environ)
    log.configure(settings.log_format, settings.log_level)
    return settings


def cmd_login(args: argparse.Namespace, settings: Settings) -> int:
    from automation.secrets import redact

    account, password, factor = signing_in(settings, args.account, ignore_hold=args.ignore_hold)

    from flows.signin import sign_in_to_traces

    with signed_in_page(settings, account) as page:
        result = sign_in_to_traces(page, settings, account, password, factor)
        how = "single sign-on" if result.single_sign_on else factor.method
        print(f"{account.name}: signed in to TRACES as {account.email} ({how}, {result.seconds:.1f} s); "
              f"landed on {redact(page.url)}")
    return 0


def warn_days(args: argparse.Namespace, settings: Settings) -> int:
    from automation.config import WARN_DAYS_RANGE, bounded

    return settings.warn_days if args.warn_days is None else bounded("--warn-days", args.warn_days, WARN_DAYS_RANGE)


def cmd_keepalive(args: argparse.Namespace, settings: Settings) -> int:
    from automation.config import load_accounts, select_accounts
    from flows.keepalive import KeepAlive, account_status, run_exit_code
    from flows.report import notify_keepalive, print_keepalive

    if not 1 <= args.parallel <= 64:
        raise ConfigError(f"--parallel must be between 1 and 64, not {args.parallel}")
    threshold = warn_days(args, settings)
    notifier = None
    if args.notify:
        from automation.notify import check_notify_url

        notifier = check_notify_url(args.notify)
    chosen = select_accounts(load_accounts(settings), args.account)
    keepalive = KeepAlive(settings, environment())
    results = keepalive.run(chosen, due_only=args.due, parallel=args.parallel)
    statuses = account_status(keepalive.ledger, chosen, keepalive.now())
    print_keepalive(results, as_json=args.json)
    if notifier is not None:
        notify_keepalive(notifier, results, statuses, threshold)
    return run_exit_code(results)


def cmd_accounts_status(args: argparse.Namespace, settings: Settings) -> int:
    from automation.config import load_accounts
    from automation.ledger import Ledger, utc_now
    from flows.keepalive import account_status
    from flows.report import print_status, status_exit_code

    threshold = warn_days(args, settings)
    statuses = account_status(Ledger.in_home(settings.home), list(load_accounts(settings).values()), utc_now())
    print_status(statuses, threshold, as_json=args.json)
    return status_exit_code(statuses, threshold)


def parse_since(value: str | None) -> datetime | None:
    """--since: a date (midnight UTC) or an ISO 8601 time; a time without a zone is UTC."""
    from datetime import UTC, datetime

    if not value:
        return None
    try:
        since = datetime.fromisoformat(value)
    except ValueError:
        raise ConfigError(f"--since must be a date (YYYY-MM-DD) or ISO 8601 time, not {value!r}") from None
    return since if since.tzinfo else since.replace(tzinfo=UTC)


def cmd_accounts_history(args: argparse.Namespace, settings: Settings) -> int:
    import json

    from automation.ledger import Ledger
    from flows.accounts_report import history, history_json
    from flows.report import table

    records = history(Ledger.in_home(settings.home), args.account, parse_since(args.since))
    if args.json:
        print(json.dumps(history_json(records), indent=2, ensure_ascii=False))
    elif records:
        print(table(("when (UTC)", "account", "method", "outcome", "seconds", "detail"),
                    [(f"{r.at:%Y-%m-%d %H:%M}", r.account, r.method, r.outcome, f"{r.duration_s:.1f}", r.detail)
                     for r in records]))
    else:
        print("no sign-in recorded" + (f" for {args.account}" if args.account else "")
              + (f" since {args.since}" if args.since else ""))
    return 0


def cmd_accounts_report(args: argparse.Namespace, settings: Settings) -> int:
    from automation.config import load_accounts
    from automation.ledger import Ledger, utc_now
    from flows.accounts_report import FORMATS, account_rows, write_report
    from flows.report import status_table

    if args.out.suffix.lower() not in FORMATS:
        raise ConfigError(f"--out must end in {', '.join(FORMATS)}, not {args.out.name!r}")
    threshold = warn_days(args, settings)
    now = utc_now()
    rows = account_rows(Ledger.in_home(settings.home), list(load_accounts(settings).values()), now)
    write_report(args.out, rows, now, threshold, status_table([r.status for r in rows], threshold))
    print(f"keep-alive report of {len(rows)} accounts written to {args.out}")
    return 0


def cmd_accounts_release(args: argparse.Namespace, settings: Settings) -> int:
    from automation.config import load_accounts, select_accounts
    from automation.ledger import Ledger, utc_now

    account = select_accounts(load_accounts(settings), [args.name])[0]
    if Ledger.in_home(settings.home).release_hold(account.identity, utc_now(), account=account.name):
        print(f"{account.name}: hold released ({account.email}); the next keep-alive run will try it again")
    else:
        print(f"{account.name}: {account.email} is not on hold")
    return 0


def cmd_request_access(args: argparse.Namespace, settings: Settings) -> int:
    from automation.company import load_company

    company = load_company(args.operator)
    account, password, factor = signing_in(settings, args.account)

    from automation.ledger import Ledger
    from flows.request_access import RequestAccess

    with signed_in_page(settings, account) as page:
        flow = RequestAccess(page, settings, account, Ledger.in_home(settings.home))
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
    print(f"{account.name}: {result.operator}: {headline}")
    for line in result.plan:
        print(f"  {line}")
    return 0


def cmd_approve(args: argparse.Namespace, settings: Settings) -> int:
    import json
    from dataclasses import asdict

    from automation.policy import load_policy

    if args.limit is not None and not 1 <= args.limit <= 1_000_000:
        raise ConfigError(f"--limit must be 1 or more, not {args.limit}")
    policy = load_policy(args.policy)
    account, password, factor = signing_in(settings, args.account)

    from automation.ledger import Ledger
    from flows.approvals import Approvals, run_exit_code
    from flows.report import table

    with signed_in_page(settings, account) as page:
        flow = Approvals(page, settings, account, Ledger.in_home(settings.home))
        decisions = flow.run(password, factor, policy, args.apply, args.limit)
    if args.json:
        print(json.dumps([asdict(d) for d in decisions], indent=2, ensure_ascii=False))
    else:
        if not args.apply:
            print("DRY RUN: nothing was changed; --apply to act.")
        print(table(("user", "name", "operator", "decision", "outcome"),
                    [(d.email, d.name, d.operator, d.action, d.summary) for d in decisions]))
    return run_exit_code(decisions)


def cmd_audit(args: argparse.Namespace, settings: Settings) -> int:
    import csv
    import json

    from automation.ledger import Ledger

    records = Ledger.in_home(settings.home).audit_trail(parse_since(args.since))
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


def cmd_guide_check(args: argparse.Namespace, settings: Settings) -> int:
    from automation.guide import default_guide, load_guide

    guide = load_guide(args.guide or default_guide())
    account, password, factor = signing_in(settings, args.account)
    locale = args.locale or guide.locale

    from dataclasses import replace

    from flows.guide_check import walk_guide
    from flows.guide_report import RunInfo, exit_code, summary, write_reports

    account = replace(account, locale=locale)
    run = RunInfo.of(settings.base_url, account.email)
    try:
        with signed_in_page(settings, account, locale) as page:
            results, notes, seconds = walk_guide(page, settings, account, password, factor, guide, locale,
                                                 args.report)
    except TracesctlError as error:
        from automation.cancel import cancel_requested

        if isinstance(error, ConfigError | BusinessError) or cancel_requested.is_set():
            raise  # bad input, or a refused sign-in: their own exit codes (a refusal is never retried)
        print(f"tracesctl: guide check could not run: {error}", file=sys.stderr)
        return ExitCode.GUIDE_CHECK_COULD_NOT_RUN
    if args.report:
        write_reports(args.report, guide, locale, results, notes, seconds, run)
    print(summary(results))
    for note in notes:
        print(f"note: {note}")
    return exit_code(results)


def cmd_portal_capture(args: argparse.Namespace, settings: Settings) -> int:
    account, password, factor = signing_in(settings, args.account)
    locale = args.locale or account.locale

    from dataclasses import replace

    from automation.browser import account_page
    from flows.portal_capture import capture_screens, default_capture_path, write_capture

    account = replace(account, locale=locale)
    out = args.out or default_capture_path()
    with account_page(settings, account.name, locale) as page:
        capture = capture_screens(page, settings, account, password, factor, locale, tuple(args.also_scrub))
    write_capture(out, capture)
    missed = len(capture["not_captured"])
    print(f"captured {len(capture['screens'])} screens to {out} ({missed} not captured) in {capture['seconds']} s; "
          "read it before sending: what was scrubbed is in its note")
    return ExitCode.OK


def cmd_portal_compare(args: argparse.Namespace, settings: Settings) -> int:
    from flows.portal_command import capture_offline_portal
    from flows.portal_compare import as_json, as_text, compare_captures, load_capture

    captured = load_capture(args.capture)
    locale = args.locale or str(captured.get("locale") or settings.locale)
    differences = compare_captures(capture_offline_portal(settings, locale), captured)
    print(as_json(differences) if args.json else as_text(differences))
    return ExitCode.CAPTURE_DIFFERS if any(d.differs for d in differences) else ExitCode.OK


def cmd_guide_import(args: argparse.Namespace, settings: Settings) -> int:
    from automation.guide import draft_guide, extract_text, write_draft

    try:
        text = extract_text(args.file)
    except (OSError, UnicodeDecodeError) as exc:
        raise ConfigError(f"cannot read {args.file}: {exc}") from None
    draft = draft_guide(text, args.file.name)
    if args.out:
        write_draft(args.out, draft, args.force)
        print(f"draft written to {args.out}: review each step, then set reviewed = true")
    else:
        print(draft)
    return 0


def cmd_guide_diff(args: argparse.Namespace, settings: Settings) -> int:
    from automation.guide import guide_changes, load_guide

    changes = guide_changes(load_guide(args.old), load_guide(args.new))
    if args.json:
        import json
        from dataclasses import asdict

        print(json.dumps([asdict(c) for c in changes], indent=2, ensure_ascii=False))
    else:
        print("\n".join(c.line for c in changes) if changes else "no differences")
    return ExitCode.GUIDES_DIFFER if changes else ExitCode.OK


def cmd_demo(args: argparse.Namespace, settings: Settings) -> int:
    from automation import log
    from flows.portal_command import require_portal_extra

    require_portal_extra("tracesctl demo")
    from flows.demo import run_demo

    if "TRACESCTL_LOG_LEVEL" not in environment():
        log.configure(settings.log_format, "warning")  # the summary table is the demo's output

    return run_demo(settings)


def cmd_stub(args: argparse.Namespace, settings: Settings) -> int:
    from flows.portal_command import serve_offline_portal

    return serve_offline_portal(args.host, args.port, args.drift)


def main(argv: Sequence[str] | None = None) -> int:
    from automation.cancel import interruptible

    parser = build_parser()
    args = parser.parse_args(argv)
    run: Callable[[argparse.Namespace, Settings], int] = args.run
    with interruptible():
        return run_command(run, args)


def run_command(run: Callable[[argparse.Namespace, Settings], int], args: argparse.Namespace) -> int:
    """Run one command; map what ends it to its exit code and one line on stderr."""
    from automation.cancel import Interrupted, cancel_requested, interruption

    try:
        try:
            settings = load_settings(args)
            prune_old_artifacts(settings)
            return run(args, settings)
        finally:
            sys.stdout.flush()  # a closed pipe shows here, inside the handlers below
    except BrokenPipeError:
        return quiet_after_broken_pipe()
    except Interrupted as exc:
        return report_interrupted(exc)
    except KeyboardInterrupt:
        return report_interrupted(interruption())
    except TracesctlError as exc:
        if cancel_requested.is_set():  # the browser closed under the flow: the signal is the cause
            return report_interrupted(interruption_behind(exc))
        from automation.secrets import redact

        print(f"tracesctl: {type(exc).__name__}: {redact(str(exc))}", file=sys.stderr)
        return exc.exit_code
    except Exception as exc:
        if cancel_requested.is_set():  # e.g. Playwright's TargetClosedError while a signal unwinds the flow
            return report_interrupted(interruption_behind(exc))
        raise


def interruption_behind(error: BaseException) -> Interrupted:
    """The Interrupted a clean-up error replaced (a `finally` closing a browser the signal killed),
    with what it said was left undone; else a new one."""
    from automation.cancel import Interrupted, interruption

    seen: BaseException | None = error
    while seen is not None:
        if isinstance(seen, Interrupted):
            return seen
        seen = seen.__context__
    return interruption()


def report_interrupted(exc: Interrupted) -> int:
    undone = exc.undone or "the command stopped before it finished; nothing after that point was done"
    print(f"tracesctl: interrupted ({exc.signal_name}): {undone}", file=sys.stderr)
    return exc.exit_code


def quiet_after_broken_pipe() -> int:
    """The reader closed stdout (`| head`): end quietly and successfully, as `git log | head` does.
    Python's docs (signal, "Note on SIGPIPE"): point stdout at devnull so the interpreter's final
    flush does not fail again."""
    try:
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
    except (OSError, ValueError):  # stdout without a file descriptor (a test's capture): nothing to redirect
        pass
    return ExitCode.OK


def prune_old_artifacts(settings: Settings) -> None:
    from automation.artifacts import prune_artifacts

    prune_artifacts(settings.artifacts_dir, settings.artifacts_keep_days)


def entry() -> None:
    """The `tracesctl` program: main()'s exit code for the shell."""
    code = main()
    if code in (ExitCode.INTERRUPTED, ExitCode.TERMINATED):
        # Every browser, driver and worker thread has been closed and joined by now. When the
        # signal also reached Playwright's driver (Ctrl-C goes to the whole process group), the
        # interpreter's final teardown of the workers' greenlets and event loops can crash (SIGSEGV,
        # "malloc(): unsorted double linked list corrupted"), turning a clean stop into 139 or 134:
        # there is nothing left to tear down, so skip it.
        sys.stdout.flush()
        sys.stderr.flush()
        os._exit(code)
    sys.exit(code)


if __name__ == "__main__":
    entry()
