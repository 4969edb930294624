"""EU Login after "Add a mobile device" was submitted: the QR code the app scans, its countdown,
and the wait until the phone has registered (guide B5-B6)."""

from __future__ import annotations

import time
from collections.abc import Callable
from typing import TypeVar

from playwright.sync_api import Error as PlaywrightError
from playwright.sync_api import Locator

from automation.errors import ApprovalTimeoutError, PortalTimeoutError
from automation.pages.base import BasePage, first_visible

# The device list the registration returns to (automation.pages.eulogin.devices), passed in by the
# list itself: a screen reached going forward never imports the one it leads back to (docs/development.md).
D = TypeVar("D", bound=BasePage)
# Reads the QR code's modules from the rendered image, so a terminal can draw it: the top-left
# finder pattern is 7 modules wide, which gives the module size.
_QR_MODULES_JS = """
(img) => {
  const w = img.width, h = img.height, canvas = document.createElement("canvas");
  canvas.width = w; canvas.height = h;
  const ctx = canvas.getContext("2d");
  ctx.fillStyle = "#fff"; ctx.fillRect(0, 0, w, h); ctx.drawImage(img, 0, 0, w, h);
  const data = ctx.getImageData(0, 0, w, h).data;
  const dark = (x, y) => data[(y * w + x) * 4] < 128;
  let top = -1, right = -1;
  for (let y = 0; y < h; y++) for (let x = 0; x < w; x++) if (dark(x, y)) {
    if (top < 0) top = y; right = Math.max(right, x);
  }
  if (top < 0) return [];
  // A row just inside the finder pattern's top edge: the edge itself may be anti-aliased.
  const y0 = Math.min(h - 1, top + 2);
  let left = 0; while (left < w && !dark(left, y0)) left++;
  let run = 0; while (left + run < w && dark(left + run, y0)) run++;
  if (run < 7) return [];
  const size = run / 7, count = Math.round((right - left + 1) / size), rows = [];
  for (let r = 0; r < count; r++) {
    const row = [];
    for (let c = 0; c < count; c++) {
      row.push(dark(Math.floor(left + (c + 0.5) * size), Math.floor(top + (r + 0.5) * size)));
    }
    rows.push(row);
  }
  return rows;
}
"""



class EnrolmentPage(BasePage):
    QR = "eulogin.enrol.qr"
    SECONDS_LEFT = "eulogin.enrol.seconds_left"
    EXPIRED = "eulogin.enrol.expired"
    REGISTERED = "eulogin.devices.registered"
    ready = QR

    @property
    def qr_image(self) -> Locator:
        return self._locator(self.QR)

    def qr_png(self) -> bytes:
        return bytes(self.qr_image.screenshot(timeout=self.timeout_ms))

    def qr_modules(self) -> list[list[bool]]:
        modules: list[list[bool]] = self.qr_image.evaluate(_QR_MODULES_JS)
        return modules

    def wait_for_phone(self, timeout_s: float, show: Callable[[int], None], devices: type[D]) -> D:
        """Until the app has scanned the code and the PIN was entered: the device list again.
        `show` gets the seconds the portal says are left, about once a second. An expired code
        raises ApprovalTimeoutError."""
        candidates = {"registered": self._locator(self.REGISTERED), "expired": self._locator(self.EXPIRED)}
        deadline = time.monotonic() + timeout_s
        while True:
            # What is on screen now, without waiting: the phone may finish between a count and a read,
            # and a read that waits for the countdown would wait its full timeout on the next page.
            try:
                texts = self._locator(self.SECONDS_LEFT).all_text_contents()
            except PlaywrightError:
                texts = []  # the page is moving on: the wait below sees where to
            if texts:
                show(int(texts[0]) if texts[0].strip().isdigit() else 0)
            try:
                outcome = first_visible(self.page, candidates, 1000)
            except PortalTimeoutError:
                if time.monotonic() > deadline:
                    raise PortalTimeoutError(
                        f"the phone did not complete the registration within {timeout_s:.0f} s") from None
                continue
            if outcome == "expired":
                raise ApprovalTimeoutError("the QR code expired before the EU Login app registered it: run again")
            return self._page(devices).wait_until_loaded()
