"""TRACES NT registration screens: organisation type, operator search, request authorisation,
create a new operator, and the profile with "Request new role" (guide C, C-exists, C-new, G).

Paths are inferred: the real ones are not public."""

from __future__ import annotations

import json

from flask import Blueprint, abort, redirect, render_template, request, url_for
from flask.typing import ResponseReturnValue
from werkzeug.wrappers import Response as WerkzeugResponse

from automation.stub.state import Account
from automation.stub.traces import own_roles, seen_in_session, signed_in_user
from automation.stub.traces_data import (
    AUTHORITY_SEARCH_CHAPTERS,
    AUTOMATIC_AUTHORITY_CHAPTERS,
    CHAPTERS,
    CONTROL_BODY_CHAPTERS,
    IDENTIFIER_TYPES,
    OPER_029_SECTIONS,
    POSTAL_CODES,
    Activity,
    Operator,
    RoleRequest,
    authority_from_address,
)
from automation.stub.web import portal, t

bp = Blueprint("registration", __name__, url_prefix="/tracesnt")
COUNTRIES = ("SE", "DK", "NO", "FI")


def activity_labels(operator: Operator) -> list[str]:
    return [t(f"activity.{a.activity}") for a in operator.activities]


def identifier_labels(operator: Operator) -> list[str]:
    return [f"{t('id.' + kind)}: {value}" for kind, value in operator.identifiers]


@bp.get("/registration/organisation-type")
def organisation_type() -> ResponseReturnValue:
    return render_template("traces/organisation_type.html", user=signed_in_user())


@bp.get("/registration/operator/search")
def operator_search() -> ResponseReturnValue:
    user = signed_in_user()
    searched = "country" in request.args
    country = request.args.get("country", "")
    name = request.args.get("name", "").strip().lower()
    section = request.args.get("section", "")
    results = []
    if searched and country:
        results = [o for o in portal().traces.operators
                   if o.country == country and name in o.name.lower()
                   and (not section or any(a.section == section for a in o.activities))]
    sections = sorted({s for chapter in CHAPTERS.values() for s in chapter})
    return render_template("traces/operator_search.html", user=user, searched=searched, results=results,
                           countries=COUNTRIES, sections=sections, args=request.args, activity_labels=activity_labels,
                           identifier_labels=identifier_labels, missing_country=searched and not country)


@bp.post("/registration/operator/request")
def request_authorisation() -> ResponseReturnValue:
    state = portal()
    state.forms["traces.request_authorisation"] += 1
    user = signed_in_user()
    # One row with the radio; one or more with the "Select" tick boxes (operator_select="checkbox").
    ids = list(dict.fromkeys(int(x) for x in request.form.getlist("operator_id") if x.isdigit()))
    operators = [state.traces.operator(i) for i in ids]
    if not operators or any(o is None for o in operators):
        abort(400)
    with state.lock:
        new = [o for o in operators if o is not None
               and not any(r.operator_id == o.id for r in state.traces.roles_of(user.username))]
        if not new:
            return redirect(url_for(".profile", already=1))
        for operator in new:
            made = RoleRequest(next(state.traces.ids), user.username, operator.id, "pending",
                               info=request.form.get("info", ""))
            state.traces.requests.append(made)
            seen_in_session(made)
    return redirect(url_for(".profile", sent=1))


def _form_context(user: Account, errors: list[str], values: dict[str, str]) -> dict[str, object]:
    chapters = {c: {s: acts for s, acts in sections.items()} for c, sections in CHAPTERS.items()}
    labels = {f"section.{s}": t(f"section.{s}") for c in CHAPTERS.values() for s in c}
    labels |= {f"activity.{a}": t(f"activity.{a}") for c in CHAPTERS.values() for acts in c.values() for a in acts}
    control_bodies = [a for a in portal().traces.authorities if "domain.organic" in a.domains]
    return {"user": user, "errors": errors, "values": values, "countries": COUNTRIES, "chapters": CHAPTERS,
            "tree_json": json.dumps({"chapters": chapters, "labels": labels}), "identifier_types": IDENTIFIER_TYPES,
            "postal_codes": sorted(POSTAL_CODES), "search_chapters": sorted(AUTHORITY_SEARCH_CHAPTERS),
            "automatic_chapters": sorted(AUTOMATIC_AUTHORITY_CHAPTERS),
            "control_body_chapters": sorted(CONTROL_BODY_CHAPTERS), "control_bodies": control_bodies}


@bp.get("/registration/operator/new")
def create_operator() -> ResponseReturnValue:
    user = signed_in_user()
    if "searched" not in request.args:  # "+ Create a New operator" works only after a search
        return redirect(url_for(".operator_search"))
    return render_template("traces/operator_form.html", **_form_context(user, [], {}))


# TNT-PH: "Fill in the identifier if possible": the identifier is not mandatory (no red star).
MANDATORY = ("name", "street", "postal_code", "city", "country", "phone", "email",
             "chapter", "section", "activity", "identification_code", "activity_address")


def _missing(values: dict[str, str]) -> list[str]:
    missing = [t(f"op.{f}") if f != "activity_address" else t("op.activity_address")
               for f in MANDATORY if not values.get(f)]
    chapter = values.get("chapter", "")
    if chapter in AUTHORITY_SEARCH_CHAPTERS and not values.get("authority_id"):
        missing.append(t("op.authorities"))
    if chapter in CONTROL_BODY_CHAPTERS and not values.get("control_body_id", "").isdigit():
        missing.append(t("op.control_body"))
    return missing


def _addresses(values: dict[str, str]) -> list[tuple[str, str, str]]:
    """The main address, then the one "+ Add address" added (when filled in)."""
    main = (values.get("street", ""), values.get("postal_code", ""), values.get("city", ""))
    extra = (values.get("extra_street", ""), values.get("extra_postal_code", ""), values.get("extra_city", ""))
    return [main] + ([extra] if all(extra) else [])


@bp.post("/registration/operator/new")
def create_operator_post() -> ResponseReturnValue:
    state = portal()
    state.forms["traces.create_operator"] += 1
    user = signed_in_user()
    values = {k: v.strip() for k, v in request.form.items()}
    missing = _missing(values)
    errors = [t("op.mandatory").format(fields=", ".join(dict.fromkeys(missing)))] if missing else []
    if any(code and code not in POSTAL_CODES for code in (values.get("postal_code"), values.get("extra_postal_code"))):
        errors.append(t("op.bad_postal_code"))
    activities = CHAPTERS.get(values.get("chapter", ""), {}).get(values.get("section", ""), [])
    if values.get("activity") and values["activity"] not in activities:
        errors.append(t("op.mandatory").format(fields=t("op.activity")))
    if values.get("section") in OPER_029_SECTIONS:
        errors.append(t("op.oper029").format(section=OPER_029_SECTIONS[values["section"]]))
    if errors:
        return render_template("traces/operator_form.html", **_form_context(user, errors, values)), 400
    authority = _authority_for(values)
    identifiers = [(values.get("identifier_type", ""), values["identifier"])] if values.get("identifier") else []
    with state.lock:
        operator = Operator(
            next(state.traces.ids), values["name"], values["street"], values["postal_code"], values["city"],
            values["country"], values["phone"], values["email"], identifiers,
            [Activity(values["chapter"], values["section"], values["activity"], authority)],
            status="pending", identification_code=values["identification_code"],
            other_addresses=_addresses(values)[1:],
        )
        state.traces.operators.append(operator)
        made = RoleRequest(next(state.traces.ids), user.username, operator.id, "pending")
        state.traces.requests.append(made)
        seen_in_session(made)
    return redirect(url_for("traces.home", created=1))


def _authority_for(values: dict[str, str]) -> int:
    """Plant Health and EU CITES: assigned from the address, whatever was posted (TNT-PH); Organic:
    the "Control Body / Control Authority" chosen; the others: the authority the search chose."""
    chapter = values.get("chapter", "")
    if chapter in AUTOMATIC_AUTHORITY_CHAPTERS:
        return authority_from_address(portal().traces, chapter, values.get("section", ""), values.get("city", ""))
    if chapter in CONTROL_BODY_CHAPTERS:
        return int(values["control_body_id"])
    return int(values["authority_id"]) if values.get("authority_id", "").isdigit() else \
        authority_from_address(portal().traces, chapter, values.get("section", ""), values.get("city", ""))


@bp.get("/registration/authorities")
def authorities() -> ResponseReturnValue:
    signed_in_user()
    query = request.args.get("q", "").strip().lower()
    found = [{"id": a.id, "name": a.name, "domains": [t(d) for d in a.domains]}
             for a in portal().traces.authorities if query and (query in a.name.lower() or query in a.city.lower())]
    return WerkzeugResponse(json.dumps(found), mimetype="application/json")


@bp.get("/profile")
def profile() -> ResponseReturnValue:
    user = signed_in_user()
    state = portal()
    roles = [(state.traces.operator(r.operator_id), r) for r in own_roles(user.username)]
    message = t("reg.sent") if request.args.get("sent") else t("reg.already") if request.args.get("already") else None
    return render_template("traces/profile.html", user=user, roles=roles, message=message)
