"""TRACES "Actors" → "Operators" for authority users: "Find my operators", an operator's page opened by
its name or the pen icon, the green check of an activity, "Save" → "Valid" (TNT-PH "Operator
validation workflow"). An operator created at registration shows Activity Status "New" here until its
authority validates it; only then can the user's role at it be validated (users.py).

Paths, the search form and the page layout are inferred; the labels quoted above are the help's."""

from __future__ import annotations

from flask import Blueprint, abort, redirect, render_template, request, url_for
from flask.typing import ResponseReturnValue

from automation.stub.traces import signed_in_user
from automation.stub.traces_data import Operator
from automation.stub.web import portal

bp = Blueprint("operators", __name__, url_prefix="/tracesnt/actors")


def authority_of(username: str) -> int | None:
    """The authority an authority user works for; None for everybody else."""
    return portal().traces.authority_staff.get(username)


def operators_of_authority(authority_id: int) -> list[Operator]:
    """The operators with an activity under `authority_id` ("my operators")."""
    return [o for o in portal().traces.operators if any(a.authority_id == authority_id for a in o.activities)]


def _mine(operator_id: int) -> Operator | None:
    authority = authority_of(signed_in_user().username)
    if authority is None:
        return None
    return next((o for o in operators_of_authority(authority) if o.id == operator_id), None)


def _refused() -> ResponseReturnValue:
    return render_template("traces/refused.html", user=signed_in_user(), key="operators.refused"), 403


@bp.get("/operators")
def operators() -> ResponseReturnValue:
    user = signed_in_user()
    authority = authority_of(user.username)
    if authority is None:
        return _refused()
    searched = bool(request.args.get("mine"))
    rows = operators_of_authority(authority) if searched else []
    return render_template("traces/operators.html", user=user, rows=rows, searched=searched)


@bp.get("/operator")
def operator_page() -> ResponseReturnValue:
    user = signed_in_user()
    if authority_of(user.username) is None:
        return _refused()
    operator = _mine(int(request.args.get("id", "0") or 0))
    if operator is None:
        abort(404)
    return render_template("traces/operator.html", user=user, operator=operator,
                           saved=request.args.get("saved") == "1")


@bp.post("/operator")
def save_operator() -> ResponseReturnValue:
    """"Save": a green check given to the operator's activity makes it "Valid"; nothing without saving."""
    state = portal()
    state.forms["traces.operators.save"] += 1
    user = signed_in_user()
    if authority_of(user.username) is None:
        return _refused()
    operator = _mine(int(request.form.get("id", "0") or 0))
    if operator is None:
        abort(404)
    with state.lock:
        if operator.status != "valid" and request.form.get("validate") == "1":
            operator.status = "valid"
            state.user_actions[f"validate_operator:{operator.id}"] += 1
    return redirect(url_for(".operator_page", id=operator.id, saved=1))
