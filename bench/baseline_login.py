"""The same clicks as `tracesctl login`, written by hand with Playwright: the benchmark's baseline."""

import json
import os
import sys

from baseline_browser import baseline_executable
from playwright.sync_api import sync_playwright

base_url, email, password = sys.argv[1], sys.argv[2], os.environ["BASELINE_PASSWORD"]
args = ["--disable-background-networking", "--disable-component-update", "--disable-sync", "--no-first-run"]

with sync_playwright() as p:
    executable = baseline_executable(p.chromium.executable_path)
    browser = p.chromium.launch(executable_path=executable, args=args)
    page = browser.new_context().new_page()
    # TRACES wants a second factor: the account's passkey, in a virtual authenticator as tracesctl's.
    cdp = page.context.new_cdp_session(page)
    cdp.send("WebAuthn.enable", {"enableUI": False})
    authenticator = cdp.send("WebAuthn.addVirtualAuthenticator", {"options": {
        "protocol": "ctap2", "transport": "internal", "hasResidentKey": True, "hasUserVerification": True,
        "isUserVerified": True, "automaticPresenceSimulation": True}})["authenticatorId"]
    cdp.send("WebAuthn.addCredential", {"authenticatorId": authenticator,
                                        "credential": json.loads(os.environ["BASELINE_PASSKEY"])})
    page.goto(f"{base_url}/tracesnt/login")
    with page.expect_navigation():
        page.locator("select[name=lang]").select_option("sv")
    page.get_by_role("button", name="Logga in", exact=True).click()
    page.locator("#username").fill(email)
    page.locator("button[name=whoamiSubmit]").click()
    page.locator("#password").fill(password)
    page.locator("#verif-method-dd-id").click()  # the live drop-down (the portal's default)
    page.locator(".verif-method-dd-options #verif-method-dd-PASSWORD_WEBAUTHN").click()
    page.locator("#loginForm input[name=_submit]").click()
    page.get_by_text(email, exact=True).wait_for()
    print(f"landed on {page.url}")
    browser.close()
