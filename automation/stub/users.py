"""TRACES "Actors" → "Users": search users, pending requests, a user's page with the authority boxes,
"Save changes" (or "Save"), the administrator toggle, "Unsuspend User" and the "As" profile chooser
(guide E, F; TNT-HELP).

Only administrators of an operator, and the users of its authority, see its users; everyone else gets the
refusal. A user's role at an operator its authority has not validated yet ("New") cannot be validated
(TNT-PH: only once the operator is "Valid"). Paths inferred."""

from __future__ import annotations

import math
from typing import Any

from flask import Blueprint, abort, redirect, render_template, request, url_for
from flask.typing import ResponseReturnValue

from automation.stub.operators import authority_of, operators_of_authority
from automation.stub.traces import administered_operators, signed_in_user
from automation.stub.traces_data import RoleRequest
from automation.stub.web import portal

bp = Blueprint("users", __name__, url_prefix="/tracesnt/actors")
PAGE_SIZE = 50


def display_name(username: str) -> str:
    state = portal()
    account = state.account(username)
    return account.display_name if account else state.traces.people.get(username, username)


def managed_operators(username: str) -> list[int]:
    """The operators whose users `username` may validate: those it administers, and, for an authority
    user, those under its authority."""
    authority = authority_of(username)
    under_authority = [o.id for o in operators_of_authority(authority)] if authority is not None else []
    return list(dict.fromkeys(administered_operators(username) + under_authority))


def operator_is_valid(operator_id: int) -> bool:
    operator = portal().traces.operator(operator_id)
    return operator is not None and operator.status == "valid"


def _refused() -> ResponseReturnValue:
    return render_template("traces/refused.html", user=signed_in_user(), key="users.refused"), 403


@bp.get("/users")
def users() -> ResponseReturnValue:
    admin = signed_in_user()
    state = portal()
    operators = managed_operators(admin.username)
    if not operators:
        return _refused()
    pending_only = bool(request.args.get("pending"))
    query = request.args.get("q", "").strip().lower()
    searched = pending_only or "q" in request.args
    rows: list[RoleRequest] = []
    if searched:
        rows = [r for r in state.traces.requests
                if r.operator_id in operators and r.username != admin.username
                and (not pending_only or r.status == "pending")
                and (not query or query in r.username or query in display_name(r.username).lower())
                and (not request.args.get("operator") or str(r.operator_id) == request.args["operator"])]
    pages = max(1, math.ceil(len(rows) / PAGE_SIZE))
    page = min(max(1, int(request.args.get("page", "1") or 1)), pages)
    shown = rows[(page - 1) * PAGE_SIZE: page * PAGE_SIZE]
    return render_template("traces/users.html", user=admin, rows=shown, searched=searched, page=page, pages=pages,
                           args=request.args, display_name=display_name, operator=state.traces.operator,
                           operator_choices=operators)


@bp.get("/user")
def user_page() -> ResponseReturnValue:
    admin = signed_in_user()
    state = portal()
    username = request.args.get("username", "").lower()
    operators = managed_operators(admin.username)
    boxes = [r for r in state.traces.roles_of(username) if r.operator_id in operators]
    if not operators or (not boxes and state.traces.roles_of(username)):
        return _refused()
    if not boxes:
        abort(404)
    account = state.account(username)
    message = request.args.get("message")
    # TNT-HELP: a user with several profiles is shown one at a time, picked under "As" first
    # (profile_chooser). Inferred reading: the profiles are the user's requests at operators this
    # administrator administers; until one is picked, no authority box is shown.
    profiles = boxes
    chosen = request.args.get("as", "")
    choosing = state.variants.profile_chooser and len(boxes) > 1
    if choosing:
        boxes = [b for b in boxes if str(b.id) == chosen]
    return render_template("traces/user.html", user=admin, person=username, name=display_name(username),
                           boxes=boxes, profiles=profiles if choosing else [], chosen=chosen,
                           operator=state.traces.operator,
                           suspended=bool(account and account.traces_suspended), message=message,
                           unsuspend_in_form=state.variants.unsuspend_needs_save, operator_is_valid=operator_is_valid)


@bp.post("/user")
def save_user() -> ResponseReturnValue:
    """"Save changes": nothing on the page is kept without it (guide E4)."""
    admin = signed_in_user()
    state = portal()
    state.forms["traces.users.save"] += 1
    username = request.form.get("username", "").lower()
    operators = managed_operators(admin.username)
    with state.lock:
        # Only the boxes the page showed are in the form ("As" may show one profile of several).
        for box in [r for r in state.traces.roles_of(username) if r.operator_id in operators
                    and f"decision_{r.id}" in request.form]:
            decision = request.form.get(f"decision_{box.id}", "")
            wants_admin = request.form.get(f"admin_{box.id}") == "1"
            key = f"{username}:{box.operator_id}"
            if box.status == "pending" and decision == "approve" and not operator_is_valid(box.operator_id):
                state.user_actions[f"refused_operator_not_valid:{key}"] += 1  # TNT-PH: the operator first
            elif box.status == "pending" and decision == "approve":
                # The first user validated at an operator becomes its administrator (guide D1).
                first = not any(r.status == "authorised" for r in state.traces.requests
                                if r.operator_id == box.operator_id)
                box.status = "authorised"
                box.administrator = box.administrator or (first and authority_of(admin.username) is not None)
                state.user_actions[f"approve:{key}"] += 1
            elif box.status == "pending" and decision == "reject":
                state.traces.requests.remove(box)
                state.user_actions[f"reject:{key}"] += 1
            # The blue person icon counts only for an authority approved and saved before (guide F1).
            elif box.status == "authorised" and wants_admin != box.administrator:
                box.administrator = wants_admin
                state.user_actions[f"{'admin' if wants_admin else 'unadmin'}:{key}"] += 1
        # "Unsuspend User" then save (unsuspend_needs_save): the unsuspension travels with the save.
        account = state.account(username)
        related = any(r.operator_id in operators for r in state.traces.roles_of(username))
        if (request.form.get("unsuspend") == "1" and state.variants.unsuspend_needs_save and related
                and account is not None and account.traces_suspended):
            account.traces_suspended = False
            state.user_actions[f"unsuspend:{username}"] += 1
    shown: dict[str, Any] = {"as": request.form["as"]} if request.form.get("as") else {}
    return redirect(url_for(".user_page", username=username, message="user.saved", **shown))


@bp.post("/user/unsuspend")
def unsuspend() -> ResponseReturnValue:
    admin = signed_in_user()
    state = portal()
    state.forms["traces.users.unsuspend"] += 1
    if state.variants.unsuspend_needs_save:
        # On that portal "Unsuspend User" only marks the page; the save does it. A direct post is refused.
        abort(404)
    username = request.form.get("username", "").lower()
    operators = managed_operators(admin.username)
    if not any(r.operator_id in operators for r in state.traces.roles_of(username)):
        return _refused()
    account = state.account(username)
    with state.lock:
        if account is not None and account.traces_suspended:
            account.traces_suspended = False
            state.user_actions[f"unsuspend:{username}"] += 1
    return redirect(url_for(".user_page", username=username, message="user.unsuspended"))
