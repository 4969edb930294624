"""Second factors: what happens between EU Login's password step and the service.

Each factor names its verification method (EU Login's chooser picks it by its strength code), may
prepare the browser before the sign-in starts (a passkey needs its virtual authenticator), completes
its own screen, and may save state afterwards (a passkey's advanced sign counter).
"""

from automation.factors.build import build_factor
from automation.pages.eulogin.password import Factor, SecondFactorStep

__all__ = ["Factor", "SecondFactorStep", "build_factor"]
