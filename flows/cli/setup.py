"""A guided start: `init` writes the two files a newcomer fills in, `doctor` says what is not ready."""

from __future__ import annotations

import json
import os
from importlib.resources import files
from pathlib import Path
from typing import TYPE_CHECKING

import click

from automation.terminal import shown
from flows.cli.options import Outcome, shared_options
from flows.cli.output import say_last
from flows.cli.run import ENV_FILE_NAMES, LOADED_ENV_FILE, shared_given, with_settings

if TYPE_CHECKING:
    from automation.config import Settings
    from flows.jobs.doctor import Finding

INIT_FILES = (("accounts.toml", "accounts.toml", 0o600), ("env", ".env", 0o600))


@click.command("init", short_help="write a commented accounts.toml and .env (0600) to fill in",
               help="Write a commented accounts.toml and a .env (mode 0600) to fill in, in the current "
               "folder or --dir. Existing files are left alone unless --force. Then: fill them in and run "
               "`tracesctl doctor`.")
@click.option("--dir", "directory", type=click.Path(path_type=Path, file_okay=False), default=Path("."),
              help="where to write them (default: the current folder; ~/.config/tracesctl is also read)")
@click.option("--force", is_flag=True, help="overwrite files that exist")
def init(directory: Path, force: bool) -> Outcome:
    # No shared options and no settings: a newcomer's first command must not need either.
    if not directory.is_dir():
        say_last("error", f"{directory} is not a folder (--dir must name one that exists)", 2)
        return Outcome(2)
    targets = [(source, directory / name, mode) for source, name, mode in INIT_FILES]
    existing = [str(target) for _, target, _ in targets if target.exists() or target.is_symlink()]
    if existing and not force:
        say_last("error", f"{', '.join(existing)} already exist(s); nothing written (--force overwrites)", 2)
        return Outcome(2)
    for source, target, mode in targets:
        text = files("flows.cli").joinpath("templates", "init", source).read_text(encoding="utf-8")
        if target.is_symlink():
            target.unlink()  # never write through a link someone left there
        fd = os.open(target, os.O_WRONLY | os.O_CREAT | os.O_TRUNC | os.O_NOFOLLOW, mode)
        with os.fdopen(fd, "w", encoding="utf-8") as out:
            out.write(text)
        os.chmod(target, mode)  # O_CREAT's mode is only for new files
        print(f"wrote {target} (mode {mode:o})")
    print("next: put your e-mail in accounts.toml and your password in .env, then run `tracesctl doctor`;\n"
          "to rehearse offline first: `tracesctl stub --print-accounts` shows ready-made ones")
    return Outcome(0)


@click.command("doctor", short_help="check the setup, read-only: settings and their sources, accounts, secrets, "
               "Chromium, the portal",
               help="Check the setup, read-only: each setting and where it came from (flag, environment, .env, "
               "default), the accounts file, each account's secrets (present or not, never shown) and factor "
               "files, the home and the ledger (with every hold and the command that releases it), Chromium or the "
               "Playwright servers, and the base URL. --probe also opens EU Login's sign-in page and reports the "
               "variants it shows (labels, method chooser, cookie names), typing and submitting nothing. Exit 0 when "
               "all is well, else the code of what to fix first (2 setup, 14 ledger, 7 network, 16/3/5/6 a hold).")
@click.option("--probe", is_flag=True, help="also look at the portal's sign-in page (read-only)")
@click.option("--no-browser", is_flag=True, help="do not start Chromium (the check of the browser is skipped)")
@click.option("--json", "as_json", is_flag=True, help="print the findings as JSON")
@shared_options
@with_settings
def doctor(settings: Settings, *, probe: bool, no_browser: bool, as_json: bool) -> int:
    from flows.cli.common import environment
    from flows.jobs import doctor as checks

    environ = environment()
    shared = shared_given()
    flags = {name for name, given in (("TRACESCTL_BASE_URL", shared.base_url), ("TRACESCTL_ACCOUNTS", shared.accounts),
                                      ("TRACESCTL_HEADED", shared.headed)) if given}
    findings: list[Finding] = []
    env_file = LOADED_ENV_FILE[0] if LOADED_ENV_FILE else None
    findings += checks.env_file_findings(env_file or shared.env_file, env_file is not None)
    findings += checks.setting_sources(settings, os.environ, dict.fromkeys(flags), ENV_FILE_NAMES)
    accounts, account_findings = checks.account_findings(settings, environ)
    findings += account_findings
    findings += checks.home_findings(settings)
    findings += checks.ledger_findings(settings, accounts)
    if not no_browser:
        findings += checks.browser_findings(settings)
    findings += checks.portal_findings(settings)
    if probe:
        from flows.jobs.doctor_probe import probe_findings

        findings += probe_findings(settings)
    code = checks.doctor_exit_code(findings)
    if as_json:
        print(json.dumps({"ok": code == 0, "exit_code": code, "findings": [f.as_json() for f in findings]},
                         indent=2, ensure_ascii=False))
    else:
        print_findings(findings, code)
    return code


MARKS = {"ok": "ok  ", "warn": "WARN", "fail": "FAIL"}


def print_findings(findings: list[Finding], code: int) -> None:
    area = ""
    for finding in findings:
        if finding.area != area:
            area = finding.area
            print(area)
        print(f"  {MARKS[finding.status]}  {finding.what}: {shown(finding.detail)}")
    failed = [f for f in findings if f.status == "fail"]
    if failed:
        print(f"{len(failed)} problem(s); fix the first one first (exit {code})")
    else:
        print("all is well" + (" (with warnings)" if any(f.status == "warn" for f in findings) else ""))
