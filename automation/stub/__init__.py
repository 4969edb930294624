"""The offline portal: EU Login (CAS) and TRACES NT screens served by Flask on loopback.

It stands in for the real portals in tests and in the demo. Its labels and DOM come from its own
templates and `i18n.py`, modelled on shared/docs/portal-facts.md and the guide, never from
`selectors/`: a wrong selector must fail against it, not be confirmed by it. It takes no rule from the
toolkit either (tests/unit/test_layering.py checks both).

`FACTS.md` lists every modelled fact with its source and whether it is confirmed or inferred. Where
sources disagree, `variants.py` holds the settings that choose which version the portal shows.
"""

from automation.stub.app import create_app
from automation.stub.server import StubServer

__all__ = ["StubServer", "create_app"]
