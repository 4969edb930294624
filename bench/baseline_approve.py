"""The same clicks as `tracesctl approve --apply`, written by hand: sign in once, list the pending
requests across pages, then per user: Actors > Users, search pending, open, check, save, reload, verify.
Written for the offline portal's default screens (the newest official wording: "Sök pågående ansökan",
a "Visa" column, "Spara")."""

import json
import os
import sys

from baseline_browser import baseline_executable
from playwright.sync_api import sync_playwright

base_url, email, domain = sys.argv[1], sys.argv[2], sys.argv[3]
password = os.environ["BASELINE_PASSWORD"]
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

    def users_page() -> None:
        page.goto(f"{base_url}/tracesnt/home")
        page.get_by_text("Actors", exact=True).click()
        page.get_by_role("link", name="Användare", exact=True).click()
        page.get_by_role("heading", name="Sök användare").wait_for()

    users_page()
    with page.expect_navigation():
        page.get_by_role("button", name="Sök pågående ansökan", exact=True).click()
    pending = []
    while True:
        for row in page.get_by_role("row").all()[1:]:
            cells = row.get_by_role("cell").all_inner_texts()
            if len(cells) >= 4 and cells[1].endswith("@" + domain):
                pending.append((cells[1], cells[2]))
        following = page.get_by_role("link", name="Nästa", exact=True)
        if following.count() == 0:
            break
        with page.expect_navigation():
            following.click()

    approved = 0
    for user, operator in pending:
        users_page()
        page.get_by_role("searchbox", name="Namn eller e-post").fill(user)
        with page.expect_navigation():
            page.get_by_role("button", name="Sök pågående ansökan", exact=True).click()
        page.get_by_role("row").filter(has_text=user).get_by_role("link", name="Visa", exact=True).click()
        page.get_by_role("heading", name="Användare").wait_for()
        page.get_by_role("button", name=f"Godkänn {operator}").click()
        with page.expect_navigation():
            page.get_by_role("button", name="Spara", exact=True).click()
        page.get_by_text("Dina ändringar har sparats").wait_for()
        page.reload()
        if page.get_by_role("button", name=f"Godkänn {operator}").is_disabled():
            approved += 1
    print(f"approved {approved} of {len(pending)}")
    browser.close()
