"""The company file (TOML) of `request-access`: who the operator is. Validated before any browser."""

from __future__ import annotations

import re
import tomllib
import unicodedata
from dataclasses import dataclass
from pathlib import Path

from automation.errors import CompanyFileError
from automation.files import read_input_text
from automation.values import MAX_EMAIL, MAX_FIELD, check_text


def normalise_organisation_number(raw: str) -> str:
    """A Swedish organisation number as NNNNNN-NNNN; ten digits whose last is the Luhn check digit."""
    # NFKC turns full-width digits into ASCII ones; any other digit (Arabic-Indic...) is refused,
    # or a number in another script would match no operator and create a duplicate.
    digits = unicodedata.normalize("NFKC", raw).replace("-", "").replace(" ", "")
    if not re.fullmatch(r"[0-9]{10}", digits):
        raise CompanyFileError(f"organisation number {raw!r} must be ten digits (NNNNNN-NNNN)")
    total = 0
    for index, char in enumerate(digits[:9]):
        product = int(char) * (2 if index % 2 == 0 else 1)
        total += product // 10 + product % 10
    if (10 - total % 10) % 10 != int(digits[9]):
        raise CompanyFileError(f"organisation number {raw!r} has a wrong check digit")
    return f"{digits[:6]}-{digits[6:]}"


@dataclass(frozen=True)
class Company:
    name: str
    organisation_number: str
    street: str
    postal_code: str  # five digits
    city: str
    phone: str
    email: str


FIELDS = ("name", "organisation_number", "street", "postal_code", "city", "phone", "email")


def load_company(path: Path) -> Company:
    try:
        data = tomllib.loads(read_input_text(path, "company file", CompanyFileError))
    except tomllib.TOMLDecodeError as exc:
        raise CompanyFileError(f"company file {path} cannot be read: {exc}".replace("\n", " ")) from None
    missing = [f for f in FIELDS if not isinstance(data.get(f), str) or not data[f].strip()]
    if missing:
        raise CompanyFileError(f"company file {path}: missing or empty: {', '.join(missing)}")
    unknown = sorted(set(data) - set(FIELDS))
    if unknown:
        raise CompanyFileError(f"company file {path}: unknown field(s) {', '.join(unknown)}")
    # Checked before stripping: str.strip() also removes U+2028 and other separators, which would
    # pass a hidden character at either end silently instead of refusing it.
    values = {f: check_text(data[f], f"company file {path}: {f}", MAX_FIELD if f != "email" else MAX_EMAIL,
                            CompanyFileError).strip() for f in FIELDS}
    postal_code = unicodedata.normalize("NFKC", values["postal_code"]).replace(" ", "")
    if not re.fullmatch(r"[0-9]{5}", postal_code):
        raise CompanyFileError(f"company file {path}: postal_code {values['postal_code']!r} must be five digits")
    if not re.fullmatch(r"[^@\s]+@[^@\s]+\.[^@\s]+", values["email"]):
        raise CompanyFileError(f"company file {path}: email {values['email']!r} is not an e-mail address")
    try:
        number = normalise_organisation_number(values["organisation_number"])
    except CompanyFileError as exc:
        raise CompanyFileError(f"company file {path}: {exc}") from None
    return Company(values["name"], number, values["street"], postal_code, values["city"], values["phone"],
                   values["email"])
