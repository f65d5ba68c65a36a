"""The web process: the intake (form, enquiry API, mail webhook) and the desk (staff pages
and staff API) in one application, so that every link in a mail works on one address."""

from __future__ import annotations

from fastapi import FastAPI

from services.desk.web import body_limits
from services.desk.web import install as install_desk
from services.intake.answers import COMMON
from services.intake.app import create_app as create_intake
from shared.settings import Settings, get_intake_settings


def create_app(settings: Settings | None = None) -> FastAPI:
    settings = settings or get_intake_settings()
    app = create_intake(settings, larger_bodies=body_limits(settings))
    app.title = "welcomedesk"
    install_desk(app, settings, common=COMMON)
    return app
