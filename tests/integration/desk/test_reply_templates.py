"""Reply templates on PostgreSQL through the desk: the starter set loaded once, an
administrator's edits (a wrong placeholder named, nothing saved), the case page filled in
the case's language without any script, and the API for tools."""

from __future__ import annotations

import html
import re

import httpx
import pytest
from sqlalchemy import delete, select
from sqlalchemy.orm import Session, sessionmaker

from services.desk.reply_templates.offer import BETWEEN
from services.desk.reply_templates.starter import read_starter
from shared.db.models import AuditRow, EnquiryRow, ReplyTemplateRow
from shared.settings import Settings
from shared.vocabulary import REGION_LANGUAGES
from tests.support.admin import desk_with_accounts, field_errors, sign_in
from tests.support.cases import new_case
from tests.support.inprocess import run_app
from welcomedesk.web import create_app

ADMIN = "templates.admin@example.org"
OKSANA = "templates.oksana@example.org"  # m-03, Wolfsburg, speaks uk
LUCIA = "templates.lucia@example.org"  # m-01, Braunschweig
_REPLY_BOX = re.compile(r'<textarea id="reply" name="text"[^>]*dir="auto">(.*?)</textarea>', re.S)


@pytest.fixture(scope="module")
def settings(sessions: sessionmaker[Session]) -> Settings:
    return desk_with_accounts(
        sessions, [(ADMIN, "admin", None), (OKSANA, "manager", "m-03"), (LUCIA, "manager", "m-01")]
    )


def _case(sessions: sessionmaker[Session], language: str, name: str) -> str:
    reference = new_case(
        sessions, manager_id="m-03", status="accepted", site="wolfsburg", name=name
    )
    with sessions.begin() as session:
        row = session.scalar(select(EnquiryRow).where(EnquiryRow.reference == reference))
        assert row is not None
        row.language = language
    return reference


def _keys(sessions: sessionmaker[Session]) -> dict[str, dict[str, object]]:
    with sessions() as session:
        return {r.key: r.variants for r in session.scalars(select(ReplyTemplateRow))}


def _reply_box(page: str) -> str:
    found = _REPLY_BOX.search(page)
    assert found is not None, "no reply box on the page"
    return html.unescape(found.group(1))


def test_the_starter_set_is_loaded_once_at_start(
    settings: Settings, sessions: sessionmaker[Session]
) -> None:
    async def nothing(_client: httpx.AsyncClient) -> None:
        return None

    run_app(settings, nothing, create_app)
    loaded = _keys(sessions)
    assert set(loaded) == set(read_starter())
    with sessions.begin() as session:
        session.execute(delete(ReplyTemplateRow).where(ReplyTemplateRow.key == "ausbildung"))
    run_app(settings, nothing, create_app)  # a second start adds nothing, brings back nothing
    assert set(_keys(sessions)) == set(loaded) - {"ausbildung"}


def test_an_unknown_placeholder_is_named_and_nothing_is_saved(
    settings: Settings, sessions: sessionmaker[Session]
) -> None:
    async def steps(client: httpx.AsyncClient) -> None:
        csrf = await sign_in(client, ADMIN)
        form = {
            "csrf_token": csrf,
            "key": "documents_needed",
            "de.title": "Unterlagen",
            "de.text": "Guten Tag {name}, bitte senden Sie {documents}.",
            "uk.title": "Документи",
            "uk.text": "Добрий день, {name}! Надішліть документи (}",
        }
        answer = await client.post("/admin/templates", data=form)
        assert answer.status_code == 422
        said = field_errors(answer.text)
        assert "unknown placeholder {documents}" in said["de-text"]
        assert "closes nothing" in said["uk-text"]
        assert 'aria-invalid="true"' in answer.text
        assert "{documents}" in html.unescape(answer.text)  # what was typed is still there
        assert "documents_needed" not in _keys(sessions)

        before = _keys(sessions)["eu_blue_card"]
        changed = await client.post(
            "/admin/templates/eu_blue_card",
            data={"csrf_token": csrf, "en.title": "Blue Card", "en.text": "Hi {nmae}"},
        )
        assert changed.status_code == 422
        assert "unknown placeholder {nmae}" in field_errors(changed.text)["en-text"]
        assert _keys(sessions)["eu_blue_card"] == before

    run_app(settings, steps, create_app)


def test_an_administrator_makes_changes_and_deletes_a_template(
    settings: Settings, sessions: sessionmaker[Session]
) -> None:
    async def steps(client: httpx.AsyncClient) -> None:
        csrf = await sign_in(client, ADMIN)
        made = await client.post(
            "/admin/templates",
            data={
                "csrf_token": csrf,
                "key": "housing_tips",
                "de.title": "Wohnungssuche",
                "de.text": "Guten Tag {name},\r\n\r\nzur Wohnungssuche in {site}: …",
                "tr.title": "Ev arama",
                "tr.text": "Merhaba {name}, {{örnek}}",
            },
        )
        assert made.status_code == 303 and made.headers["location"].endswith("done=saved")
        row = _keys(sessions)["housing_tips"]
        assert row == {
            "de": {
                "title": "Wohnungssuche",
                "text": "Guten Tag {name},\n\nzur Wohnungssuche in {site}: …",
            },
            "tr": {"title": "Ev arama", "text": "Merhaba {name}, {{örnek}}"},
        }
        with sessions() as session:
            stored = session.get(ReplyTemplateRow, "housing_tips")
            assert stored is not None and stored.updated_by == ADMIN
        again = await client.post(
            "/admin/templates",
            data={"csrf_token": csrf, "key": "housing_tips", "de.title": "X", "de.text": "Y"},
        )
        assert again.status_code == 422 and "exists already" in field_errors(again.text)["key"]

        listed = await client.get("/admin/templates")
        row_html = re.search(r'<tr id="template-housing_tips">(.*?)</tr>', listed.text, re.S)
        assert row_html is not None
        missing = re.search(r'class="languages-missing">([^<]*)', row_html.group(1))
        assert missing is not None
        codes = [c.strip() for c in missing.group(1).split(",")]
        assert "de" not in codes and "tr" not in codes and "uk" in codes and len(codes) == 15

        edit = await client.get("/admin/templates/housing_tips/edit")
        assert "Wohnungssuche" in edit.text and "Ev arama" in edit.text
        saved = await client.post(
            "/admin/templates/housing_tips",
            data={"csrf_token": csrf, "de.title": "Wohnen", "de.text": "Hallo {name}"},
        )
        assert saved.status_code == 303
        assert _keys(sessions)["housing_tips"] == {
            "de": {"title": "Wohnen", "text": "Hallo {name}"}
        }

        # A long text in every region language is more than a form's usual body limit.
        every = {
            f"{code}.{part}": ("Текст {name} " * 300 if part == "text" else "Назва")
            for code in REGION_LANGUAGES
            for part in ("title", "text")
        }
        full = await client.post(
            "/admin/templates/housing_tips", data={"csrf_token": csrf, **every}
        )
        assert full.status_code == 303, full.text[:300]
        assert len(_keys(sessions)["housing_tips"]) == len(REGION_LANGUAGES)

        gone = await client.post("/admin/templates/housing_tips/delete", data={"csrf_token": csrf})
        assert gone.status_code == 303 and "housing_tips" not in _keys(sessions)
        missing_one = await client.post(
            "/admin/templates/housing_tips/delete", data={"csrf_token": csrf}
        )
        assert missing_one.status_code == 404

    run_app(settings, steps, create_app)
    with sessions() as session:  # each change in the audit log, the refused ones not
        audited = session.scalars(
            select(AuditRow.details)
            .where(AuditRow.action == "reply_template_changed")
            .order_by(AuditRow.id)
        ).all()
    assert [d for d in audited if d["key"] == "housing_tips"] == [
        {"key": "housing_tips", "done": "created"},
        {"key": "housing_tips", "done": "changed"},
        {"key": "housing_tips", "done": "changed"},
        {"key": "housing_tips", "done": "deleted"},
    ]


def test_the_template_in_the_case_language_fills_the_reply(
    settings: Settings, sessions: sessionmaker[Session]
) -> None:
    ukrainian = _case(sessions, "uk", "Олена Коваль")
    vietnamese = _case(sessions, "vi", "Nguyễn Thị Lan")

    async def steps(client: httpx.AsyncClient) -> None:
        await sign_in(client, OKSANA)
        plain = await client.get(f"/cases/{ukrainian}")
        assert _reply_box(plain.text) == ""
        choice = re.search(
            r'<select id="template" name="template">(.*?)</select>', plain.text, re.S
        )
        assert choice is not None
        first_group = re.search(
            r'<optgroup label="([^"]*)">(.*?)</optgroup>', choice.group(1), re.S
        )
        assert first_group is not None and "(uk)" in first_group.group(1)
        assert 'value="integration_course"' in first_group.group(2)
        assert 'value="fast_track_employers"' not in first_group.group(2)  # only de and en

        page = await client.get(f"/cases/{ukrainian}", params={"template": "integration_course"})
        text = _reply_box(page.text)
        assert text.startswith("Добрий день, Олена Коваль!")
        assert f"({ukrainian})" in text
        assert text.rstrip().endswith("Oksana Wiśniewska")
        assert "{" not in text and "Інтеграційний курс складається" in text
        assert re.search(r'<option value="integration_course" selected>', page.text)

        both = await client.get(f"/cases/{vietnamese}", params={"template": "integration_course"})
        text = _reply_box(both.text)
        english, german = text.split(BETWEEN)
        assert english.startswith("Hello Nguyễn Thị Lan,")
        assert german.startswith("Guten Tag Nguyễn Thị Lan,")
        assert english.rstrip().endswith("Oksana Wiśniewska")

        unknown = await client.get(f"/cases/{ukrainian}", params={"template": "no_such_key"})
        assert unknown.status_code == 200 and _reply_box(unknown.text) == ""

    run_app(settings, steps, create_app)


def test_the_api_offers_what_the_reply_form_offers(
    settings: Settings, sessions: sessionmaker[Session]
) -> None:
    ukrainian = _case(sessions, "uk", "Petro")
    crossed = new_case(sessions, manager_id="m-03", status="accepted", site="braunschweig")

    async def steps(client: httpx.AsyncClient) -> None:
        schema = (await client.get("/openapi.json")).json()
        assert "/api/v1/reply-templates" in schema["paths"]
        assert (await client.get("/api/v1/reply-templates")).status_code == 401

        await sign_in(client, OKSANA)
        offered = (await client.get("/api/v1/reply-templates", params={"case": ukrainian})).json()
        assert offered["language"] == "uk" and offered["case"] == ukrainian
        by_key = {t["key"]: t for t in offered["templates"]}
        assert by_key["partner_referral"]["languages"] == ["uk"]
        assert "Welcome Center Wolfsburg" in by_key["partner_referral"]["text"]
        assert by_key["fast_track_employers"]["languages"] == ["en", "de"]
        keys = [t["key"] for t in offered["templates"]]
        assert keys.index("fast_track_employers") > keys.index("partner_referral")

        # A Braunschweig enquirer advised from Wolfsburg: {site} is where the manager is.
        moved = (await client.get("/api/v1/reply-templates", params={"case": crossed})).json()
        text = next(t["text"] for t in moved["templates"] if t["key"] == "partner_referral")
        assert "Welcome Center Wolfsburg" in text and "Braunschweig" not in text

        raw = (await client.get("/api/v1/reply-templates", params={"language": "ar"})).json()
        referral = next(t for t in raw["templates"] if t["key"] == "partner_referral")
        assert referral["languages"] == ["ar"] and "{name}" in referral["text"]

        bad = await client.get("/api/v1/reply-templates", params={"language": "xx"})
        assert bad.status_code == 422 and bad.json()["detail"][0]["loc"] == ["query", "language"]

        await sign_in(client, LUCIA)  # Braunschweig: Wolfsburg's case is not hers to see
        hidden = await client.get("/api/v1/reply-templates", params={"case": ukrainian})
        assert hidden.status_code == 404

    run_app(settings, steps, create_app)
