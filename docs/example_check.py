import pytest

from automation.page_objects import Catalog, TracesHomePage


@pytest.mark.tracesctl_account("anna-admin")
def test_anna_sees_the_three_pending_requests(signed_in_page, portal_client):
    home = TracesHomePage(signed_in_page, Catalog("sv"), email="anna.admin@vaxtexport.se")
    users = home.open_users()  # "Actors" > "Users"; NotAdministratorError if TRACES refuses
    assert len(users.search(pending=True).rows()) == 3
    assert portal_client.state()["user_actions"] == {}  # looking changed nothing
