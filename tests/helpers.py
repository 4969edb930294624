"""Helpers for tests: the control API client, seeded accounts, account settings."""

from __future__ import annotations

import threading
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from automation.config import AccountConfig
from automation.portal_client import PortalClient
from automation.stub.state import seed_accounts

SEEDED = {a.username: a.password for a in seed_accounts(datetime.now(UTC)).values()}


def password_env(email: str) -> str:
    return "PW_" + email.split("@")[0].replace(".", "_").upper()


Portal = PortalClient  # the name the tests have always used for the control API client


def make_account(email: str, factor: str, locale: str = "sv", tmp: Path | None = None, **extra: Any) -> AccountConfig:
    name = email.split("@")[0].replace(".", "-")
    return AccountConfig(
        name=name,
        email=email,
        password_env=password_env(email),
        factor=factor,
        locale=locale,
        passkey_file=(tmp or Path("/nonexistent")) / "passkeys" / f"{name}.json",
        **extra,
    )


def traces_account(email: str, locale: str, tmp: Path, **extra: Any) -> AccountConfig:
    """An account that signs in to TRACES with the passkey the offline portal seeded for `email` (or
    a control-API account created with "seeded_passkey": true): its 0600 file written under `tmp`.
    TRACES takes no password alone (issue 20 section 2); the password step comes first all the same."""
    from flows.jobs.seeded_passkeys import write_seeded_passkey

    account = make_account(email, "passkey", locale, tmp, **extra)
    write_seeded_passkey(email, account.passkey_file)
    return account


def seeded_passkey_file(email: str, tmp: Path) -> Path:
    """The 0600 file of the passkey the offline portal seeded for `email`, under `tmp` (kept if written before)."""
    from flows.jobs.seeded_passkeys import write_seeded_passkey

    path = tmp / "passkeys" / f"{email.split('@')[0].replace('.', '-')}.json"
    write_seeded_passkey(email, path)
    return path


def traces_account_toml(name: str, email: str, tmp: Path, locale: str = "en", extra: str = "",
                        password_var: str | None = None) -> str:
    """An accounts-file table: `name` signs in as `email` (its password in `password_var`, by default
    password_env(email)) with its seeded passkey: the file written under `tmp`, one per e-mail, so
    that accounts of one identity share its sign counter."""
    path = seeded_passkey_file(email, tmp)
    return (f'[accounts.{name}]\nemail = "{email}"\npassword_env = "{password_var or password_env(email)}"\n'
            f'factor = "passkey"\npasskey_file = "{path}"\nlocale = "{locale}"\n{extra}')


PASSKEY_USER = "pia.passkey@vaxtexport.se"
APP_USER = "olle.app@vaxtexport.se"
# The account the older offline portal let into TRACES with the password alone (password_only_allowed);
# under the newest default it needs its seeded passkey there like everyone (traces_account).
PASSWORD_USER = "lars.losen@vaxtexport.se"
INACTIVE_USER = "ingrid.inaktiv@vaxtexport.se"
SUSPENDED_USER = "sven.susp@vaxtexport.se"


def phone_acting(portal: Portal, path: str, body: dict[str, Any], done: str) -> tuple[threading.Thread, list[Any]]:
    """The simulated EU Login app, in a started thread: it posts `body` to the control API's `path`
    until the answer has `done` in it (the API says 404 until there is something to act on, such
    as a pending request or a QR code). The list gets that answer."""
    answers: list[Any] = []

    def act_when_asked() -> None:
        for _ in range(600):
            answer = portal.call(path, body)
            if done in answer:
                answers.append(answer)
                return
            threading.Event().wait(0.1)

    phone = threading.Thread(target=act_when_asked)
    phone.start()
    return phone, answers


def phone_approving(portal: Portal, username: str, pin: str | None = None) -> tuple[threading.Thread, list[Any]]:
    """The phone approves the user's PIN request as soon as one is pending."""
    return phone_acting(portal, "app/approve", {"username": username, **({"pin": pin} if pin else {})}, "approved")


def run_cli(args: list[str]) -> int:
    """`tracesctl ARGS` in process, in a thread of its own: a command that starts a browser refuses to
    in a thread whose event loop pytest-playwright's session-wide sync Playwright holds (any earlier
    test in the same worker that used its `page` fixture). The exit code, or the command's error."""
    from flows.cli.main import main

    codes: list[int] = []
    errors: list[BaseException] = []

    def run() -> None:
        try:
            codes.append(main(args))
        except BaseException as error:  # noqa: BLE001 - raised in the test's thread below
            errors.append(error)

    worker = threading.Thread(target=run, name="tracesctl-in-process")
    worker.start()
    worker.join()
    if errors:
        raise errors[0]
    return codes[0]


def last_words(stderr: str) -> str:
    """A command's final message, "KIND: message", from either form it takes (flows.cli.run.say_last):
    `tracesctl: KIND: message` for a person, a JSON line for a program (stderr off a terminal)."""
    import json

    line = stderr.strip().splitlines()[-1]
    if line.startswith("{"):
        return str(json.loads(line)["event"])
    assert line.startswith("tracesctl: "), line
    return line.removeprefix("tracesctl: ")
