"""Where EU Login's e-mails are read: an IMAP mailbox (real use), a person pasting the link, or the
offline portal's mailbox (tests, demo). Links in these e-mails open an account: they are secrets,
and only links into EU Login itself are ever followed.

IMAP settings (README: Configuration): TRACESCTL_IMAP_HOST, TRACESCTL_IMAP_PORT (993),
TRACESCTL_IMAP_SECURITY (ssl | starttls | plain, default ssl), TRACESCTL_IMAP_USER,
TRACESCTL_IMAP_PASSWORD, TRACESCTL_IMAP_FOLDER (INBOX), TRACESCTL_IMAP_CA_FILE (an extra
certificate authority to trust, for a company's own; default: the system's).
"""

from __future__ import annotations

import email
import email.policy
import email.utils
import imaplib
import re
import ssl
import time
from collections.abc import Callable, Iterator, Mapping
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Protocol

from tenacity import retry, retry_if_result, stop_after_delay, wait_fixed

from automation.errors import ConfigError, MissingSettingError, PortalTimeoutError, PortalUnavailableError
from automation.secrets import Secret

MAILBOXES = ("imap", "prompt", "offline-portal")
_LINK = re.compile(r"https?://[^\s<>\"']+")
# EUL-MAIL: EU Login's e-mails come from automated-notifications@nomail.ec.europa.eu. The second is the
# address the offline portal sent from before (its variant mail_sender="older"). Mail from anybody
# else is never read, whatever link it holds.
EU_LOGIN_SENDERS = ("automated-notifications@nomail.ec.europa.eu", "no-reply@eulogin.offline-portal.invalid")
# EUL-MAIL: the e-mails "can arrive up to 20 minutes" later: wait 25 (TRACESCTL_MAIL_WAIT_S changes it).
MAIL_WAIT_S = 25 * 60
Tick = Callable[[int], None]  # told the seconds left while an e-mail is awaited (a countdown)


def from_eu_login(address: str) -> bool:
    """Whether a sender's address is one EU Login sends from (exactly; no look-alike)."""
    return address.strip().lower() in EU_LOGIN_SENDERS


def show_mail_countdown(seconds_left: int) -> None:
    """The wait for EU Login's e-mail, counted down on a terminal (nothing elsewhere)."""
    from automation.console import countdown

    countdown(seconds_left, "Waiting for EU Login's e-mail (it can take 20 minutes)")


class Mailbox(Protocol):
    def count(self, to: str) -> int:
        """How many e-mails `to` has now (so a later wait looks only at newer ones)."""
        ...

    def wait_for_link(self, to: str, after: int, timeout_s: float, on_tick: Tick | None = None) -> Secret:
        """The EU Login link of the first e-mail from EU Login to `to` that arrived after the first
        `after` ones; `on_tick` hears the seconds left while it waits."""
        ...


def eulogin_link(text: str, eulogin_url: str) -> str | None:
    """The first link in `text` that leads into EU Login (never anything else an e-mail offers)."""
    return next((link for link in _LINK.findall(text) if link.startswith(eulogin_url + "/")), None)


def _poll(timeout_s: float, look: Callable[[], str | None], to: str, on_tick: Tick | None = None) -> Secret:
    # Look every second until the e-mail is there (a condition wait, bounded by timeout_s).
    deadline = time.monotonic() + timeout_s

    @retry(retry=retry_if_result(lambda link: link is None), stop=stop_after_delay(timeout_s),
           wait=wait_fixed(1), retry_error_callback=lambda state: None)
    def newest() -> str | None:
        if on_tick is not None:
            on_tick(max(0, round(deadline - time.monotonic())))
        return look()

    link = newest()
    if on_tick is not None:
        on_tick(0)  # the countdown ends with the wait
    if link is None:
        raise PortalTimeoutError(f"no e-mail with an EU Login link reached {to} within {timeout_s:.0f} s")
    return Secret(link)


class PromptMailbox:
    """A person reads the e-mail and pastes its link."""

    def __init__(self, eulogin_url: str) -> None:
        self.eulogin_url = eulogin_url

    def count(self, to: str) -> int:
        return 0

    def wait_for_link(self, to: str, after: int, timeout_s: float, on_tick: Tick | None = None) -> Secret:
        import getpass

        pasted = getpass.getpass(f"Paste the link from the EU Login e-mail sent to {to}: ").strip()
        link = eulogin_link(pasted, self.eulogin_url)
        if link is None:
            raise ConfigError(f"that is not a link into EU Login ({self.eulogin_url}/...)")
        return Secret(link)


class OfflinePortalMailbox:
    """The offline portal's mailbox, read through its control API."""

    def __init__(self, base_url: str) -> None:
        self.base_url = base_url

    def _mails(self, to: str) -> list[dict[str, str]]:
        from automation.portal_client import PortalClient

        return [m for m in PortalClient(self.base_url).mailbox(to) if from_eu_login(m.get("from_address", ""))]

    def count(self, to: str) -> int:
        return len(self._mails(to))

    def wait_for_link(self, to: str, after: int, timeout_s: float, on_tick: Tick | None = None) -> Secret:
        def look() -> str | None:
            mails = self._mails(to)
            return eulogin_link(mails[after]["body"], f"{self.base_url}/cas") if len(mails) > after else None

        return _poll(timeout_s, look, to, on_tick)


@dataclass(frozen=True)
class ImapSettings:
    host: str
    port: int
    security: str
    user: str
    password: Secret
    folder: str = "INBOX"
    ca_file: Path | None = None

    def tls_context(self) -> ssl.SSLContext:
        """Certificates and host names checked: against the system's authorities, or `ca_file`."""
        return ssl.create_default_context(cafile=str(self.ca_file) if self.ca_file else None)

    @classmethod
    def from_env(cls, environ: Mapping[str, str]) -> ImapSettings:
        missing = [name for name in ("TRACESCTL_IMAP_HOST", "TRACESCTL_IMAP_USER", "TRACESCTL_IMAP_PASSWORD")
                   if not environ.get(name, "").strip()]
        if missing:
            raise MissingSettingError(f"reading e-mail over IMAP needs {', '.join(missing)}")
        security = environ.get("TRACESCTL_IMAP_SECURITY", "").strip() or "ssl"
        if security not in {"ssl", "starttls", "plain"}:
            raise ConfigError(f"TRACESCTL_IMAP_SECURITY must be ssl, starttls or plain, not {security!r}")
        raw_port = environ.get("TRACESCTL_IMAP_PORT", "").strip() or ("993" if security == "ssl" else "143")
        if not raw_port.isdigit() or not 0 < int(raw_port) < 65536:
            raise ConfigError(f"TRACESCTL_IMAP_PORT must be a port number, not {raw_port!r}")
        ca_file = Path(environ["TRACESCTL_IMAP_CA_FILE"]).expanduser() \
            if environ.get("TRACESCTL_IMAP_CA_FILE", "").strip() else None
        if ca_file is not None and not ca_file.is_file():
            raise ConfigError(f"TRACESCTL_IMAP_CA_FILE: {ca_file} is not a file")
        return cls(environ["TRACESCTL_IMAP_HOST"].strip(), int(raw_port), security,
                   environ["TRACESCTL_IMAP_USER"].strip(), Secret(environ["TRACESCTL_IMAP_PASSWORD"]),
                   environ.get("TRACESCTL_IMAP_FOLDER", "").strip() or "INBOX", ca_file)


class ImapMailbox:
    """An IMAP mailbox (standard library imaplib), read-only: messages are looked at, never moved."""

    def __init__(self, settings: ImapSettings, eulogin_url: str) -> None:
        self.settings = settings
        self.eulogin_url = eulogin_url

    def _connect(self) -> imaplib.IMAP4:
        s = self.settings
        try:
            client = (imaplib.IMAP4_SSL(s.host, s.port, ssl_context=s.tls_context(), timeout=30)
                      if s.security == "ssl" else imaplib.IMAP4(s.host, s.port, timeout=30))
            if s.security == "starttls":
                client.starttls(s.tls_context())
            client.login(s.user, s.password.reveal())
        except ssl.SSLCertVerificationError as exc:
            raise ConfigError(f"the IMAP server {s.host}'s certificate is not trusted: {exc.verify_message} "
                              "(TRACESCTL_IMAP_CA_FILE adds an authority)") from None
        except imaplib.IMAP4.error as exc:
            raise ConfigError(f"the IMAP server refused {s.user}: {exc}") from None
        except OSError as exc:
            raise PortalUnavailableError(f"cannot reach the IMAP server {s.host}:{s.port}: {exc}") from None
        client.select(s.folder, readonly=True)
        return client

    @contextmanager
    def _session(self) -> Iterator[imaplib.IMAP4]:
        client = self._connect()
        try:
            yield client
        finally:
            client.logout()

    @staticmethod
    def _uids(client: imaplib.IMAP4, to: str) -> list[str]:
        """EU Login's messages to `to`, oldest first: IMAP's FROM search is a substring match, so each
        candidate's From header (only that) is read and its address compared exactly."""
        criteria = ["TO", f'"{to}"', *(["OR"] * (len(EU_LOGIN_SENDERS) - 1)),
                    *[part for sender in EU_LOGIN_SENDERS for part in ("FROM", f'"{sender}"')]]
        _, found = client.uid("SEARCH", *criteria)
        uids = sorted((uid.decode() for uid in found[0].split()), key=int) if found and found[0] else []
        return [uid for uid in uids if from_eu_login(ImapMailbox._sender(client, uid))]

    @staticmethod
    def _sender(client: imaplib.IMAP4, uid: str) -> str:
        _, data = client.uid("FETCH", uid, "(BODY.PEEK[HEADER.FIELDS (FROM)])")
        raw = next((part[1] for part in data if isinstance(part, tuple)), b"")
        return email.utils.parseaddr(email.message_from_bytes(raw, policy=email.policy.default).get("From", ""))[1]

    @staticmethod
    def _body(client: imaplib.IMAP4, uid: str) -> str:
        _, data = client.uid("FETCH", uid, "(BODY.PEEK[])")
        raw = next((part[1] for part in data if isinstance(part, tuple)), b"")
        message = email.message_from_bytes(raw, policy=email.policy.default)
        text = message.get_body(preferencelist=("plain", "html"))
        return str(text.get_content()) if text is not None else ""

    def count(self, to: str) -> int:
        with self._session() as client:
            return len(self._uids(client, to))

    def wait_for_link(self, to: str, after: int, timeout_s: float, on_tick: Tick | None = None) -> Secret:
        def look() -> str | None:
            # Each poll downloads the From headers and at most the one message it is waiting for.
            with self._session() as client:
                uids = self._uids(client, to)
                return eulogin_link(self._body(client, uids[after]), self.eulogin_url) if len(uids) > after else None

        return _poll(timeout_s, look, to, on_tick)


def open_mailbox(kind: str, base_url: str, environ: Mapping[str, str]) -> Mailbox:
    """The mailbox `kind` names; IMAP settings are checked here, before any browser starts."""
    if kind == "imap":
        return ImapMailbox(ImapSettings.from_env(environ), f"{base_url}/cas")
    if kind == "offline-portal":
        return OfflinePortalMailbox(base_url)
    if kind == "prompt":
        return PromptMailbox(f"{base_url}/cas")
    raise ConfigError(f"--mailbox must be one of {', '.join(MAILBOXES)}, not {kind!r}")
