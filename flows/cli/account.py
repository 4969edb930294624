"""The EU Login account commands (guide A, B, I2): signup, enroll passkey and app, devices,
accounts reset-password. Each imports Playwright only when it runs."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path
from typing import TYPE_CHECKING, Any

import click

from automation.errors import ConfigError
from automation.terminal import shown
from flows.cli.common import (
    MAILBOX_CHOICES,
    account_to_sign_in,
    chosen_mailbox,
    environment,
    identity_locked,
    need_a_person,
    pick_account,
    signed_in_page,
)
from flows.cli.run import Outcome, complete_account, invoke, print_json, shared_options

if TYPE_CHECKING:
    from automation.config import AccountConfig, Settings
    from automation.secrets import Secret


def cmd_enroll_passkey(args: argparse.Namespace, settings: Settings) -> int:
    account = account_to_sign_in(settings, args.account)
    if account.passkey_source is not None:
        # Its passkey_file is only the sign counter's: a credential saved there would put a private
        # key in a file nobody expects one in, and the source would still give the old credential.
        raise ConfigError(f"account {account.name!r} reads its passkey from {account.passkey_source.where}: enroll "
                          "with passkey_file set (or none), then store that file's content where the source reads it")
    password = account.password(environment())
    if account.passkey_file.exists() and not args.force:
        raise ConfigError(f"passkey file {account.passkey_file} exists; use --force to replace it")
    # Read before any browser starts: a key source that fails is bad input, found before EU Login.
    file_key = account.passkey_file_key.read(environment()) if account.passkey_file_key is not None else None

    from flows.jobs.enroll import enroll_passkey

    with signed_in_page(settings, account) as page:
        credential = enroll_passkey(page, settings, account, password, args.name, args.apply, file_key)
    if credential is None:
        print(f"{account.name}: DRY RUN (nothing registered; --apply to register): would add the passkey "
              f"{args.name!r} in EU Login and save it to {account.passkey_file}")
        return 0
    how = "mode 0600, encrypted with the key from " + account.passkey_file_key.where if account.passkey_file_key \
        else "mode 0600"
    print(f"{account.name}: passkey registered in EU Login and saved to {account.passkey_file} ({how})")
    return 0


def read_pin(variable: str | None) -> Secret:
    """The 4-digit PIN the person will type in the app: from a variable, or asked twice."""
    import getpass
    import re

    from automation.secrets import Secret

    if variable:
        from automation.secrets import register_variable

        register_variable(variable)
        pin = environment().get(variable, "")
    else:
        need_a_person("choosing the PIN (or use --pin-env)")
        pin = getpass.getpass("Choose the 4-digit PIN for the EU Login app: ")
        if getpass.getpass("The PIN again: ") != pin:
            raise ConfigError("the two PINs are not the same")
    # ASCII digits only: \d also matches full-width and Arabic-Indic digits, which the app's keypad
    # does not have (the PIN could never be typed there).
    if not re.fullmatch(r"[0-9]{4}", pin):
        raise ConfigError(f"the PIN{' in $' + variable if variable else ''} must be exactly 4 digits")
    return Secret(pin)


def cmd_enroll_app(args: argparse.Namespace, settings: Settings) -> int:
    import math

    from automation.config import under_home

    account = account_to_sign_in(settings, args.account)
    password = account.password(environment())
    name = args.name.strip()
    if not name or len(name) > 100 or not name.isprintable():
        raise ConfigError("--name must be 1-100 printable characters")
    if not math.isfinite(args.wait) or not 0 < args.wait <= 3600:
        raise ConfigError(f"--wait must be more than 0 and at most 3600 seconds, not {args.wait}")
    pin = read_pin(args.pin_env) if args.apply else None
    qr_file = args.qr_file or under_home(settings.home, "qr", f"{account.name}.png")

    from automation.factors import build_factor
    from automation.factors.app import print_countdown
    from flows.jobs.enroll import EnrolmentOutcome, enroll_app
    from flows.reports.keepalive import draw_qr

    def show_qr(modules: list[list[bool]]) -> None:
        print(f"Scan this QR code with the EU Login app (also saved to {qr_file}), then type the PIN in the app:")
        print(draw_qr(modules), flush=True)

    def show_seconds(left: int) -> None:
        print_countdown(left, "Waiting for the EU Login app")

    # With a device registered, EU Login wants it before adding another (EC-APP): the account's own app
    # factor when it has one, else enroll_app waits for an approval on the registered phone.
    registered_device = build_factor(account, environment()) if account.factor in ("app-pin", "app-qr") else None
    with signed_in_page(settings, account) as page:
        result = enroll_app(page, settings, account, password, name, pin, qr_file, show_qr,
                            show_seconds, args.wait, args.apply, registered_device)
    if sys.stderr.isatty():
        print(file=sys.stderr)
    if result.outcome == EnrolmentOutcome.PLANNED:
        print(f"{account.name}: DRY RUN (nothing submitted; --apply to submit): would add the mobile device "
              f"{name!r} in EU Login and show its QR code")
        return 0
    print(f"{account.name}: mobile device {name!r} registered in EU Login; sign-ins can now use "
          f"factor = \"app-pin\" (approve in the app) or \"app-qr\"")
    return 0


def cmd_devices_list(args: argparse.Namespace, settings: Settings) -> int:
    account = account_to_sign_in(settings, args.account)
    password = account.password(environment())

    from flows.jobs.devices import list_devices

    with signed_in_page(settings, account) as page:
        names = list_devices(page, settings, account, password)
    if args.json:
        print_json({"account": account.name, "devices": names})  # in My account's order
        return 0
    print("\n".join(shown(n) for n in names) if names else f"{account.name}: no mobile device")
    return 0


def cmd_devices_remove(args: argparse.Namespace, settings: Settings) -> int:
    account = account_to_sign_in(settings, args.account)
    password = account.password(environment())

    from flows.jobs.devices import remove_device

    with signed_in_page(settings, account) as page:
        left = remove_device(page, settings, account, password, args.device, args.apply)
    if not args.apply:
        print(f"{account.name}: DRY RUN (nothing removed; --apply to remove): would remove {args.device!r}")
    else:
        print(f"{account.name}: {args.device!r} removed; devices left: {shown(', '.join(left)) or 'none'}")
    return 0


def cmd_signup(args: argparse.Namespace, settings: Settings) -> int:
    from automation.files import write_private
    from automation.passwords import checked_password, generate_password
    from automation.secrets import Secret
    from flows.jobs.reset_password import stored_password_file
    from flows.jobs.signup import NewPerson, OfflinePortalCaptcha, PromptCaptcha

    person = NewPerson.checked(args.first_name, args.last_name, args.email, args.language)
    target: Path | None = args.password_file
    account: AccountConfig | None = None
    if args.account:
        account = pick_account(settings, args.account)
        if account.email.lower() != person.email:
            raise ConfigError(f"account {account.name!r} has the e-mail {account.email}, not {person.email}")
        target = stored_password_file(settings, account)
    if target is not None and target.exists():
        raise ConfigError(f"{target} exists already: move it away first (it may hold a password in use)")
    if args.password_env:
        from automation.secrets import register_variable

        register_variable(args.password_env)
        password = checked_password(Secret(environment().get(args.password_env, "")))
    else:
        password = generate_password()
    mailbox = chosen_mailbox(args, settings)
    if args.captcha == "prompt" and args.apply:
        need_a_person("reading the captcha")
    captcha = (OfflinePortalCaptcha(settings.base_url) if args.captcha == "offline-portal"
               else PromptCaptcha(settings.home / "captcha.png"))

    from automation.browser import account_page
    from flows.jobs.signup import SignupOutcome, sign_up

    def keep(new_password: Secret) -> None:
        if args.password_env:
            return  # the person chose it and has it
        if target is not None:
            write_private(target, new_password.reveal() + "\n")
        else:
            print(f"EU Login password for {person.email} (shown once; store it now): {new_password.reveal()}",
                  flush=True)

    with account_page(settings, "signup", person.language) as page:
        result = sign_up(page, settings, person, captcha, mailbox, password, keep, args.apply)
    if args.json:
        print_json({"email": person.email, "outcome": result.outcome,
                    "password_file": str(target) if target and not args.password_env else None})
        return 0
    if result.outcome == SignupOutcome.PLANNED:
        print(f"{person.email}: DRY RUN (nothing submitted; --apply to submit): would create the EU Login account "
              f"and {'store its password in ' + str(target) if target else 'print its password once'}")
        return 0
    where = f"; password stored in {target} (mode 0600)" if target and not args.password_env else ""
    print(f"{person.email}: EU Login account created{where}. Next: tracesctl enroll app (guide B)")
    if account is not None and account.password_file is None and not args.password_env:
        print(f"  the account reads its password from ${account.password_env}: put it there, "
              f"or set password_file = \"{target}\" in the accounts file")
    return 0


def cmd_accounts_reset_password(args: argparse.Namespace, settings: Settings) -> int:
    from automation.config import load_accounts, select_accounts
    from automation.ledger import Ledger

    accounts = load_accounts(settings)
    account = select_accounts(accounts, [args.name])[0]
    same_identity = [other for other in accounts.values() if other.identity == account.identity]
    mailbox = chosen_mailbox(args, settings)

    from automation.browser import account_page
    from flows.jobs.reset_password import reset_password, stored_password_file

    with identity_locked(settings, account), account_page(settings, account.name, account.locale) as page:
        stored = reset_password(page, settings, account, mailbox, Ledger.open(settings), args.apply,
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


# The command line of these commands (flows/cli/main.py adds them to the group).

ACCOUNT = click.option("--account", help="account name from the accounts file (needed when it has several)",
                       shell_complete=complete_account)


@click.group("enroll", help="register a second factor for an account")
@shared_options
def enroll() -> None:
    pass


@enroll.command("passkey", help="register a passkey (virtual authenticator) in My Account")
@ACCOUNT
@click.option("--name", default="tracesctl", help="name the key gets in EU Login (default: tracesctl)")
@click.option("--force", is_flag=True, help="replace an existing passkey file")
@click.option("--apply/--dry-run", default=False, help="register the key (default: dry run, fill the name)")
@shared_options
def enroll_passkey(**params: Any) -> Outcome:
    return invoke(cmd_enroll_passkey, params)


@enroll.command("app", short_help="register the EU Login app on a phone: the QR code shown and saved, then a wait",
                help="Signs in to EU Login, opens My account > Manage my mobile devices > Add a mobile device, fills "
                "the device name and the 4-digit PIN the person will type in the app, presses Submit, saves the QR "
                "code as PNG and draws it in the terminal, then waits (with a countdown) until the app has scanned "
                "it. Nothing is submitted without --apply.")
@ACCOUNT
@click.option("--name", default="tracesctl", help="the device's name in EU Login (default: tracesctl)")
@click.option("--pin-env", metavar="VAR", help="read the 4-digit PIN from this variable (default: ask twice)")
@click.option("--qr-file", type=click.Path(path_type=Path), metavar="PNG",
              help="where to save the QR code (default: $TRACESCTL_HOME/qr/ACCOUNT.png, mode 0600)")
@click.option("--wait", type=float, default=300, metavar="SECONDS",
              help="how long to wait for the phone (default: 300; EU Login's code may expire sooner)")
@click.option("--apply/--dry-run", default=False, help="submit (default: dry run, fill the form only)")
@shared_options
def enroll_app(**params: Any) -> Outcome:
    return invoke(cmd_enroll_app, params)


@click.group("devices", help="the account's EU Login app devices: list them, remove one")
@shared_options
def devices() -> None:
    pass


@devices.command("list", help="the devices registered in My account")
@ACCOUNT
@click.option("--json", is_flag=True, help="print the devices as JSON")
@shared_options
def devices_list(**params: Any) -> Outcome:
    return invoke(cmd_devices_list, params)


@devices.command("remove", help="remove a device (a lost phone) so that it can no longer approve sign-ins")
@click.argument("device")
@ACCOUNT
@click.option("--apply/--dry-run", default=False, help="remove it (default: dry run, check it is there)")
@shared_options
def devices_remove(**params: Any) -> Outcome:
    return invoke(cmd_devices_remove, params)


@click.command("signup", short_help="create an EU Login account: the form, the captcha (a person), the e-mail, "
               "the password",
               help="Fills EU Login's Create an account form, hands the captcha to a person (the headed browser with "
               "--headed, or the image saved to a file; the code is typed at the prompt), presses Create an account, "
               "waits for the verification e-mail, follows its link and sets a generated password that meets EU "
               "Login's rule. The password goes to the account's password file (--account), to --password-file, or "
               "is printed once. Nothing is submitted without --apply.")
@click.option("--first-name", required=True, help="the person's first name")
@click.option("--last-name", required=True, help="the person's last name")
@click.option("--email", required=True, help="the person's e-mail address (the EU Login identity)")
@click.option("--language", type=click.Choice(("sv", "en")), default="sv",
              help="language of EU Login's e-mails and screens (default: sv)")
@click.option("--account", help="store the password where this account of the accounts file says",
              shell_complete=complete_account)
@click.option("--password-file", type=click.Path(path_type=Path), metavar="FILE",
              help="store the password in FILE (mode 0600)")
@click.option("--password-env", metavar="VAR",
              help="use the password in this variable instead of generating one (checked against the rule)")
@click.option("--mailbox", type=click.Choice(MAILBOX_CHOICES), default=None,
              help="where the e-mail is read: imap (TRACESCTL_IMAP_*), prompt (a person pastes the link) or "
              "offline-portal; default imap when TRACESCTL_IMAP_HOST is set, else prompt")
@click.option("--captcha", type=click.Choice(("prompt", "offline-portal")), default="prompt",
              help="who reads the captcha: a person (default) or the offline portal's control API")
@click.option("--apply/--dry-run", default=False, help="submit (default: dry run, fill the form only)")
@click.option("--json", is_flag=True, help="print the result as JSON")
@shared_options
def signup(**params: Any) -> Outcome:
    if params["account"] and params["password_file"]:
        raise click.UsageError("--account and --password-file cannot be used together")
    return invoke(cmd_signup, params)
