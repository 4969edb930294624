"""Flask application factory of the offline portal."""

from __future__ import annotations

import re
import time
from typing import Any

from flask import Flask, Response, g, render_template, request

from automation.stub import cas, control, devices, operators, password_reset, registration, signup, traces, users
from automation.stub.i18n import DEFAULT_LOCALE, LOCALES
from automation.stub.state import PortalState
from automation.stub.web import t

LANG_COOKIE = "stub_lang"
# TRACES submissions that the fault "fail_after_submit" processes, then answers with a 503.
SUBMITS = {"registration.request_authorisation", "registration.create_operator_post", "users.save_user",
           "users.unsuspend", "operators.save_operator"}


def create_app(state: PortalState | None = None) -> Flask:
    app = Flask(__name__)
    app.extensions["portal_state"] = state or PortalState()
    app.register_blueprint(cas.bp)
    app.register_blueprint(traces.bp)
    app.register_blueprint(registration.bp)
    app.register_blueprint(users.bp)
    app.register_blueprint(operators.bp)
    app.register_blueprint(password_reset.bp)
    app.register_blueprint(signup.bp)
    app.register_blueprint(devices.bp)
    app.register_blueprint(control.bp)

    @app.before_request
    def choose_locale() -> None:
        asked = request.args.get("lang")
        remembered = request.cookies.get(LANG_COOKIE)
        g.locale = next((x for x in (asked, remembered) if x in LOCALES), DEFAULT_LOCALE)

    @app.before_request
    def inject_faults() -> Response | None:
        if request.path.startswith(("/__stub__", "/static")):
            return None
        portal: PortalState = app.extensions["portal_state"]
        with portal.lock:
            latency_ms = portal.faults.latency_ms
            fail = portal.faults.fail_next > 0
            if fail:
                portal.faults.fail_next -= 1
            elif portal.faults.error_rate:
                fail = portal.fault_random.random() < portal.faults.error_rate
        if latency_ms:
            time.sleep(latency_ms / 1000)  # injected latency: the stub, not the toolkit, waits
        if fail:
            body = render_template("error.html", title=t("error.unavailable"))
            return Response(body, status=503)
        return None

    @app.after_request
    def fail_after_submit(response: Response) -> Response:
        """Fault injection: the submission is processed, then the answer is lost."""
        portal: PortalState = app.extensions["portal_state"]
        if request.endpoint in SUBMITS and portal.faults.fail_after_submit > 0:
            with portal.lock:
                portal.faults.fail_after_submit -= 1
            return Response(render_template("error.html", title=t("error.unavailable")), status=503)
        return response

    @app.after_request
    def after_password(response: Response) -> Response:
        """Fault injection on EU Login's password step (`faults` {"after_password": "lost" | "held",
        "count": N}): the password is checked and counted, then the answer is lost or held back."""
        portal: PortalState = app.extensions["portal_state"]
        faults = portal.faults
        if request.endpoint != "cas.login_post" or "password" not in request.form or not faults.after_password:
            return response
        with portal.lock:
            if faults.after_password_count <= 0:
                return response
            faults.after_password_count -= 1
            portal.forms["cas.password.answer_" + faults.after_password] += 1
        if faults.after_password == "lost":
            return Response(render_template("error.html", title=t("error.unavailable")), status=503)
        faults.answers_released.wait(120)  # "held": until the test releases it (or the portal is reset)
        return response

    @app.after_request
    def hold_operator_search(response: Response) -> Response:
        """Fault injection (`faults` {"hold_operator_search": N}): the next N operator searches are
        answered only once the test releases them, so that two runs search at the same time."""
        portal: PortalState = app.extensions["portal_state"]
        faults = portal.faults
        if request.endpoint != "registration.operator_search" or "name" not in request.args:
            return response
        with portal.lock:
            if faults.hold_operator_search <= 0:
                return response
            faults.hold_operator_search -= 1
            portal.forms["traces.operator_search.held"] += 1
        faults.answers_released.wait(120)
        return response

    @app.after_request
    def drift_ids(response: Response) -> Response:
        """Serve an element's id or name changed (control API `drift` {"id", "to"}), as a new release of
        the real portal might. Attributes only: a label's `for` follows its field, scripts are not
        rewritten (a script that looks the old id up breaks, as it would on the real site)."""
        portal: PortalState = app.extensions["portal_state"]
        if not portal.id_drift or response.mimetype != "text/html" or response.direct_passthrough:
            return response
        html = response.get_data(as_text=True)
        for old, new in portal.id_drift.items():
            html = re.sub(rf'\b(id|for|name)="{re.escape(old)}"', rf'\1="{new}"', html)
        response.set_data(html)
        return response

    @app.after_request
    def remember_locale(response: Response) -> Response:
        if request.args.get("lang") in LOCALES:
            response.set_cookie(LANG_COOKIE, request.args["lang"], path="/", samesite="Lax")
        return response

    @app.context_processor
    def template_helpers() -> dict[str, Any]:
        def other_args() -> dict[str, str]:
            return {k: v for k, v in request.args.items() if k != "lang"}

        portal: PortalState = app.extensions["portal_state"]
        return {"t": t, "locale": g.get("locale", DEFAULT_LOCALE), "locales": LOCALES, "other_args": other_args,
                "portal_variants": portal.variants, "authority_staff": portal.traces.authority_staff}

    return app
