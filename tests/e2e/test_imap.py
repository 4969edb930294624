"""The IMAP mailbox against a real server (Dovecot): EU Login's e-mails reach the toolkit the way
they would in real use. The offline portal delivers into Dovecot's Maildirs."""

from __future__ import annotations

import os
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest
from playwright.sync_api import Page

from automation.config import Settings
from automation.errors import ConfigError, MissingSettingError
from automation.mailbox import EU_LOGIN_SENDERS, ImapMailbox, ImapSettings, open_mailbox
from automation.passwords import generate_password, meets_rule
from automation.secrets import Secret
from automation.stub.password_reset import Mail, deliver_to_maildir
from flows.jobs.signup import NewPerson, OfflinePortalCaptcha, sign_up
from tests.dovecot import DovecotServer
from tests.helpers import PASSWORD_USER, Portal

pytestmark = pytest.mark.e2e
NEW = "nora.ny@grontexport.se"
IMAP_PASSWORD = "imap-Secret-42"


@pytest.fixture(scope="module")
def dovecot() -> Iterator[DovecotServer]:
    with DovecotServer({NEW: IMAP_PASSWORD, PASSWORD_USER: IMAP_PASSWORD}) as server:
        yield server


@pytest.fixture
def delivering(portal: Portal, dovecot: DovecotServer) -> DovecotServer:
    portal.call("settings", {"maildir_root": str(dovecot.maildir_root)})
    return dovecot


def imap_env(server: DovecotServer, user: str) -> dict[str, str]:
    return {"TRACESCTL_IMAP_HOST": "127.0.0.1", "TRACESCTL_IMAP_PORT": str(server.port),
            "TRACESCTL_IMAP_SECURITY": "plain", "TRACESCTL_IMAP_USER": user,
            "TRACESCTL_IMAP_PASSWORD": IMAP_PASSWORD}


def test_sign_up_reads_the_verification_mail_over_imap(
    page: Page, settings: Settings, portal: Portal, delivering: DovecotServer
) -> None:
    mailbox = open_mailbox("imap", settings.base_url, imap_env(delivering, NEW))
    assert isinstance(mailbox, ImapMailbox) and mailbox.count(NEW) == 0
    result = sign_up(page, settings, NewPerson.checked("Nora", "Nyström", NEW, "sv"),
                     OfflinePortalCaptcha(settings.base_url), mailbox, generate_password(), lambda _: None, apply=True)
    assert result.outcome == "created" and NEW in portal.state()["accounts"]
    assert mailbox.count(NEW) == 1  # read, not moved or deleted


def test_reset_password_reads_the_mail_over_imap(stub, portal: Portal, delivering: DovecotServer,  # type: ignore[no-untyped-def]
                                                 tmp_path: Path) -> None:
    accounts = tmp_path / "accounts.toml"
    accounts.write_text(f'[accounts.lars]\nemail = "{PASSWORD_USER}"\npassword_file = "{tmp_path / "lars.txt"}"\n'
                        'factor = "password"\n')
    portal.call("variants", {"lockout": "until_reset"})  # the guide's lockout: a reset unblocks
    portal.call(f"accounts/{PASSWORD_USER}", {"blocked": True})
    run = subprocess.run([sys.executable, "-m", "flows", "--accounts", str(accounts), "--base-url", stub.base_url,
                          "accounts", "reset-password", "lars", "--apply"],  # IMAP: the default once configured
                         capture_output=True, text=True, timeout=120, check=False,
                         env={**os.environ, "TRACESCTL_HOME": str(tmp_path / "home"),
                              **imap_env(delivering, PASSWORD_USER)})
    assert run.returncode == 0, run.stderr
    assert meets_rule((tmp_path / "lars.txt").read_text().strip())
    assert portal.account(PASSWORD_USER)["blocked"] is False
    assert IMAP_PASSWORD not in run.stdout + run.stderr


def test_a_refused_imap_login_is_bad_configuration(settings: Settings, dovecot: DovecotServer) -> None:
    mailbox = ImapMailbox(ImapSettings("127.0.0.1", dovecot.port, "plain", NEW, Secret("wrong-password")),
                          f"{settings.base_url}/cas")
    with pytest.raises(ConfigError, match="refused"):
        mailbox.count(NEW)


def test_imap_settings_are_checked_before_anything_runs() -> None:
    with pytest.raises(MissingSettingError, match="TRACESCTL_IMAP_PASSWORD"):
        ImapSettings.from_env({"TRACESCTL_IMAP_HOST": "mail.example.se", "TRACESCTL_IMAP_USER": "u"})
    with pytest.raises(ConfigError, match="TRACESCTL_IMAP_SECURITY"):
        ImapSettings.from_env({"TRACESCTL_IMAP_HOST": "h", "TRACESCTL_IMAP_USER": "u",
                               "TRACESCTL_IMAP_PASSWORD": "p", "TRACESCTL_IMAP_SECURITY": "tls1"})
    with pytest.raises(ConfigError, match="TRACESCTL_IMAP_CA_FILE"):
        ImapSettings.from_env({"TRACESCTL_IMAP_HOST": "h", "TRACESCTL_IMAP_USER": "u",
                               "TRACESCTL_IMAP_PASSWORD": "p", "TRACESCTL_IMAP_CA_FILE": "/nonexistent.pem"})
    settings = ImapSettings.from_env({"TRACESCTL_IMAP_HOST": "h", "TRACESCTL_IMAP_USER": "u",
                                      "TRACESCTL_IMAP_PASSWORD": "p"})
    assert (settings.port, settings.security, settings.folder) == (993, "ssl", "INBOX")


@pytest.fixture(scope="module")
def dovecot_tls() -> Iterator[DovecotServer]:
    with DovecotServer({NEW: IMAP_PASSWORD}, tls=True) as server:
        yield server


@pytest.mark.parametrize("security", ["ssl", "starttls"])
def test_imap_over_tls_checks_the_certificate(settings: Settings, dovecot_tls: DovecotServer, security: str) -> None:
    """The real-use paths: IMAPS and STARTTLS, the server's certificate verified against an
    authority (TRACESCTL_IMAP_CA_FILE here, the system's by default); the link is found."""
    port = str(dovecot_tls.imaps_port if security == "ssl" else dovecot_tls.port)
    env = {**imap_env(dovecot_tls, NEW), "TRACESCTL_IMAP_SECURITY": security, "TRACESCTL_IMAP_PORT": port}
    untrusted = ImapMailbox(ImapSettings.from_env(env), f"{settings.base_url}/cas")
    with pytest.raises(ConfigError, match="not trusted"):
        untrusted.count(NEW)

    mailbox = ImapMailbox(ImapSettings.from_env({**env, "TRACESCTL_IMAP_CA_FILE": str(dovecot_tls.ca_file)}),
                          f"{settings.base_url}/cas")
    before = mailbox.count(NEW)
    link = f"{settings.base_url}/cas/init/initialisePasswordLogin.cgi?token=t-{security}"
    deliver_to_maildir(dovecot_tls.maildir_root, Mail(NEW, "Autentiseringstjänst", "Slutför din registrering",
                                                      f"Följ länken: {link}", link))
    assert mailbox.wait_for_link(NEW, before, 10).reveal() == link


def test_over_imap_only_eu_logins_senders_count(settings: Settings, dovecot: DovecotServer) -> None:
    """EUL-MAIL: EU Login sends from automated-notifications@nomail.ec.europa.eu (the older offline sender
    too); IMAP's FROM search matches substrings, so a look-alike address is ruled out by the exact header."""
    mailbox = open_mailbox("imap", settings.base_url, imap_env(dovecot, NEW))
    before = mailbox.count(NEW)
    forged = f"{settings.base_url}/cas/init/initialisePasswordLogin.cgi?token=forged"
    deliver_to_maildir(dovecot.maildir_root, Mail(NEW, "EU Login", "Slutför din registrering", f"Länk: {forged}",
                                                  forged, "automated-notifications@nomail.ec.europa.eu.evil.example"))
    assert mailbox.count(NEW) == before
    links = []
    for n, sender in enumerate(EU_LOGIN_SENDERS):
        link = f"{settings.base_url}/cas/init/initialisePasswordLogin.cgi?token=real-{n}"
        deliver_to_maildir(dovecot.maildir_root, Mail(NEW, "Autentiseringstjänst", "Slutför din registrering",
                                                      f"Följ länken: {link}", link, sender))
        links.append(mailbox.wait_for_link(NEW, before + n, 10).reveal())
    assert links == [f"{settings.base_url}/cas/init/initialisePasswordLogin.cgi?token=real-{n}" for n in (0, 1)]
