"""keepalive and accounts: keep every account alive, and what the ledger knows about them."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

import click

from automation.errors import ConfigError
from flows.cli.common import chosen_mailbox, environment, identity_locked
from flows.cli.metrics import MetricsWanted, metrics_options
from flows.cli.options import shared_options
from flows.cli.run import columns_option, complete_account, parse_since, with_settings
from flows.reports.table import HISTORY_COLUMNS, HOLDS_COLUMNS, KEEPALIVE_COLUMNS, STATUS_COLUMNS

if TYPE_CHECKING:
    from automation.config import Settings
    from flows.jobs.keepalive_result import Result

from flows.cli.common import MAILBOX_CHOICES  # noqa: E402

WARN = click.option("--warn-days", type=int, default=None, metavar="N",
                    help="near inactivity = N days or fewer left (default: $TRACESCTL_WARN_DAYS or 14)")


@click.command("keepalive", help="For each account: sign in to TRACES (home page reached), sign out, record the "
               "outcome in the ledger. A refused password or second factor puts the account on hold: no later run "
               "tries it until `tracesctl accounts release NAME`.",
               short_help="sign each account in to TRACES and out again, so it never goes inactive")
@click.option("--account", "account_name", multiple=True, metavar="NAME",
              help="only this account (repeatable; default: every account)", shell_complete=complete_account)
@click.option("--due", is_flag=True, help="only accounts whose last successful sign-in is older than their interval")
@click.option("--parallel", type=int, default=1, metavar="N",
              help="sign N accounts in at once, each in its own browser context (default: 1)")
@click.option("--json", "as_json", is_flag=True, help="print the results as JSON")
@click.option("--strict", is_flag=True, help="stop before any browser starts when any account's secrets or settings "
              "are wrong (default: a 'misconfigured' row for each, exit 2, and the others are signed in)")
@click.option("--shard", metavar="I/N", help="only this process's share of the accounts, by a stable hash of the "
              "name (default: $TRACESCTL_SHARD, or JOB_COMPLETION_INDEX with $TRACESCTL_SHARD_COUNT; else all)")
@click.option("--notify", metavar="URL",
              help="apprise URL: a short message when an account is held, failing or near inactivity")
@WARN
@columns_option(KEEPALIVE_COLUMNS)
@metrics_options
@shared_options
@with_settings
def keepalive(
        settings: Settings, *, account_name: tuple[str, ...], due: bool, parallel: int, as_json: bool, strict: bool,
        shard: str | None, notify: str | None, warn_days: int | None, columns: tuple[str, ...] | None,
        metrics: MetricsWanted
) -> int:
    only = list(account_name)  # none given: every account
    from automation.config import load_accounts, load_accounts_each, select_accounts
    from automation.holds import adopt_legacy_holds
    from flows.jobs.keepalive import KeepAlive, account_status
    from flows.jobs.keepalive_result import run_exit_code
    from flows.reports.keepalive import notify_keepalive, print_keepalive

    if not 1 <= parallel <= 64:
        raise ConfigError(f"--parallel must be between 1 and 64, not {parallel}")
    metrics.check()
    threshold = warn_threshold(settings, warn_days)
    notifier = None
    if notify:
        from automation.notify import check_notify_url

        notifier = check_notify_url(notify)
    from automation.config import shard_from_env
    from automation.shards import in_shard, shard_of

    share = shard_from_env({"TRACESCTL_SHARD": shard}) if shard else settings.shard
    every_account, bad_tables = (load_accounts(settings), {}) if strict else load_accounts_each(settings)
    unknown = [name for name in only if name not in every_account and name not in bad_tables]
    if unknown:
        select_accounts(every_account, unknown)  # the usual message naming the known ones, exit 2
    wanted_names = only or [*every_account, *bad_tables]
    chosen = in_shard([every_account[n] for n in wanted_names if n in every_account], share)
    keepalive = KeepAlive(settings, environment())
    adopt_legacy_holds(keepalive.ledger, every_account.values())  # an old hold under any name holds its e-mail
    from flows.cli.common import progress_display

    # Serial only: with --parallel the workers sign in at once and finish in any order.
    progress = progress_display("keepalive", as_json=as_json) if parallel == 1 else None
    ran = {r.account: r for r in keepalive.run(chosen, due_only=due, parallel=parallel,
                                                 strict=strict, progress=progress)}
    # An account whose table the accounts file gets wrong is a row too, where the file has it.
    results = [ran[name] if name in ran else misconfigured_table(name, bad_tables[name])
               for name in dict.fromkeys(wanted_names)
               if name in ran or (name in bad_tables and (share is None or shard_of(name, share[1]) == share[0]))]
    statuses = account_status(keepalive.ledger, chosen, keepalive.now())
    print_keepalive(results, as_json=as_json, columns=columns)
    if notifier is not None:
        notify_keepalive(notifier, results, statuses, threshold)
    code = run_exit_code(results)
    if metrics:
        from automation.metrics import AccountFacts

        run_metrics = metrics.new("keepalive")
        ran = {r.account: r for r in results}
        run_metrics.accounts(AccountFacts(s.account, s.email, s.last_success, s.days_left, s.hold_kind,
                                      ran[s.account].outcome if s.account in ran else None,
                                      ran[s.account].seconds if s.account in ran else None) for s in statuses)
        metrics.export(run_metrics, code)
    return code


@click.group("accounts", help="the accounts' keep-alive status, and holds")
@shared_options
def accounts() -> None:
    pass


@accounts.command("status", short_help="last success, days left before inactivity, holds; non-zero exit when "
                  "something needs a person",
                  help="Per account: last success, days left before inactivity, hold. When an account is held, exit "
                  "with the hold's code (3 refused, 16 unconfirmed, 5 inactive, 6 suspended), else 8 when one is near "
                  "inactivity.")
@click.option("--json", "as_json", is_flag=True, help="print the status as JSON")
@WARN
@columns_option(STATUS_COLUMNS)
@metrics_options
@shared_options
@with_settings
def accounts_status(
        settings: Settings, *, as_json: bool, warn_days: int | None, columns: tuple[str, ...] | None,
        metrics: MetricsWanted
) -> int:
    from automation.config import load_accounts
    from automation.ledger import Ledger, utc_now
    from flows.jobs.keepalive import account_status
    from flows.reports.keepalive import print_status, status_exit_code

    threshold = warn_threshold(settings, warn_days)
    metrics.check()
    statuses = account_status(Ledger.for_reading(settings), list(load_accounts(settings).values()), utc_now())
    print_status(statuses, threshold, as_json=as_json, columns=columns)
    code = status_exit_code(statuses, threshold)
    if metrics:
        from automation.metrics import AccountFacts

        run_metrics = metrics.new("status")
        run_metrics.accounts(AccountFacts(s.account, s.email, s.last_success, s.days_left, s.hold_kind, s.last_outcome)
                         for s in statuses)
        metrics.export(run_metrics, code)
    return code


@accounts.command("reset-password", short_help="reset the EU Login password by e-mail (also unblocks it) and "
                  "release the hold",
                  help="Asks EU Login for the password e-mail, follows its link, sets a generated password that "
                  "meets the rule, stores it in a 0600 file (the account's password_file, else "
                  "$TRACESCTL_HOME/passwords/NAME.txt) and releases the account's keep-alive hold.")
@click.argument("name", shell_complete=complete_account)
@click.option("--apply/--dry-run", default=False,
              help="ask for the e-mail and set the password (default: dry run, nothing sent)")
@click.option("--mailbox", type=click.Choice(MAILBOX_CHOICES), default=None,
              help="where the e-mail is read: imap (TRACESCTL_IMAP_*), prompt (a person pastes the link) or "
              "offline-portal; default imap when TRACESCTL_IMAP_HOST is set, else prompt")
@shared_options
@with_settings
def accounts_reset_password(settings: Settings, *, name: str, apply: bool, mailbox: str | None) -> int:
    from automation.config import load_accounts, select_accounts
    from automation.ledger import Ledger

    accounts = load_accounts(settings)
    account = select_accounts(accounts, [name])[0]
    same_identity = [other for other in accounts.values() if other.identity == account.identity]
    inbox = chosen_mailbox(settings, mailbox, apply=apply)

    from automation.browser import account_page
    from flows.jobs.reset_password import reset_password, stored_password_file

    with identity_locked(settings, account), account_page(settings, account.name, account.locale) as page:
        stored = reset_password(page, settings, account, inbox, Ledger.open(settings), apply,
                                environment(), same_identity)
    if stored is None:
        print(f"{account.name}: DRY RUN (nothing sent; --apply to reset): would ask EU Login for the password "
              f"e-mail to {account.email}, set a new password and store it in "
              f"{stored_password_file(settings, account)}")
        return 0
    from automation.holds import active_hold

    held = active_hold(Ledger.open(settings), account) is not None
    print(f"{account.name}: new EU Login password set and stored in {stored} (mode 0600); "
          + (f"the hold stays until the password source of every account name of {account.email} "
             f"({', '.join(a.name for a in same_identity)}) gives the new password" if held else "no hold on it"))
    source = account.password_source
    if source is not None and source.kind == "keyring":
        print(f"  stored in {source.where} too, where the account reads it")
    elif source is not None:
        # The toolkit cannot write where a command reads (a vault, a cluster's secret): say exactly where.
        print(f"  the account reads its password from {source.where}: store the new password where that "
              f"command reads it (e.g. `vault kv put ... password=@{stored}`, or `kubectl create secret generic "
              f"... --from-file=password={stored}`), then delete {stored}. The hold stays until the command "
              f"gives the new password; the next sign-in with it (`tracesctl login --account {account.name}`) "
              "ends the hold")
    elif account.password_file is None:
        print(f"  the account reads its password from ${account.password_env}: put the new one there, "
              f"or set password_file = \"{stored}\" in the accounts file"
              + (f"; then `tracesctl accounts release {account.name}`" if held else ""))
    return 0


@accounts.command("history", help="every sign-in attempt the ledger recorded, oldest first")
@click.option("--account", "account_name", metavar="NAME", help="only this account's",
              shell_complete=complete_account)
@click.option("--since", metavar="DATE", help="only attempts on or after DATE (YYYY-MM-DD or ISO 8601)")
@click.option("--json", "as_json", is_flag=True, help="print the attempts as JSON")
@columns_option(HISTORY_COLUMNS)
@shared_options
@with_settings
def accounts_history(
        settings: Settings, *, account_name: str | None, since: str | None, as_json: bool,
        columns: tuple[str, ...] | None
) -> int:
    import json

    from automation.ledger import Ledger
    from flows.reports.accounts import history, history_json
    from flows.reports.table import table, when

    records = history(Ledger.for_reading(settings), account_name, parse_since(since))
    if as_json:
        print(json.dumps(history_json(records), indent=2, ensure_ascii=False))
    elif records:
        print(table(HISTORY_COLUMNS, [(when(r.at), r.account, r.method, r.outcome, f"{r.duration_s:.1f}", r.detail)
                                      for r in records], columns=columns))
    else:
        print("no sign-in recorded" + (f" for {account_name}" if account_name else "")
              + (f" since {since}" if since else ""))
    return 0


@accounts.command("holds", help="every hold placed on an account's EU Login identity, oldest first: when, why, "
                  "its kind, and when and by whom it was released (or that it still holds). Password attempts that "
                  "EU Login accepted at once are left out unless --all.")
@click.option("--account", "account_name", metavar="NAME", help="only this account's",
              shell_complete=complete_account)
@click.option("--since", metavar="DATE", help="only holds placed on or after DATE (YYYY-MM-DD or ISO 8601)")
@click.option("--all", "include_confirmed", is_flag=True,
              help="also every password attempt's hold that its success released at once")
@click.option("--json", "as_json", is_flag=True, help="print the holds as JSON")
@columns_option(HOLDS_COLUMNS)
@shared_options
@with_settings
def accounts_holds(
        settings: Settings, *, account_name: str | None, since: str | None, include_confirmed: bool, as_json: bool,
        columns: tuple[str, ...] | None
) -> int:
    import json

    from automation.holds import unlabelled
    from automation.ledger import Ledger
    from flows.reports.table import table, when

    events = Ledger.for_reading(settings).hold_events(parse_since(since), include_confirmed)
    if account_name:
        from automation.config import identity_of, load_accounts, select_accounts

        account = select_accounts(load_accounts(settings), [account_name])[0]
        events = [e for e in events if e.identity == identity_of(account.email) or e.account == account.name]
    if as_json:
        print(json.dumps([{"account": e.account, "kind": e.kind, "reason": e.reason,
                           "placed_at": e.placed_at.isoformat(),
                           "released_at": e.released_at.isoformat() if e.released_at else None,
                           "released_by": e.released_by} for e in events], indent=2, ensure_ascii=False))
        return 0
    print(table(HOLDS_COLUMNS, [(when(e.placed_at), e.account, e.kind, when(e.released_at, missing="still held"),
                                 e.released_by or "", unlabelled(e.kind, e.reason)) for e in events], columns=columns))
    return 0


@accounts.command("report", short_help="keep-alive at a glance: sign-ins per account, the inactivity line, holds",
                  help="Draws one row per account of the accounts file: a dot per sign-in attempt coloured by its "
                  "outcome, the four months from the last success to the inactivity date, holds, and the days left "
                  "as bars. HTML (the picture, the status table, the facts as JSON), PNG or SVG, by the file's "
                  "extension. Reads the ledger only.")
@click.option("--out", type=click.Path(path_type=Path), required=True, metavar="FILE",
              help="where to write it: FILE.html, FILE.png or FILE.svg")
@WARN
@shared_options
@with_settings
def accounts_report(settings: Settings, *, out: Path, warn_days: int | None) -> int:
    from automation.config import load_accounts
    from automation.ledger import Ledger, utc_now
    from flows.reports.accounts import FORMATS, account_rows, write_report
    from flows.reports.keepalive import status_table

    if out.suffix.lower() not in FORMATS:
        raise ConfigError(f"--out must end in {', '.join(FORMATS)}, not {out.name!r}")
    from automation.files import check_output_file

    check_output_file(out, "--out")
    threshold = warn_threshold(settings, warn_days)
    now = utc_now()
    rows = account_rows(Ledger.for_reading(settings), list(load_accounts(settings).values()), now)
    write_report(out, rows, now, threshold, status_table([r.status for r in rows], threshold))
    print(f"keep-alive report of {len(rows)} accounts written to {out}")
    return 0


@accounts.command("release", help="release an account's hold so keep-alive tries it again")
@click.argument("name", shell_complete=complete_account)
@shared_options
@with_settings
def accounts_release(settings: Settings, *, name: str) -> int:
    from automation.config import load_accounts, select_accounts
    from automation.ledger import Ledger, utc_now

    account = select_accounts(load_accounts(settings), [name])[0]
    if Ledger.open(settings).release_hold(account.identity, utc_now(), account=account.name):
        print(f"{account.name}: hold released ({account.email}); the next keep-alive run will try it again")
    else:
        print(f"{account.name}: {account.email} is not on hold")
    return 0


@accounts.command("ack", short_help="acknowledge an inactive or suspended hold: still held, no longer failing the job",
                  help="A person has seen the account's inactive or suspended hold (only TRACES' authority or an "
                  "administrator can fix it): it still holds, but keepalive and accounts status no longer fail on it. "
                  "A new hold, when something changes, fails again. A refused or unconfirmed hold is not "
                  "acknowledged: check the account, then `accounts release`.")
@click.argument("name", shell_complete=complete_account)
@shared_options
@with_settings
def accounts_ack(settings: Settings, *, name: str) -> int:
    from automation.config import load_accounts, select_accounts
    from automation.holds import active_hold, release_command
    from automation.ledger import ACKNOWLEDGEABLE_KINDS, Ledger, utc_now

    account = select_accounts(load_accounts(settings), [name])[0]
    ledger = Ledger.open(settings)
    hold = active_hold(ledger, account)
    if hold is None:
        raise ConfigError(f"{account.name}: {account.email} is not on hold; nothing to acknowledge")
    if hold.kind not in ACKNOWLEDGEABLE_KINDS:
        raise ConfigError(f"{account.name}: a {hold.kind} hold is not acknowledged but checked: check the account "
                          f"by hand, then `{release_command(account)}`")
    ledger.acknowledge_hold(account.identity, utc_now(), account=account.name)
    print(f"{account.name}: {hold.kind} hold acknowledged; it still holds, and no longer fails keepalive or status")
    return 0


def warn_threshold(settings: Settings, given: int | None) -> int:
    """--warn-days as given (checked), else the setting."""
    from automation.config import WARN_DAYS_RANGE, bounded

    return settings.warn_days if given is None else bounded("--warn-days", given, WARN_DAYS_RANGE)


def misconfigured_table(name: str, error: Exception) -> Result:
    from automation.secrets import redact
    from flows.jobs.keepalive_result import Result

    return Result(name, "", "", "misconfigured", redact(str(error)), 0.0, None)


