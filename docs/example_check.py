import pytest

from automation.page_objects import Catalog, UsersPage


@pytest.mark.tracesctl_account("anna-admin")
def test_anna_sees_the_three_pending_requests(signed_in_page, portal_client):
    users = UsersPage(signed_in_page, Catalog("sv"))
    assert users.open_from_menu() == "users"
    assert len(users.search(pending=True).rows()) == 3
    assert portal_client.state()["user_actions"] == {}  # looking changed nothing
