"""Any screen's structure, for `portal capture`: its form controls, buttons and links with what a
locator could hold on to (tag, id, name, type, class, role, accessible name), read in one `evaluate`.

Never a value: what a field holds is the user's data. The accessible name is computed the way
browsers mostly do (aria-labelledby, aria-label, the field's label, a button's value, its text,
title, placeholder); Playwright's ARIA snapshot, recorded beside it, has the exact names.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from playwright.sync_api import Page

CONTROLS_SCRIPT = """() => {
  const selector = 'input, select, textarea, button, summary, a[href], [role=button], [role=link], '
    + '[role=menuitem], [role=tab], [role=checkbox], [role=radio], [role=combobox], [role=textbox], [role=option]';
  const squash = (s) => (s || '').replace(/\\s+/g, ' ').trim();
  const text = (el) => squash(el.innerText || el.textContent);
  const labelledBy = (ids) => ids.split(/\\s+/).map((id) => document.getElementById(id)).filter(Boolean)
    .map(text).join(' ');
  const accessibleName = (el) => {
    if (el.getAttribute('aria-labelledby')) return squash(labelledBy(el.getAttribute('aria-labelledby')));
    if (el.getAttribute('aria-label')) return squash(el.getAttribute('aria-label'));
    if (el.labels && el.labels.length) return squash(Array.from(el.labels).map(text).join(' '));
    if (el.tagName === 'INPUT' && ['submit', 'button', 'reset'].includes(el.type)) return squash(el.value);
    if (['INPUT', 'TEXTAREA', 'SELECT'].includes(el.tagName)) {
      return squash(el.getAttribute('title') || el.getAttribute('placeholder'));
    }
    return text(el) || squash(el.getAttribute('title'));
  };
  const inputRoles = {checkbox: 'checkbox', radio: 'radio', submit: 'button', button: 'button', reset: 'button',
    image: 'button', search: 'searchbox', number: 'spinbutton', range: 'slider', hidden: null, password: null};
  const role = (el) => {
    if (el.getAttribute('role')) return el.getAttribute('role');
    const tag = el.tagName;
    if (tag === 'A') return 'link';
    if (tag === 'BUTTON' || tag === 'SUMMARY') return 'button';
    if (tag === 'TEXTAREA') return 'textbox';
    if (tag === 'SELECT') return el.multiple || el.size > 1 ? 'listbox' : 'combobox';
    if (tag === 'INPUT') {
      const type = (el.getAttribute('type') || 'text').toLowerCase();
      return type in inputRoles ? inputRoles[type] : 'textbox';
    }
    return null;
  };
  const visible = (el) => !!(el.offsetWidth || el.offsetHeight || el.getClientRects().length)
    && getComputedStyle(el).visibility !== 'hidden';
  return Array.from(document.querySelectorAll(selector)).map((el) => ({
    tag: el.tagName.toLowerCase(),
    id: el.id || null,
    name: el.getAttribute('name'),
    type: el.getAttribute('type'),
    class: squash(el.getAttribute('class')) || null,
    role: role(el),
    accessible_name: accessibleName(el),
    visible: visible(el),
    in_row: !!el.closest('tr, [role=row]') && !el.closest('th, [role=columnheader]'),
  }));
}"""


@dataclass(frozen=True)
class Control:
    """One form control, button or link of a screen, as a locator would see it."""

    tag: str
    id: str | None
    name: str | None
    type: str | None
    class_: str | None
    role: str | None
    accessible_name: str
    visible: bool
    in_row: bool  # inside a table row: its name may be data (a person, a company), not a label

    def as_dict(self) -> dict[str, Any]:
        return {"tag": self.tag, "id": self.id, "name": self.name, "type": self.type, "class": self.class_,
                "role": self.role, "accessible_name": self.accessible_name, "visible": self.visible,
                "in_row": self.in_row}


def read_controls(page: Page) -> list[Control]:
    """Every form control, button and link of the page now, in document order (read-only)."""
    found: list[dict[str, Any]] = page.evaluate(CONTROLS_SCRIPT)
    return [Control(f["tag"], f["id"], f["name"], f["type"], f["class"], f["role"], f["accessible_name"] or "",
                    bool(f["visible"]), bool(f["in_row"])) for f in found]
