"""In-memory state of the offline portal: accounts, sessions, tickets, the clock and counters.

Everything is guarded by one lock: the portal is served by a threaded server and tests read the
counters while a browser is talking to it.
"""

from __future__ import annotations

import dataclasses
import random
import secrets
import threading
import time
from collections import Counter
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

from automation.stub.seeded_keys import SEEDED_KEY_NAME, cose_public_key, credential_id
from automation.stub.traces_data import seed_traces
from automation.stub.variants import DEFAULTS, Variants

# RFC 6238 secret of the simulated EU Login app in the seed data. Public on purpose: it only
# opens the offline portal (documented in the README as the demo's device secret).
DEMO_APP_SECRET = "JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP"
DEMO_APP_SECRET_2 = "KRSXG5CTMVRXEZLUKRSXG5CTMVRXEZLU"

PASSWORD = "PASSWORD"
MOBILE_APP = "PASSWORD_MOBILE_APP"  # EU Login app, PIN code (push to the phone)
SOFTWARE_TOKEN = "PASSWORD_SOFTWARE_TOKEN"  # EU Login app, QR code then a one-time password
WEBAUTHN = "PASSWORD_WEBAUTHN"  # Security Key or Trusted Platform (passkey)
STRENGTHS = (PASSWORD, MOBILE_APP, SOFTWARE_TOKEN, WEBAUTHN)

MAX_FAILED_IN_ROW = 5  # guide I2: five wrong passwords in a row block the user
# EUL-HELP: "wait 15 minutes until the account is unlocked automatically" (lockout="auto_unlock").
AUTO_UNLOCK_AFTER = timedelta(minutes=15)
INACTIVE_AFTER_MONTHS = 4  # guide I3


def months_elapsed(start: datetime, end: datetime) -> int:
    """Whole calendar months from `start` to `end`: a month is complete once the same day of the month
    and time of day have come round again and passed; a start day the later month lacks (31 Oct) is
    reached only when that month is over (on 1 March, not 28 Feb).

    The offline portal's own reading of guide I3 ("four months without using TRACES"), written
    independently of the toolkit's arithmetic (automation/dates.py) on purpose: a portal that borrowed
    the toolkit's rule would confirm the toolkit's mistakes instead of catching them. Where the two
    readings differ (month ends), the toolkit should be the more cautious one.
    """
    months = (end.year - start.year) * 12 + (end.month - start.month)
    # Compare the rest of the timestamp (day, then time of day) to see if the last month is complete.
    if (end.day, end.time()) <= (start.day, start.time()):
        months -= 1
    return months


def inactive_at(last_use: datetime, now: datetime) -> bool:
    """TRACES deactivates an account after four whole months without use (guide I3; message not public)."""
    return months_elapsed(last_use, now) >= INACTIVE_AFTER_MONTHS


@dataclass
class StoredPasskey:
    credential_id: bytes
    public_key: bytes
    sign_count: int
    name: str


def seeded_passkey(username: str) -> StoredPasskey:
    """The passkey a seeded account comes with (automation/stub/seeded_keys.py), as EU Login keeps it:
    the credential id and the public key, sign count 0."""
    return StoredPasskey(credential_id(username), cose_public_key(username), 0, SEEDED_KEY_NAME)


@dataclass
class MobileDevice:
    """An EU Login app registered to an account: its name, its RFC 6238 secret and the PIN set at
    registration (the simulated app asks for it, as the real one does)."""

    name: str
    secret: str
    pin: str
    registered: datetime
    id: str = field(default_factory=lambda: secrets.token_hex(6))


@dataclass
class Enrolment:
    """"Add a mobile device" between Submit and the app scanning the QR code (guide B4-B6)."""

    id: str
    username: str
    device_name: str
    pin: str
    created: float
    status: str = "pending"  # pending | registered | expired


@dataclass
class Signup:
    """A "Create an account" form submitted; the account exists once the e-mail's link sets a password."""

    username: str
    first_name: str
    last_name: str
    email_language: str


@dataclass
class Account:
    username: str
    password: str
    first_name: str
    last_name: str
    # TRACES requires two factors from every user (TNT-HELP, LIVS). Marked accounts may still use the
    # password alone there, but only under the `older` preset (variant password_only_accounts).
    password_only_allowed: bool = False
    devices: list[MobileDevice] = field(default_factory=list)  # EU Login apps (QR code and PIN methods)
    passkeys: list[StoredPasskey] = field(default_factory=list)
    failed_in_row: int = 0
    blocked: bool = False
    blocked_at: datetime | None = None  # on the portal's clock: the 15-minute auto-unlock counts from it
    # "Configure my account" (EUL-OPTIONS): "Always require multi-factor authentication" removes
    # "Password" from the methods (EUL-ISSUES); "View my EU Login account details after logging me in".
    always_mfa: bool = False
    details_after_login: bool = False
    last_traces_use: datetime | None = None
    traces_suspended: bool = False
    # counters read by tests
    failed_passwords: int = 0
    failed_second_factors: int = 0
    eulogin_signins: int = 0
    traces_signins: int = 0
    used_otp_steps: set[int] = field(default_factory=set)

    @property
    def app_secret(self) -> str | None:
        """The first registered app's secret: the one the control API's /app/code answers for."""
        return self.devices[0].secret if self.devices else None

    @property
    def display_name(self) -> str:
        return f"{self.first_name} {self.last_name}"


@dataclass
class LoginRequest:
    """One sign-in attempt between the e-mail step and the end of the second factor."""

    id: str
    username: str
    service: str | None
    accept: str | None  # acceptStrengths asked for by the service
    created: float
    password_ok: bool = False
    strength: str | None = None
    webauthn_challenge: bytes | None = None
    pin_status: str = "none"  # none | pending | approved | expired
    pin_deadline: float = 0.0
    pin_started: float = 0.0
    qr_challenge: str = ""
    continuing: bool = False  # every factor done; the #fallbackLink page stands before the service


@dataclass
class Tgt:
    username: str
    strength: str


@dataclass
class Ticket:
    username: str
    service: str
    created: float
    used: bool = False
    strength: str = PASSWORD  # how the EU Login session behind it was opened (its authenticationLevel)


@dataclass
class Faults:
    latency_ms: int = 0
    fail_next: int = 0  # the next N portal answers are 503
    error_rate: float = 0.0  # a share of answers (0..1) are 503, drawn from a seeded generator
    fail_after_submit: int = 0  # the next N TRACES submissions are processed, then answered 503
    drop_next_session: bool = False
    # EU Login's answer to the next N password posts (processed: a wrong one counts): "lost" answers
    # 503 instead; "held" keeps the answer until `answers_released` is set (a test kills the client
    # meanwhile, or lets two runs overlap), then sends it.
    after_password: str = ""
    after_password_count: int = 0
    # The next N answers to TRACES' operator search (with a name searched) are held until
    # `answers_released` is set: two request-access runs can be made to overlap at their search.
    hold_operator_search: int = 0
    answers_released: threading.Event = field(default_factory=threading.Event)


def seed_accounts(now: datetime) -> dict[str, Account]:
    """The seeded accounts, one per second factor plus the special cases (README: Seed data)."""
    recent = now - timedelta(days=10)
    accounts = [
        Account("pia.passkey@vaxtexport.se", "Pia-Passkey-2025!", "Pia", "Persson", last_traces_use=recent),
        Account(
            "olle.app@vaxtexport.se", "Olle-App-2025!", "Olle", "Olsson",
            devices=[MobileDevice("Olles telefon", DEMO_APP_SECRET, "1357", recent)], last_traces_use=recent,
        ),
        Account(
            "karin.app@vaxtexport.se", "Karin-App-2025!", "Karin", "Karlsson",
            devices=[MobileDevice("Karins telefon", DEMO_APP_SECRET_2, "2468", recent)], last_traces_use=recent,
        ),
        Account(
            "lars.losen@vaxtexport.se", "Lars-Losen-2025!", "Lars", "Larsson",
            password_only_allowed=True, last_traces_use=recent,
        ),
        # New to TRACES: no role yet (guide C2), and one already in TRACES for organics (guide G).
        Account("nils.ny@vaxtexport.se", "Nils-Ny-2025!", "Nils", "Nyberg", password_only_allowed=True),
        Account("cilla.coi@vaxtexport.se", "Cilla-Coi-2025!", "Cilla", "Carlsson",
                password_only_allowed=True, last_traces_use=recent),
        # Administrators (guide D-F): of Grönt Export AB and Grönt Export Skåne AB; of Nordic Plant Trade AB.
        Account("anna.admin@vaxtexport.se", "Anna-Admin-2025!", "Anna", "Andersson",
                password_only_allowed=True, last_traces_use=recent),
        Account("bertil.bulk@vaxtexport.se", "Bertil-Bulk-2025!", "Bertil", "Berg",
                password_only_allowed=True, last_traces_use=recent),
        Account(
            "ingrid.inaktiv@vaxtexport.se", "Ingrid-Inaktiv-2025!", "Ingrid", "Isaksson",
            password_only_allowed=True, last_traces_use=now - timedelta(days=150),
        ),
        Account(
            "sven.susp@vaxtexport.se", "Sven-Susp-2025!", "Sven", "Svensson",
            password_only_allowed=True, last_traces_use=recent, traces_suspended=True,
        ),
    ]
    accounts += authority_staff(recent)
    # Every account without an app gets a second factor for TRACES: a seeded passkey. Pia's passkey is
    # the one the tests and the demo enrol through My Account, so she starts without one.
    for account in accounts:
        if not account.devices and account.username not in UNSEEDED_PASSKEY:
            account.passkeys.append(seeded_passkey(account.username))
    return {a.username: a for a in accounts}


UNSEEDED_PASSKEY = frozenset({"pia.passkey@vaxtexport.se"})


def authority_staff(recent: datetime) -> list[Account]:
    """Authority users who validate operators under Actors > Operators (TNT-PH; traces_data.authority_staff)."""
    return [
        Account("vera.vaxtskydd@jordbruksverket.se", "Vera-Vaxtskydd-2025!", "Vera", "Vall",
                password_only_allowed=True, last_traces_use=recent),
        Account("gunnar.grans@jordbruksverket.se", "Gunnar-Grans-2025!", "Gunnar", "Gren",
                password_only_allowed=True, last_traces_use=recent),
    ]


class PortalState:
    """All mutable state of the offline portal."""

    def __init__(self) -> None:
        self.lock = threading.RLock()
        self.reset()

    def reset(self) -> None:
        with self.lock:
            self.clock_offset = timedelta(0)
            self.accounts = seed_accounts(self.now())
            self.traces = seed_traces([u for u in self.accounts if u not in {
                "nils.ny@vaxtexport.se", "cilla.coi@vaxtexport.se", "anna.admin@vaxtexport.se",
                "bertil.bulk@vaxtexport.se", "vera.vaxtskydd@jordbruksverket.se", "gunnar.grans@jordbruksverket.se"}])
            self.user_actions: Counter[str] = Counter()  # "approve:<user>:<operator>" etc.: tests count these
            self.login_requests: dict[str, LoginRequest] = {}
            self.tgts: dict[str, Tgt] = {}  # __Secure-CASTGC cookie value -> who signed in, and how
            self.tickets: dict[str, Ticket] = {}
            self.traces_sessions: dict[str, str] = {}  # JSESSIONID -> username
            # JSESSIONID -> the user's role statuses when the session began: TRACES keeps them for the
            # session, so a validation shows only after signing in again (TNT-HELP "Getting started").
            self.traces_seen: dict[str, dict[int, tuple[str, bool]]] = {}
            self.forms: Counter[str] = Counter()
            previous: Faults | None = getattr(self, "faults", None)
            if previous is not None:
                previous.answers_released.set()  # a held answer goes out: its thread ends
            self.faults = Faults()
            self.fault_random = random.Random(2025)  # seeded: a test run sees the same failures
            self.ticket_ttl_s = 10.0  # CAS default lifetime of a service ticket
            self.pin_timeout_s = 60.0
            # When set, the simulated app approves every PIN request after this many seconds.
            self.app_auto_approve_s: float | None = None
            self.drift: dict[str, str] = {}  # "locale:label-key" -> renamed label (guide-check tests)
            self.id_drift: dict[str, str] = {}  # element id or name -> the one served instead (capture tests)
            self.registration_challenges: dict[str, bytes] = {}
            self.mailbox: list[Any] = []  # e-mails the portal sent (password_reset.Mail)
            self.reset_tokens: dict[str, Any] = {}
            # TNT-HELP: the sign-up e-mail's link is valid for 90 minutes; the reset link's lifetime is
            # not public (inferred: the same).
            self.reset_ttl_s = 90 * 60.0
            self.maildir_root: Path | None = None  # also deliver e-mails here (Maildir per recipient)
            # EUL-MAIL: e-mails can arrive up to 20 minutes later. Seconds before a sent e-mail is
            # delivered (control API `settings` {"mail_delay_s": N}); 0: at once.
            self.mail_delay_s = 0.0
            self.captchas: dict[str, str] = {}  # captcha id -> code shown on the "Create an account" form
            self.signups: dict[str, Signup] = {}  # e-mail -> submitted, not yet verified
            self.enrolments: dict[str, Enrolment] = {}
            self.enrolment_ttl_s = 300.0
            self.variants: Variants = DEFAULTS  # control API: POST /__stub__/variants
            self.pending_key_names: dict[str, str] = {}  # username -> name typed before "Submit" (passkeys)

    # The portal's clock drives business dates (inactivity); ticket and PIN lifetimes use real
    # time so that moving the clock by months does not expire a sign-in in progress.
    def now(self) -> datetime:
        return datetime.now(UTC) + self.clock_offset

    def account(self, username: str) -> Account | None:
        return self.accounts.get(username.strip().lower())

    def new_login_request(self, username: str, service: str | None, accept: str | None) -> LoginRequest:
        with self.lock:
            request = LoginRequest(f"ECAS_LR-{secrets.token_hex(8)}", username, service, accept, time.monotonic())
            self.login_requests[request.id] = request
            return request

    def issue_tgt(self, username: str, strength: str) -> str:
        with self.lock:
            tgt = f"TGT-{secrets.token_urlsafe(24)}"
            self.tgts[tgt] = Tgt(username, strength)
            return tgt

    def issue_ticket(self, username: str, service: str, strength: str = PASSWORD) -> str:
        with self.lock:
            st = f"ST-{secrets.token_urlsafe(18)}"
            self.tickets[st] = Ticket(username, service, time.monotonic(), strength=strength)
            return st

    def take_ticket(self, st: str, service: str) -> Ticket | None:
        """CAS ticket validation: the ticket, used up (single use, short-lived, bound to the service it was
        issued for); None when unknown, used before, expired or issued for another service."""
        with self.lock:
            ticket = self.tickets.get(st)
            if ticket is None or ticket.used:
                return None
            ticket.used = True
            if time.monotonic() - ticket.created > self.ticket_ttl_s or ticket.service != service:
                return None
            return ticket

    def is_inactive(self, account: Account) -> bool:
        if account.last_traces_use is None:
            return False
        return inactive_at(account.last_traces_use, self.now())

    def block(self, account: Account) -> None:
        account.blocked, account.blocked_at = True, self.now()

    def unblock(self, account: Account) -> None:
        account.blocked, account.blocked_at, account.failed_in_row = False, None, 0

    def is_blocked(self, account: Account) -> bool:
        """Blocked now? Under lockout="auto_unlock" (EUL-HELP) the block lifts by itself 15 minutes after
        it began, on the portal's clock; under "until_reset" (guide I2) only a new password lifts it."""
        with self.lock:
            if (account.blocked and self.variants.lockout == "auto_unlock" and account.blocked_at is not None
                    and self.now() >= account.blocked_at + AUTO_UNLOCK_AFTER):
                self.unblock(account)
            return account.blocked

    def end_sessions(self, username: str) -> int:
        with self.lock:
            dropped = [k for k, v in self.tgts.items() if v.username == username]
            dropped += [k for k, v in self.traces_sessions.items() if v == username]
            for key in dropped:
                self.tgts.pop(key, None)
                self.traces_sessions.pop(key, None)
                self.traces_seen.pop(key, None)
            return len(dropped)

    def snapshot(self) -> dict[str, object]:
        """The JSON state the control API returns: counters per account and per form."""
        with self.lock:
            return {
                "now": self.now().isoformat(),
                "accounts": {
                    a.username: {
                        "failed_passwords": a.failed_passwords,
                        "failed_in_row": a.failed_in_row,
                        "failed_second_factors": a.failed_second_factors,
                        "blocked": self.is_blocked(a),
                        "blocked_at": a.blocked_at.isoformat() if a.blocked_at else None,
                        "always_mfa": a.always_mfa,
                        "details_after_login": a.details_after_login,
                        "eulogin_signins": a.eulogin_signins,
                        "traces_signins": a.traces_signins,
                        "successful_signins": a.eulogin_signins,
                        "inactive": self.is_inactive(a),
                        "suspended": a.traces_suspended,
                        "last_traces_use": a.last_traces_use.isoformat() if a.last_traces_use else None,
                        "passkeys": [{"name": p.name, "sign_count": p.sign_count} for p in a.passkeys],
                        "app_registered": bool(a.devices),
                        "devices": [{"name": d.name, "id": d.id} for d in a.devices],
                    }
                    for a in self.accounts.values()
                },
                "forms": dict(self.forms),
                "operators": [
                    {"id": o.id, "name": o.name, "status": o.status, "postal_code": o.postal_code,
                     "street": o.street, "city": o.city, "identifiers": o.identifiers,
                     "activities": [[a.chapter, a.section, a.activity, a.authority_id] for a in o.activities]}
                    for o in self.traces.operators
                ],
                "role_requests": [
                    {"username": r.username, "operator_id": r.operator_id, "status": r.status,
                     "administrator": r.administrator, "info": r.info}
                    for r in self.traces.requests
                ],
                "user_actions": dict(self.user_actions),
                "signups": sorted(self.signups),
                "enrolments": [{"id": e.id, "username": e.username, "device_name": e.device_name,
                                "status": e.status} for e in self.enrolments.values()],
                "sessions": {"eulogin": len(self.tgts), "traces": len(self.traces_sessions)},
                "pending_key_names": dict(self.pending_key_names),
                "login_requests": len(self.login_requests),  # sign-ins between step 1 and the end
                "tickets": len(self.tickets),  # service tickets issued since the reset
                "variants": dataclasses.asdict(self.variants),
            }
