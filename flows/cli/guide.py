"""The guide and the portals' screens: guide-check, guide import and diff, portal capture and compare;
the demo and the offline portal."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Any

import click

from automation.errors import BusinessError, ConfigError, ExitCode, TracesctlError
from automation.terminal import json_shown, shown, shown_lines
from flows.cli.common import environment, progress_display, signed_in_page, signing_in
from flows.cli.options import shared_options
from flows.cli.output import say_last
from flows.cli.run import complete_account, shared_given, with_settings

if TYPE_CHECKING:
    from automation.config import Settings

LOCALE = click.Choice(("sv", "en"))


@click.command("guide-check", short_help="walk the guide against the UI, read-only, and report what drifted",
               help="Signs in and walks every checkable step of the guide without submitting anything, checking "
               "each label is on its screen as what the guide says. Guide drift: the UI no longer shows the guide's "
               "text (the nearest label is suggested). Toolkit drift: the catalogue's locator finds nothing.")
@click.option("--guide", type=click.Path(path_type=Path), help="guide file (default: the 2025-03-18 guide in guides/)")
@click.option("--account", "account_name", help="account name from the accounts file (needed when it has several)",
              shell_complete=complete_account)
@click.option("--locale", type=LOCALE, help="language of the UI to check (default: the guide's)")
@click.option("--report", type=click.Path(path_type=Path), metavar="DIR",
              help="write JSON, JUnit XML and HTML (+ screenshots) here")
@shared_options
@click.option("--baseline", type=click.Path(path_type=Path), metavar="FILE",
              help="accepted drifts (written by --update-baseline): reported, but they do not fail the check; a new "
              "or changed drift still does")
@click.option("--update-baseline", type=click.Path(path_type=Path), metavar="FILE",
              help="write this run's drifts to FILE as the accepted ones (review it before you commit it)")
@with_settings
def guide_check(
        settings: Settings, *, guide: Path | None, account_name: str | None, locale: str | None, report: Path | None,
        baseline: Path | None, update_baseline: Path | None
) -> int:
    from automation.guide import default_guide, load_guide

    walked = load_guide(guide or default_guide())
    if report:  # checked now: the walk takes minutes, and its reports are written after it
        from automation.files import check_output_folder

        check_output_folder(report, "--report")
    from flows.reports.guide_baseline import load_baseline

    accepted = load_baseline(baseline) if baseline else set()  # a bad file: exit 2 before the walk
    if update_baseline:
        from automation.files import check_output_file

        check_output_file(update_baseline, "--update-baseline")
    account, password, factor = signing_in(settings, account_name)
    locale = locale or walked.locale

    from dataclasses import replace

    from flows.jobs.guide_check import walk_guide
    from flows.reports.guide import RunInfo, exit_code, summary
    from flows.reports.guide_html import write_reports

    account = replace(account, locale=locale)
    run = RunInfo.of(settings.base_url, account.email)
    progress = progress_display("guide-check", as_json=False)
    try:
        with signed_in_page(settings, account, locale) as page:
            results, notes, seconds = walk_guide(page, settings, account, password, factor, walked, locale,
                                                 report, progress=progress)
    except TracesctlError as error:
        from automation.cancel import cancel_requested

        if isinstance(error, ConfigError | BusinessError) or cancel_requested.is_set():
            raise  # bad input, or a refused sign-in: their own exit codes (a refusal is never retried)
        say_last("guide check could not run", str(error), ExitCode.GUIDE_CHECK_COULD_NOT_RUN)
        return ExitCode.GUIDE_CHECK_COULD_NOT_RUN
    from flows.reports.guide_baseline import apply_baseline, write_baseline

    if update_baseline:
        written = write_baseline(update_baseline, walked.edition, results)
        print(f"baseline: {written} drift(s) written to {update_baseline} as accepted")
    accepted_now = apply_baseline(results, accepted) if accepted else 0
    if report:
        write_reports(report, walked, locale, results, notes, seconds, run)
    print(shown_lines(summary(results, verbose=shared_given().verbose > 0)))
    for note in notes:
        print(f"note: {shown(note)}")
    if accepted_now:
        print(f"baseline: {accepted_now} drift(s) accepted by {baseline}")
    if report:
        print(f"report: {report / 'guide-check.html'} (also guide-check.json and guide-check.junit.xml)")
    return exit_code(results)


@click.group("portal", help="learn from a live run: capture the screens (scrubbed), compare with the offline portal")
@shared_options
def portal() -> None:
    pass


@portal.command("capture", short_help="sign in and record the screens the toolkit knows, read-only, scrubbed",
                help="Takes the guide check's read-only walk (nothing is submitted) and writes, per screen, the URL "
                "path, title, ARIA snapshot, the structure of its controls, buttons and links, and which catalogue "
                "entries were found. Personal data and secrets are replaced by placeholders before anything is "
                "written.")
@click.option("--account", "account_name", help="account name from the accounts file (needed when it has several)",
              shell_complete=complete_account)
@click.option("--out", type=click.Path(path_type=Path), metavar="FILE",
              help="where to write the capture (default: portal-capture-DATE-TIME.json here)")
@click.option("--locale", type=LOCALE, help="language of the UI (default: the account's)")
@click.option("--also-scrub", multiple=True, metavar="TEXT",
              help="also replace this text (your name, your company's name); repeatable")
@shared_options
@with_settings
def portal_capture(
        settings: Settings, *, account_name: str | None, out: Path | None, locale: str | None,
        also_scrub: tuple[str, ...]
) -> int:
    if out:  # checked now, not after the walk
        from automation.files import check_output_file

        check_output_file(out, "--out")
    account, password, factor = signing_in(settings, account_name)
    locale = locale or account.locale

    from dataclasses import replace

    from flows.jobs.portal_capture import capture_screens, default_capture_path, write_capture

    account = replace(account, locale=locale)
    out = out or default_capture_path()
    with signed_in_page(settings, account, locale) as page:  # the identity's lock, and its hold kept
        capture = capture_screens(page, settings, account, password, factor, locale, tuple(also_scrub))
    write_capture(out, capture)
    missed = len(capture["not_captured"])
    print(f"captured {len(capture['screens'])} screens to {out} ({missed} not captured) in {capture['seconds']} s; "
          "read it before sending: what was scrubbed is in its note")
    return ExitCode.OK


@portal.command("compare", short_help="capture the offline portal's same screens and print how CAPTURE differs",
                help="Serves the offline portal in-process, captures it signed in as a seeded administrator, and "
                "prints per screen the controls missing, extra, renamed (nearest name) or with other ids or names, "
                "and the catalogue entries the differences break. Exit 23 when anything differs.")
@click.argument("capture", type=click.Path(path_type=Path), metavar="CAPTURE")
@click.option("--locale", type=LOCALE, help="language of the offline portal (default: the capture's)")
@click.option("--json", "as_json", is_flag=True, help="print the differences as JSON")
@shared_options
@with_settings
def portal_compare(settings: Settings, *, capture: Path, locale: str | None, as_json: bool) -> int:
    from flows.cli.stub import capture_offline_portal
    from flows.reports.portal_compare import as_json as json_differences
    from flows.reports.portal_compare import as_text, compare_captures, load_capture

    captured = load_capture(capture)
    locale = locale or str(captured.get("locale") or settings.locale)
    differences = compare_captures(capture_offline_portal(settings, locale), captured)
    print(json_shown(json_differences(differences)) if as_json else shown_lines(as_text(differences)))
    return ExitCode.CAPTURE_DIFFERS if any(d.differs for d in differences) else ExitCode.OK


@click.group("guide", help="new editions of a guide: import a draft, diff two editions")
@shared_options
def guide() -> None:
    pass


@guide.command("import", help="draft a guide file from a PDF or its extracted text")
@click.argument("file", type=click.Path(path_type=Path))
@click.option("--out", type=click.Path(path_type=Path), help="where to write the draft (default: print it)")
@click.option("--force", is_flag=True, help="replace an unreviewed draft (never a reviewed guide)")
@shared_options
@with_settings
def guide_import(settings: Settings, *, file: Path, out: Path | None, force: bool) -> int:
    from automation.guide import draft_guide, extract_text, write_draft

    try:
        text = extract_text(file)
    except (OSError, UnicodeDecodeError) as exc:
        raise ConfigError(f"cannot read {file}: {exc}") from None
    draft = draft_guide(text, file.name)
    if out:
        write_draft(out, draft, force)
        print(f"draft written to {out}: review each step, then set reviewed = true")
    else:
        print(draft)
    return 0


@guide.command("diff", help="steps and labels added, removed or reworded between editions, in guide order; "
               "exit 1 when they differ, as diff does")
@click.argument("old", type=click.Path(path_type=Path))
@click.argument("new", type=click.Path(path_type=Path))
@click.option("--json", "as_json", is_flag=True, help="print the changes as JSON")
@shared_options
@with_settings
def guide_diff(settings: Settings, *, old: Path, new: Path, as_json: bool) -> int:
    from automation.guide import guide_changes, load_guide

    changes = guide_changes(load_guide(old), load_guide(new))
    if as_json:
        import json
        from dataclasses import asdict

        print(json.dumps([asdict(c) for c in changes], indent=2, ensure_ascii=False))
    else:
        print("\n".join(shown(c.line) for c in changes) if changes else "no differences")
    return ExitCode.GUIDES_DIFFER if changes else ExitCode.OK


@click.command("demo", help="the main journey against the offline portal: a new account, its app, every second factor")
@shared_options
@with_settings
def demo(settings: Settings) -> int:
    from automation import log
    from flows.cli.stub import require_portal_extra

    require_portal_extra("tracesctl demo")
    from flows.cli.demo import run_demo

    if "TRACESCTL_LOG_LEVEL" not in environment():
        log.configure(settings.log_format, "warning")  # the summary table is the demo's output

    return run_demo(settings)


class PresetChoice(click.Choice[str]):
    """`--preset newest|older`; the control API's own name, newest_official, is still taken (older scripts)."""

    def convert(self, value: Any, param: click.Parameter | None, ctx: click.Context | None) -> Any:
        return super().convert("newest" if value == "newest_official" else value, param, ctx)


class StubCommand(click.Command):
    """`stub --help` ends with the variants, read from the offline portal when the help is shown (the
    portal is an extra, and loading it for every command would slow them all)."""

    def format_epilog(self, ctx: click.Context, formatter: click.HelpFormatter) -> None:
        super().format_epilog(ctx, formatter)
        from importlib.util import find_spec

        from flows.cli.stub import PORTAL_MODULES, variant_lines

        with formatter.section("Variants (--variant NAME=VALUE: its values, the default and the older setting)"):
            if all(find_spec(name) is not None for name in PORTAL_MODULES):
                formatter.write_text("\b\n" + "\n".join(variant_lines()))
            else:
                formatter.write_text("the offline portal is not installed: pip install 'tracesctl[portal]'")


@click.command("stub", cls=StubCommand, help="serve the offline portal (loopback only) until interrupted")
@click.option("--host", default="127.0.0.1", help="loopback address to bind (default: 127.0.0.1)")
@click.option("--port", type=int, default=8700, help="port (default: 8700; 0 picks a free one)")
@click.option("--drift", multiple=True, metavar="KEY=NEW_LABEL",
              help="rename a label of the portal (KEY from automation/stub/i18n.py, optionally sv:KEY or en:KEY), "
              "to rehearse the guide check; repeatable")
@click.option("--preset", type=PresetChoice(("newest", "older")), default=None,
              help="the screens as the newest official sources draw them (newest, the default) or as older ones "
              "did (older: the guide's pictures)")
@click.option("--variant", "variants", multiple=True, metavar="NAME=VALUE",
              help="one screen's variant, over the preset (repeatable); --list-variants lists them")
@click.option("--list-variants", is_flag=True, help="list every variant with the values it takes, then exit")
@click.option("--print-accounts", is_flag=True,
              help="print the shell lines and an accounts file for the seeded accounts, and write their passkey "
              "files, then exit (serves nothing)")
@click.option("--passkeys-dir", type=click.Path(file_okay=False, path_type=Path), default=None,
              help="with --print-accounts: the folder for the seeded accounts' passkey files (0700, files 0600; "
              "default: TRACESCTL_HOME/passkeys)")
@shared_options
@with_settings
def stub(
        settings: Settings, *, host: str, port: int, drift: tuple[str, ...], preset: str | None,
        variants: tuple[str, ...], list_variants: bool, print_accounts: bool, passkeys_dir: Path | None
) -> int:
    from flows.cli.stub import (
        chosen_variants,
        print_seeded_accounts,
        print_variants,
        require_portal_extra,
        serve_offline_portal,
    )

    require_portal_extra("tracesctl stub")
    if list_variants:
        return print_variants()
    if print_accounts:
        return print_seeded_accounts(port or 8700, passkeys_dir or settings.home / "passkeys")
    return serve_offline_portal(host, port, list(drift), chosen_variants(preset, list(variants)))


