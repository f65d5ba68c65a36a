"""The notifications worker compiles every template before its first task: a warm-up
that stops at a missing name would leave the enquirers' first mails waiting."""

from __future__ import annotations

from services.notifications import i18n
from services.notifications.worker import TEMPLATES


def test_every_template_is_warmed_up_and_every_name_warmed_up_exists() -> None:
    on_disk = {path.name for path in i18n.TEMPLATES.glob("*.j2")}
    assert {name for _, name in TEMPLATES} == on_disk
    for language, name in TEMPLATES:
        assert i18n.environment(language).get_template(name) is not None
    confirmation_languages = {
        language for language, name in TEMPLATES if name == "confirmation.txt.j2"
    }
    assert confirmation_languages == set(i18n.CONFIRMATION_LANGUAGES)
