"""The same clicks as `tracesctl keepalive --parallel N`, written by hand with Playwright's async API
and one browser: the keep-alive benchmark's baseline. No ledger, locks, holds, catalogue or traces:
what is left is the floor any tool doing these sign-ins pays.

    python bench/baseline_keepalive.py BASE_URL PARALLEL < accounts   (lines "email password passkey-json")
"""

import asyncio
import json
import sys

from baseline_browser import baseline_executable
from playwright.async_api import Browser, async_playwright

ARGS = ["--disable-background-networking", "--disable-component-update", "--disable-sync", "--no-first-run"]


async def keep_alive(browser: Browser, base_url: str, email: str, password: str, passkey: str) -> bool:
    context = await browser.new_context(locale="en-GB")
    try:
        page = await context.new_page()
        # TRACES wants a second factor: the account's passkey, in a virtual authenticator as tracesctl's.
        cdp = await context.new_cdp_session(page)
        await cdp.send("WebAuthn.enable", {"enableUI": False})
        added = await cdp.send("WebAuthn.addVirtualAuthenticator", {"options": {
            "protocol": "ctap2", "transport": "internal", "hasResidentKey": True, "hasUserVerification": True,
            "isUserVerified": True, "automaticPresenceSimulation": True}})
        await cdp.send("WebAuthn.addCredential", {"authenticatorId": added["authenticatorId"],
                                                  "credential": json.loads(passkey)})
        await page.goto(f"{base_url}/tracesnt/login")
        await page.get_by_role("button", name="Log into Traces", exact=True).click()
        await page.locator("#username").fill(email)
        await page.locator("button[name=whoamiSubmit]").click()
        await page.locator("#password").fill(password)
        await page.locator("#verif-method-dd-id").click()  # the live drop-down (the portal's default)
        await page.locator(".verif-method-dd-options #verif-method-dd-PASSWORD_WEBAUTHN").click()
        await page.locator("#loginForm input[name=_submit]").click()
        home = page.get_by_text(email, exact=True)  # straight back to TRACES, as live peers see it
        await home.click()  # TRACES home: the e-mail opens the user menu
        await page.get_by_role("link", name="Log out", exact=True).click()
        await page.get_by_role("heading", name="You have logged out of EU Login").wait_for()
        return True
    finally:
        await context.close()


async def main(base_url: str, parallel: int, accounts: list[tuple[str, str, str]]) -> None:
    async with async_playwright() as p:
        executable = baseline_executable(p.chromium.executable_path)
        browser = await p.chromium.launch(executable_path=executable, args=ARGS)
        queue: asyncio.Queue[tuple[str, str, str]] = asyncio.Queue()
        for account in accounts:
            queue.put_nowait(account)
        done = 0

        async def worker() -> None:
            nonlocal done
            while not queue.empty():
                email, password, passkey = queue.get_nowait()
                signed_in = await keep_alive(browser, base_url, email, password, passkey)
                done += signed_in  # after the await: `done += await ...` would read `done` before it

        await asyncio.gather(*(worker() for _ in range(parallel)))
        await browser.close()
        print(f"{done}/{len(accounts)} ok")


if __name__ == "__main__":
    lines = [line.split() for line in sys.stdin.read().splitlines() if line.strip()]
    asyncio.run(main(sys.argv[1], int(sys.argv[2]), [(email, password, key) for email, password, key in lines]))
