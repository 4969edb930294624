"""EU Login's password rule, and passwords generated to meet it."""

from __future__ import annotations

import re
import secrets
import string

from automation.errors import WeakPasswordError
from automation.secrets import Secret

SPECIAL = "!#%&()*+-.:;<=>?@_"
PASSWORD_RULE = ("an EU Login password needs at least 10 characters mixing upper case, lower case, digits "
                 "and special characters")



def meets_rule(password: str) -> bool:
    """At least 10 characters mixing upper case, lower case, digits and special characters."""
    return (len(password) >= 10 and re.search(r"[A-Z]", password) is not None
            and re.search(r"[a-z]", password) is not None and re.search(r"\d", password) is not None
            and re.search(r"[^A-Za-z0-9]", password) is not None)


def generate_password(length: int = 20) -> Secret:
    alphabet = string.ascii_letters + string.digits + SPECIAL
    while True:
        candidate = "".join(secrets.choice(alphabet) for _ in range(length))
        if meets_rule(candidate):
            return Secret(candidate)


def checked_password(password: Secret) -> Secret:
    """`password` if it meets the rule, else WeakPasswordError (exit 2) before anything is sent."""
    if not meets_rule(password.reveal()):
        raise WeakPasswordError(PASSWORD_RULE)
    return password
