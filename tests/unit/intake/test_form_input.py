"""Reading a submitted form: cleaned values, an EnquiryCreate, or one error per field."""

from __future__ import annotations

import io

import pytest
from starlette.datastructures import FormData, Headers, UploadFile

from services.intake import csrf
from services.intake.csrf import FormGuard, TokenError, idempotency_key
from services.intake.form_input import FieldError, clean, read_submission

SECRET = "unit-test-secret-0123456789"


def form(**fields: str) -> FormData:
    base = {"message": "Hello, I need a language course.", "email": "a@example.org"}
    base.update(consent_processing="yes")
    base.update(fields)
    return FormData(list(base.items()))


def test_a_good_form_becomes_an_enquiry() -> None:
    read = read_submission(
        form(requester_type="employer", preferred_site="wolfsburg", preferred_language="tr")
    )
    assert read.errors == {}
    assert read.data is not None
    assert read.data.requester_type == "employer"
    assert (read.data.preferred_site, read.data.preferred_language) == ("wolfsburg", "tr")
    assert read.data.consent_processing is True and read.data.consent_referral is False
    assert read.data.name is None and read.data.phone is None  # empty means not given


def test_missing_message_consent_and_contact_are_errors() -> None:
    read = read_submission(FormData([]))
    assert read.data is None
    assert read.errors == {
        "message": FieldError("required"),
        "email": FieldError("contact"),
        "consent_processing": FieldError("consent"),
    }


def test_a_phone_number_is_enough_contact() -> None:
    read = read_submission(form(email="", phone="+49 531 123456"))
    assert read.errors == {} and read.data is not None


@pytest.mark.parametrize(
    ("field", "value", "error"),
    [
        ("name", "x" * 201, FieldError("too_long", 200)),
        ("postal_code", "1" * 13, FieldError("too_long", 12)),
        ("message", "m" * 20_001, FieldError("too_long", 20_000)),
        ("message", "   \n\t ", FieldError("required")),
        ("email", "not-an-address", FieldError("email")),
        ("requester_type", "robot", FieldError("choice")),
        ("preferred_language", "de-DE-xxxxxxxxxxxxxxxxxxxxxxxxxx", FieldError("choice")),
        ("consent_processing", "no", FieldError("consent")),
    ],
)
def test_bad_values_get_one_error_each(field: str, value: str, error: FieldError) -> None:
    read = read_submission(form(**{field: value}))
    assert read.data is None
    assert read.errors == {field: error}
    assert read.values.get(field, value) == value.strip()


def test_a_site_must_be_one_of_the_directory() -> None:
    sites = ("braunschweig", "wolfsburg")
    assert read_submission(form(preferred_site="wolfsburg"), sites=sites).errors == {}
    read = read_submission(form(preferred_site="hannover"), sites=sites)
    assert read.data is None
    assert read.errors == {"preferred_site": FieldError("choice")}


def test_a_file_where_text_belongs_is_an_error_not_a_crash() -> None:
    upload = UploadFile(io.BytesIO(b"x"), filename="x.txt", headers=Headers())
    read = read_submission(FormData([("name", upload), ("message", "hi"), ("phone", "1")]))
    assert read.errors["name"] == FieldError("text_only")


def test_control_characters_are_dropped_and_line_breaks_kept_only_in_the_message() -> None:
    assert clean("a\x00b\x07c\r\nd", multiline=True) == "abc\nd"
    assert clean("a\tb\nc", multiline=False) == "a b c"
    read = read_submission(form(name="Ana\x00", message="line one\r\nline two"))
    assert read.data is not None
    assert (read.data.name, read.data.message) == ("Ana", "line one\nline two")


def test_the_form_token_is_one_browsers_and_gives_a_stable_key() -> None:
    guard = FormGuard(SECRET)
    token = guard.issue("browser-1")
    nonce = guard.check(token, "browser-1")
    assert guard.check(token, "browser-1") == nonce
    assert idempotency_key(nonce) == f"web-form:{nonce}"
    assert guard.issue("browser-1") != token
    for bad_token, browser in (
        (token, "browser-2"),
        (token, None),
        (None, "browser-1"),
        (token[:-2] + "xx", "browser-1"),
        (FormGuard("another-secret-0123456789").issue("browser-1"), "browser-1"),
        ("x" * 600, "browser-1"),
    ):
        with pytest.raises(TokenError):
            guard.check(bad_token, browser)


def test_an_old_token_is_refused(monkeypatch: pytest.MonkeyPatch) -> None:
    guard = FormGuard(SECRET)
    token = guard.issue("browser-1")
    monkeypatch.setattr(csrf, "TOKEN_MAX_AGE", -1)
    with pytest.raises(TokenError, match="expired"):
        guard.check(token, "browser-1")
