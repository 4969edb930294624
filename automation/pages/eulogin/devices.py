"""EU Login "Manage my mobile devices" and "Add a mobile device" (guide B4-B6): the device list,
the form (name, 4-digit PIN twice, "Skicka"), and the QR code the EU Login app scans."""

from __future__ import annotations

import time
from collections.abc import Callable
from typing import Self

from playwright.sync_api import Locator

from automation.errors import BusinessError, PortalTimeoutError
from automation.pages.base import BasePage, first_visible
from automation.secrets import Secret

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


class DevicesPage(BasePage):
    def wait_until_loaded(self) -> Self:
        self._wait_for("eulogin.devices.heading")
        return self

    @property
    def device_names(self) -> list[str]:
        rows = self._locator("eulogin.devices.row")
        return [rows.nth(i).locator("td").first.inner_text().strip() for i in range(rows.count())]

    def add_device(self) -> AddDevicePage:
        self._locator("eulogin.devices.add").click()
        return AddDevicePage(self.page, self.catalog, self.timeout_ms).wait_until_loaded()

    def remove(self, device: str) -> Self:
        self._locator("eulogin.devices.remove", device=device).click()
        self._wait_for("eulogin.devices.removed")
        return self


class AddDevicePage(BasePage):
    def wait_until_loaded(self) -> Self:
        self._wait_for("eulogin.add_device.name")
        return self

    def fill_name(self, name: str) -> Self:
        self._locator("eulogin.add_device.name").fill(name)
        return self

    def submit(self, pin: Secret) -> EnrolmentPage:
        """The PIN twice, "Skicka" (guide B5); the QR code page, or the portal's refusal raised."""
        self._locator("eulogin.add_device.pin").fill(pin.reveal())
        self._locator("eulogin.add_device.pin_confirm").fill(pin.reveal())
        self._locator("eulogin.add_device.submit").click()
        enrolment = EnrolmentPage(self.page, self.catalog, self.timeout_ms)
        outcome = first_visible(self.page, {"qr": enrolment.qr_image,
                                            "refused": self._locator("eulogin.add_device.refused")}, self.timeout_ms)
        if outcome == "refused":
            message = self._locator("eulogin.add_device.refused").first.inner_text().strip()
            raise BusinessError(f"EU Login refused the device: {message}")
        return enrolment


class EnrolmentPage(BasePage):
    @property
    def qr_image(self) -> Locator:
        return self._locator("eulogin.enrol.qr")

    def qr_png(self) -> bytes:
        return bytes(self.qr_image.screenshot(timeout=self.timeout_ms))

    def qr_modules(self) -> list[list[bool]]:
        modules: list[list[bool]] = self.qr_image.evaluate(_QR_MODULES_JS)
        return modules

    def wait_for_phone(self, timeout_s: float, show: Callable[[int], None]) -> str:
        """Until the app has scanned the code and the PIN was entered: "registered" or "expired".
        `show` gets the seconds the portal says are left, about once a second."""
        devices = DevicesPage(self.page, self.catalog, self.timeout_ms)
        candidates = {"registered": self._locator("eulogin.devices.registered"),
                      "expired": self._locator("eulogin.enrol.expired")}
        deadline = time.monotonic() + timeout_s
        while True:
            left = self._locator("eulogin.enrol.seconds_left")
            if left.count():
                text = left.first.text_content() or ""
                show(int(text) if text.strip().isdigit() else 0)
            try:
                outcome = first_visible(self.page, candidates, 1000)
            except PortalTimeoutError:
                if time.monotonic() > deadline:
                    raise PortalTimeoutError(
                        f"the phone did not complete the registration within {timeout_s:.0f} s") from None
                continue
            if outcome == "registered":
                devices.wait_until_loaded()
            return outcome
