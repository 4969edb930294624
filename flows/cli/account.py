"""The EU Login account commands (guide A, B, I2): signup, enroll passkey and app, devices,
accounts reset-password. Each imports Playwright only when it runs."""

from __future__ import annotations

import sys
from pathlib import Path
from typing import TYPE_CHECKING

import click

from automation.errors import ConfigError
from automation.terminal import shown
from flows.cli.common import (
    MAILBOX_CHOICES,
    account_to_sign_in,
    chosen_mailbox,
    environment,
    need_a_person,
    pick_account,
    signed_in_page,
)
from flows.cli.options import shared_options
from flows.cli.run import account_option, complete_account, print_json, with_settings

if TYPE_CHECKING:
    from automation.config import AccountConfig, Settings
    from automation.secrets import Secret


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


# The command line of these commands (flows/cli/main.py adds them to the group).

ACCOUNT = account_option()


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
@with_settings
def enroll_passkey(settings: Settings, *, account_name: str | None, name: str, force: bool, apply: bool) -> int:
    account = account_to_sign_in(settings, account_name)
    if account.passkey_source is not None:
        # Its passkey_file is only the sign counter's: a credential saved there would put a private
        # key in a file nobody expects one in, and the source would still give the old credential.
        raise ConfigError(f"account {account.name!r} reads its passkey from {account.passkey_source.where}: enroll "
                          "with passkey_file set (or none), then store that file's content where the source reads it")
    password = account.password(environment())
    if account.passkey_file.exists() and not force:
        raise ConfigError(f"passkey file {account.passkey_file} exists; use --force to replace it")
    # Read before any browser starts: a key source that fails is bad input, found before EU Login.
    file_key = account.passkey_file_key.read(environment()) if account.passkey_file_key is not None else None

    from flows.jobs.enroll import enroll_passkey

    with signed_in_page(settings, account) as page:
        credential = enroll_passkey(page, settings, account, password, name, apply, file_key)
    if credential is None:
        print(f"{account.name}: DRY RUN (nothing registered; --apply to register): would add the passkey "
              f"{name!r} in EU Login and save it to {account.passkey_file}")
        return 0
    how = "mode 0600, encrypted with the key from " + account.passkey_file_key.where if account.passkey_file_key \
        else "mode 0600"
    print(f"{account.name}: passkey registered in EU Login and saved to {account.passkey_file} ({how})")
    return 0


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
@with_settings
def enroll_app(
        settings: Settings, *, account_name: str | None, name: str, pin_env: str | None, qr_file: Path | None,
        wait: float, apply: bool
) -> int:
    import math

    from automation.config import under_home

    account = account_to_sign_in(settings, account_name)
    password = account.password(environment())
    name = name.strip()
    if not name or len(name) > 100 or not name.isprintable():
        raise ConfigError("--name must be 1-100 printable characters")
    if not math.isfinite(wait) or not 0 < wait <= 3600:
        raise ConfigError(f"--wait must be more than 0 and at most 3600 seconds, not {wait}")
    pin = read_pin(pin_env) if apply else None
    qr_file = qr_file or under_home(settings.home, "qr", f"{account.name}.png")

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
                            show_seconds, wait, apply, registered_device)
    if sys.stderr.isatty():
        print(file=sys.stderr)
    if result.outcome == EnrolmentOutcome.PLANNED:
        print(f"{account.name}: DRY RUN (nothing submitted; --apply to submit): would add the mobile device "
              f"{name!r} in EU Login and show its QR code")
        return 0
    print(f"{account.name}: mobile device {name!r} registered in EU Login; sign-ins can now use "
          f"factor = \"app-pin\" (approve in the app) or \"app-qr\"")
    return 0


@click.group("devices", help="the account's EU Login app devices: list them, remove one")
@shared_options
def devices() -> None:
    pass


@devices.command("list", help="the devices registered in My account")
@ACCOUNT
@click.option("--json", "as_json", is_flag=True, help="print the devices as JSON")
@shared_options
@with_settings
def devices_list(settings: Settings, *, account_name: str | None, as_json: bool) -> int:
    account = account_to_sign_in(settings, account_name)
    password = account.password(environment())

    from flows.jobs.devices import list_devices

    with signed_in_page(settings, account) as page:
        names = list_devices(page, settings, account, password)
    if as_json:
        print_json({"account": account.name, "devices": names})  # in My account's order
        return 0
    print("\n".join(shown(n) for n in names) if names else f"{account.name}: no mobile device")
    return 0


@devices.command("remove", help="remove a device (a lost phone) so that it can no longer approve sign-ins")
@click.argument("device")
@ACCOUNT
@click.option("--apply/--dry-run", default=False, help="remove it (default: dry run, check it is there)")
@shared_options
@with_settings
def devices_remove(settings: Settings, *, device: str, account_name: str | None, apply: bool) -> int:
    account = account_to_sign_in(settings, account_name)
    password = account.password(environment())

    from flows.jobs.devices import remove_device

    with signed_in_page(settings, account) as page:
        left = remove_device(page, settings, account, password, device, apply)
    if not apply:
        print(f"{account.name}: DRY RUN (nothing removed; --apply to remove): would remove {device!r}")
    else:
        print(f"{account.name}: {device!r} removed; devices left: {shown(', '.join(left)) or 'none'}")
    return 0


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
@click.option("--account", "account_name", help="store the password where this account of the accounts file says",
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
@click.option("--json", "as_json", is_flag=True, help="print the result as JSON")
@shared_options
@with_settings
def signup(
        settings: Settings, *, first_name: str, last_name: str, email: str, language: str, account_name: str | None,
        password_file: Path | None, password_env: str | None, mailbox: str | None, captcha: str, apply: bool,
        as_json: bool
) -> int:
    if account_name and password_file:
        raise click.UsageError("--account and --password-file cannot be used together")
    from automation.files import write_private
    from automation.passwords import checked_password, generate_password
    from automation.secrets import Secret
    from flows.jobs.reset_password import stored_password_file
    from flows.jobs.signup import NewPerson, OfflinePortalCaptcha, PromptCaptcha

    person = NewPerson.checked(first_name, last_name, email, language)
    target: Path | None = password_file
    account: AccountConfig | None = None
    if account_name:
        account = pick_account(settings, account_name)
        if account.email.lower() != person.email:
            raise ConfigError(f"account {account.name!r} has the e-mail {account.email}, not {person.email}")
        target = stored_password_file(settings, account)
    if target is not None and target.exists():
        raise ConfigError(f"{target} exists already: move it away first (it may hold a password in use)")
    if password_env:
        from automation.secrets import register_variable

        register_variable(password_env)
        password = checked_password(Secret(environment().get(password_env, "")))
    else:
        password = generate_password()
    inbox = chosen_mailbox(settings, mailbox, apply=apply)
    if captcha == "prompt" and apply:
        need_a_person("reading the captcha")
    reader = (OfflinePortalCaptcha(settings.base_url) if captcha == "offline-portal"
              else PromptCaptcha(settings.home / "captcha.png"))

    from automation.browser import account_page
    from flows.jobs.signup import SignupOutcome, sign_up

    def keep(new_password: Secret) -> None:
        if password_env:
            return  # the person chose it and has it
        if target is not None:
            write_private(target, new_password.reveal() + "\n")
        else:
            print(f"EU Login password for {person.email} (shown once; store it now): {new_password.reveal()}",
                  flush=True)

    with account_page(settings, "signup", person.language) as page:
        result = sign_up(page, settings, person, reader, inbox, password, keep, apply)
    if as_json:
        print_json({"email": person.email, "outcome": result.outcome,
                    "password_file": str(target) if target and not password_env else None})
        return 0
    if result.outcome == SignupOutcome.PLANNED:
        print(f"{person.email}: DRY RUN (nothing submitted; --apply to submit): would create the EU Login account "
              f"and {'store its password in ' + str(target) if target else 'print its password once'}")
        return 0
    where = f"; password stored in {target} (mode 0600)" if target and not password_env else ""
    print(f"{person.email}: EU Login account created{where}. Next: tracesctl enroll app (guide B)")
    if account is not None and account.password_file is None and not password_env:
        print(f"  the account reads its password from ${account.password_env}: put it there, "
              f"or set password_file = \"{target}\" in the accounts file")
    return 0
