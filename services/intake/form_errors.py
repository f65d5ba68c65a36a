"""The form's error messages in the page's language; each names its field."""

from __future__ import annotations

from typing import Final, Literal

from babel.support import Translations

from services.intake.form_input import FIELDS, FieldError


def N_(message: str) -> str:  # noqa: N802 - gettext's marker name; babel extracts it
    """Marks a message for the catalogue; it is translated where it is shown."""
    return message


# Short names of the fields, as the error messages use them.
LABELS: Final = {
    "requester_type": N_("I am writing as"),
    "name": N_("Name"),
    "email": N_("E-mail address"),
    "phone": N_("Phone number"),
    "company": N_("Company or organisation"),
    "postal_code": N_("Postal code"),
    "city": N_("Town or city"),
    "country": N_("Country"),
    "preferred_language": N_("Language of our answer"),
    "preferred_site": N_("Welcome Center site"),
    "subject": N_("Subject"),
    "message": N_("Your message"),
    "consent_processing": N_("Consent to processing"),
    "consent_referral": N_("Consent to forwarding"),
}

# Problems with the whole form rather than one field.
FormProblem = Literal["token", "repeated", "unreadable", "too_many"]
PROBLEMS: Final[dict[FormProblem, str]] = {
    "token": N_(
        "For your security, please send the form once more. It was open for a long time, "
        "or your browser did not keep our cookie."
    ),
    "repeated": N_(
        "This form was already sent with other content. To send a new enquiry, "
        "please check your entries and send the form once more."
    ),
    "unreadable": N_(
        "We could not read what your browser sent. Please check your entries "
        "and send the form once more."
    ),
    "too_many": N_(
        "Many enquiries came from your connection in a short time. "
        "Please wait a minute, then send the form once more."
    ),
}


def describe(name: str, error: FieldError, t: Translations) -> str:
    field = t.gettext(LABELS.get(name, name))
    kind = error.kind
    if kind == "too_long":
        return t.ngettext(
            "%(field)s: please shorten this to at most %(num)d character.",
            "%(field)s: please shorten this to at most %(num)d characters.",
            error.limit,
        ) % {"field": field, "num": error.limit}
    if kind == "required":
        text = t.gettext("%(field)s: please fill in this field.")
    elif kind == "email":
        text = t.gettext("%(field)s: please enter an address such as name@example.org.")
    elif kind == "consent":
        text = t.gettext(
            "%(field)s: please tick this box. Without your consent we cannot handle your enquiry."
        )
    elif kind == "choice":
        text = t.gettext("%(field)s: please choose one of the options.")
    elif kind == "text_only":
        text = t.gettext("%(field)s: please enter text only.")
    elif kind == "contact":
        text = t.gettext(
            "%(field)s: please give an e-mail address or a phone number, so that we can answer you."
        )
    else:
        text = t.gettext("%(field)s: this entry is not valid.")
    return text % {"field": field}


def describe_all(errors: dict[str, FieldError], t: Translations) -> dict[str, str]:
    """Every field's message, in the order of the form."""
    return {name: describe(name, errors[name], t) for name in FIELDS if name in errors}


def problem(kind: FormProblem, t: Translations) -> str:
    return t.gettext(PROBLEMS[kind])
