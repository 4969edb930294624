"""The offline portal's own labels, Swedish and English.

Swedish labels are the guide's (shared/seed, 2025-03-18); English ones follow portal-facts.md.
Where neither source gives a text, the label is invented and marked "inferred" so that nobody
mistakes it for the real portal's wording. This module is deliberately independent of
selectors/: the catalogue must be checked against it, not derived from it.
"""

from __future__ import annotations

LOCALES = ("en", "sv")
DEFAULT_LOCALE = "en"

LABELS: dict[str, dict[str, str]] = {
    "en": {
        "lang.label": "Language",
        # EU Login, step 1 (confirmed)
        "cas.title": "EU Login",
        "cas.whoami.heading": "Sign in to continue",  # inferred
        "cas.username": "Enter your e-mail address or unique identifier",
        "cas.next": "Next",
        "cas.anonymize": "Sign in with a different e-mail address?",
        "cas.create_account": "Create an account",
        # EU Login, step 2
        "cas.password": "Password",
        "cas.method": "Choose your verification method",  # inferred
        "cas.method.PASSWORD": "Password",
        "cas.method.PASSWORD_MOBILE_APP": "EU Login Mobile App PIN Code",  # inferred
        "cas.method.PASSWORD_SOFTWARE_TOKEN": "EU Login Mobile App QR Code",  # inferred
        "cas.method.PASSWORD_WEBAUTHN": "Security Key or Trusted Platform",
        "cas.sign_in": "Sign in",
        "cas.error.password": "The password you entered is incorrect. Please try again.",  # inferred
        "cas.error.blocked": (
            "Your account has been blocked after too many failed attempts. "
            "Request a new password to unblock it."
        ),  # inferred
        "cas.error.unknown_user": "The e-mail address or unique identifier is not known.",  # inferred
        "cas.error.stronger": "This service requires two-factor authentication. Choose another verification method.",
        "cas.error.method_unavailable": "This verification method is not set up for your account.",
        "cas.error.expired": "Your sign-in request has expired. Please start again.",
        # second factors (inferred screens)
        "cas.webauthn.heading": "Security Key or Trusted Platform",
        "cas.webauthn.prompt": "Use your security key or trusted platform to continue.",
        "cas.webauthn.retry": "Try again",
        "cas.webauthn.refused": "Your security key or trusted platform could not be verified.",
        "cas.qr.heading": "Scan the QR code with the EU Login app",
        "cas.qr.image": "QR code for the EU Login app",
        "cas.qr.otp": "One-time password",
        "cas.qr.refused": "The one-time password is invalid.",
        "cas.pin.heading": "Waiting for your authentication in the EU Login app",
        "cas.pin.prompt": "A request has been sent to your mobile device. Enter your PIN code in the app.",
        "cas.pin.remaining": "Seconds left",
        "cas.pin.expired": "Your authentication request has expired. Please try again.",
        "cas.pin.denied": "Your authentication request was refused on your mobile device.",
        # after sign-in (confirmed)
        "cas.success": "Successful login",
        "cas.logout": "Logout",
        "cas.logged_out": "You have logged out of EU Login",
        "cas.user_menu": "Account settings",  # the symbol beside the name (inferred name)
        # My Account (confirmed menu, security-keys wording inferred)
        "cas.my_account": "My Account",
        "cas.menu.configure": "Configure my account",
        "cas.menu.devices": "Manage my mobile devices",
        "cas.menu.phones": "Manage my mobile phone numbers",
        "cas.menu.keys": "Manage my Security Keys and Trusted Platforms",
        "cas.menu.panic": "Delete all my devices and eID (PANIC)",
        "cas.menu.eid": "Link my eID",
        "cas.keys.heading": "Manage my Security Keys and Trusted Platforms",
        "cas.keys.add": "Add a Security Key or Trusted Platform",
        "cas.keys.name": "Name of the security key",
        "cas.keys.registered": "Your security key or trusted platform has been registered.",
        "cas.keys.none": "You have no security key or trusted platform.",
        "cas.keys.failed": "The security key or trusted platform could not be registered.",
        "cas.devices.heading": "Manage my mobile devices",
        "cas.devices.none": "You have no mobile device.",
        # TRACES NT (confirmed: entry button, sign-up box, Edit Your Profile)
        "traces.title": "TRACES",
        "traces.login": "Log into Traces",
        "traces.no_account": "Do not have an account?",
        "traces.signup": "Sign up for TRACES",
        "traces.home.heading": "Welcome to TRACES",  # inferred
        "traces.profile": "Edit Your Profile",
        "traces.logout": "Log out",
        "traces.inactive.heading": "Your account is inactive",  # inferred
        "traces.inactive.text": (
            "Your user account has not been used for more than 4 months and has been deactivated. "
            "Contact your competent authority."
        ),
        "traces.suspended.heading": "Your user account is suspended",  # inferred
        "traces.suspended.text": (
            "Your two-factor authentication was reset in EU Login. "
            "An administrator of your operator must unsuspend you."
        ),
        "traces.auth_failed": "Authentication failed. Please sign in again.",
        "error.unavailable": "Service temporarily unavailable",
    },
    "sv": {
        "lang.label": "Språk",
        "cas.title": "EU Login",
        "cas.whoami.heading": "Logga in för att fortsätta",
        "cas.username": "Ange din e-postadress eller ditt unika id",
        "cas.next": "Nästa",
        "cas.anonymize": "Logga in med en annan e-postadress?",
        "cas.create_account": "Skapa konto",  # guide A2
        "cas.password": "Lösenord",
        "cas.method": "Välj verifieringsmetod",
        "cas.method.PASSWORD": "Lösenord",
        "cas.method.PASSWORD_MOBILE_APP": "EU Login-mobilappen PIN-kod",
        "cas.method.PASSWORD_SOFTWARE_TOKEN": "EU Login-mobilappen QR-kod",
        "cas.method.PASSWORD_WEBAUTHN": "Säkerhetsnyckel eller betrodd plattform",
        "cas.sign_in": "Logga in",  # guide H2
        "cas.error.password": "Lösenordet du angav är felaktigt. Försök igen.",
        "cas.error.blocked": (
            "Ditt konto har spärrats efter för många misslyckade försök. "
            "Begär ett nytt lösenord för att låsa upp det."
        ),
        "cas.error.unknown_user": "E-postadressen eller det unika id:t är okänt.",
        "cas.error.stronger": "Tjänsten kräver tvåfaktorsinloggning. Välj en annan verifieringsmetod.",
        "cas.error.method_unavailable": "Verifieringsmetoden är inte konfigurerad för ditt konto.",
        "cas.error.expired": "Din inloggningsbegäran har gått ut. Börja om.",
        "cas.webauthn.heading": "Säkerhetsnyckel eller betrodd plattform",
        "cas.webauthn.prompt": "Använd din säkerhetsnyckel eller betrodda plattform för att fortsätta.",
        "cas.webauthn.retry": "Försök igen",
        "cas.webauthn.refused": "Din säkerhetsnyckel eller betrodda plattform kunde inte verifieras.",
        "cas.qr.heading": "Skanna QR-koden med EU Login-appen",
        "cas.qr.image": "QR-kod för EU Login-appen",
        "cas.qr.otp": "Engångslösenord",
        "cas.qr.refused": "Engångslösenordet är ogiltigt.",
        "cas.pin.heading": "Väntar på din autentisering i EU Login-appen",
        "cas.pin.prompt": "En begäran har skickats till din mobila enhet. Ange din PIN-kod i appen.",
        "cas.pin.remaining": "Sekunder kvar",
        "cas.pin.expired": "Din autentiseringsbegäran har gått ut. Försök igen.",
        "cas.pin.denied": "Din autentiseringsbegäran nekades i den mobila enheten.",
        "cas.success": "Inloggningen lyckades",
        "cas.logout": "Logga ut",
        "cas.logged_out": "Du har loggat ut från EU Login",
        "cas.user_menu": "Kontoinställningar",
        "cas.my_account": "Mitt konto",  # guide B2
        "cas.menu.configure": "Konfigurera mitt konto",
        "cas.menu.devices": "Hantera mina mobila enheter",  # guide B4
        "cas.menu.phones": "Hantera mina mobiltelefonnummer",
        "cas.menu.keys": "Hantera mina säkerhetsnycklar och betrodda plattformar",
        "cas.menu.panic": "Ta bort alla mina enheter och eID (PANIC)",
        "cas.menu.eid": "Länka mitt eID",
        "cas.keys.heading": "Hantera mina säkerhetsnycklar och betrodda plattformar",
        "cas.keys.add": "Lägg till en säkerhetsnyckel eller betrodd plattform",
        "cas.keys.name": "Säkerhetsnyckelns namn",
        "cas.keys.registered": "Din säkerhetsnyckel eller betrodda plattform har registrerats.",
        "cas.keys.none": "Du har ingen säkerhetsnyckel eller betrodd plattform.",
        "cas.keys.failed": "Säkerhetsnyckeln eller den betrodda plattformen kunde inte registreras.",
        "cas.devices.heading": "Hantera mina mobila enheter",
        "cas.devices.none": "Du har ingen mobil enhet.",
        "traces.title": "TRACES",
        "traces.login": "Logga in",  # guide C1, H1
        "traces.no_account": "Har du inget konto?",
        "traces.signup": "Registrera dig för TRACES",
        "traces.home.heading": "Välkommen till TRACES",
        "traces.profile": "Redigera din profil",  # guide G1
        "traces.logout": "Logga ut",
        "traces.inactive.heading": "Ditt konto är inaktivt",
        "traces.inactive.text": (
            "Ditt användarkonto har inte använts på mer än 4 månader och har inaktiverats. "
            "Kontakta din behöriga myndighet."
        ),
        "traces.suspended.heading": "Ditt användarkonto är avstängt",
        "traces.suspended.text": (
            "Din tvåfaktorsinloggning har återställts i EU Login. "
            "En administratör för din operatör måste häva avstängningen."
        ),
        "traces.auth_failed": "Autentiseringen misslyckades. Logga in igen.",
        "error.unavailable": "Tjänsten är tillfälligt otillgänglig",
    },
}


def label(locale: str, key: str, drift: dict[str, str] | None = None) -> str:
    """The text of `key` in `locale`; a drift override (control API) wins, for guide-check tests."""
    if drift and f"{locale}:{key}" in drift:
        return drift[f"{locale}:{key}"]
    return LABELS.get(locale, LABELS[DEFAULT_LOCALE])[key]
