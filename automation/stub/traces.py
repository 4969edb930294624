"""TRACES NT screens: the entry page, the CAS callback, home, sign-out."""

from __future__ import annotations

import dataclasses
import secrets

from flask import Blueprint, abort, make_response, redirect, render_template, request, url_for
from flask.typing import ResponseReturnValue
from werkzeug.wrappers import Response as WerkzeugResponse

from automation.stub.cas import password_alone_allowed
from automation.stub.state import MOBILE_APP, PASSWORD, SOFTWARE_TOKEN, WEBAUTHN, Account
from automation.stub.traces_data import RoleRequest
from automation.stub.web import portal, with_query

bp = Blueprint("traces", __name__, url_prefix="/tracesnt")

SESSION_COOKIE = "JSESSIONID"
# TRACES asks EU Login for two factors: the older acceptStrengths list, or authenticationLevel=MEDIUM
# (OE-AUTH, 2025); which one TRACES' link uses is not public (variant two_factor_request).
ACCEPT_STRENGTHS = ",".join((MOBILE_APP, SOFTWARE_TOKEN, WEBAUTHN))
AUTHENTICATION_LEVEL = "MEDIUM"


def _service_url() -> str:
    return url_for("traces.cas_callback", _external=True)


def session_account() -> Account | None:
    username = portal().traces_sessions.get(request.cookies.get(SESSION_COOKIE, ""))
    return portal().account(username) if username else None


def as_seen(role: RoleRequest) -> RoleRequest:
    """`role` as this session sees it: with the status and administrator flag it had when the session
    began, or it was made in (TNT-HELP: "Once the access is validated, the user must sign in to TRACES
    again")."""
    seen = portal().traces_seen.get(request.cookies.get(SESSION_COOKIE, ""), {}).get(role.id)
    return role if seen is None else dataclasses.replace(role, status=seen[0], administrator=seen[1])


def seen_in_session(role: RoleRequest) -> None:
    """A request the user makes during the session is part of what the session sees, as it is now."""
    seen = portal().traces_seen.get(request.cookies.get(SESSION_COOKIE, ""))
    if seen is not None:
        seen[role.id] = (role.status, role.administrator)


def own_roles(username: str) -> list[RoleRequest]:
    """The signed-in user's own role requests, as the session sees them."""
    return [as_seen(r) for r in portal().traces.roles_of(username)]


def administered_operators(username: str) -> list[int]:
    """The operators the signed-in user administers, as the session sees it (a right given since the
    session began takes a new sign-in)."""
    return [r.operator_id for r in own_roles(username) if r.status == "authorised" and r.administrator]


def signed_in_user() -> Account:
    """The TRACES session's account; without one the request ends in a redirect to the entry page."""
    account = session_account()
    if account is None:
        abort(WerkzeugResponse(status=302, headers={"Location": url_for("traces.entry")}))
    return account


# Inferred (portal-facts): a visit to /tracesnt/ is never a 404; it lands on the entry page, or home
# with a session.
@bp.get("/")
def root() -> ResponseReturnValue:
    return redirect(url_for(".home" if session_account() is not None else ".entry"))


@bp.get("/login")
def entry() -> ResponseReturnValue:
    if session_account() is not None:
        return redirect(url_for(".home"))
    if portal().variants.two_factor_request == "authentication_level":
        login_url = with_query(url_for("cas.login"), service=_service_url(), authenticationLevel=AUTHENTICATION_LEVEL)
    else:
        login_url = with_query(url_for("cas.login"), service=_service_url(), acceptStrengths=ACCEPT_STRENGTHS)
    return render_template("traces/entry.html", login_url=login_url)


# Path inferred: the real TRACES service URL registered with EU Login is not public.
@bp.get("/auth/cas")
def cas_callback() -> ResponseReturnValue:
    state = portal()
    ticket = state.take_ticket(request.args.get("ticket", ""), _service_url())
    account = state.account(ticket.username) if ticket else None
    if ticket is None or account is None:
        return make_response(render_template("traces/auth_failed.html"), 401)
    if ticket.strength == PASSWORD and not password_alone_allowed(account):
        # The ticket says Password alone (authenticationLevel BASIC): TRACES lets nobody in with that
        # (TNT-HELP, LIVS), however the sign-in was asked for (a login link without acceptStrengths).
        state.forms["traces.refused_password_alone"] += 1
        return make_response(render_template("traces/auth_failed.html", two_factors=True), 403)
    session_id = secrets.token_urlsafe(24)
    with state.lock:
        state.traces_sessions[session_id] = account.username
        state.traces_seen[session_id] = {r.id: (r.status, r.administrator)
                                         for r in state.traces.roles_of(account.username)}
        if not account.traces_suspended and not state.is_inactive(account):
            account.traces_signins += 1
            account.last_traces_use = state.now()
    # Drop the ticket from the address bar, as CAS clients do.
    response = redirect(url_for(".home"))
    response.set_cookie(SESSION_COOKIE, session_id, path="/tracesnt", httponly=True, samesite="Lax")
    return response


@bp.get("/home")
def home() -> ResponseReturnValue:
    account = session_account()
    if account is None:
        return redirect(url_for(".entry"))
    if account.traces_suspended:
        return render_template("traces/status.html", user=account, kind="suspended")
    if portal().is_inactive(account):
        return render_template("traces/status.html", user=account, kind="inactive")
    roles = [(portal().traces.operator(r.operator_id), r) for r in own_roles(account.username)]
    # First sign-in: choose the organisation type (guide C2). Authority users have no operator role.
    if not roles and account.username not in portal().traces.authority_staff:
        return redirect(url_for("registration.organisation_type"))
    return render_template("traces/home.html", user=account, roles=roles, created=bool(request.args.get("created")))


@bp.get("/logout")
def logout() -> WerkzeugResponse:
    portal().traces_sessions.pop(request.cookies.get(SESSION_COOKIE, ""), None)
    portal().traces_seen.pop(request.cookies.get(SESSION_COOKIE, ""), None)
    # A logout the service starts: EU Login may ask for confirmation (variant logout_confirmation).
    response = redirect(url_for("cas.logout", service=url_for(".entry", _external=True)))
    response.delete_cookie(SESSION_COOKIE, path="/tracesnt")
    return response
