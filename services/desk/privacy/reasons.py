"""Why an erasure is done, as a code: the audit log keeps codes only, so no free text
about anyone can reach it through a reason."""

from __future__ import annotations

from typing import Final

REASONS: Final = {
    "request": "the person asked for their data to be erased (Art. 17(1)(a) GDPR)",
    "withdrawn": "the person withdrew their consent (Art. 17(1)(b))",
    "objection": "the person objected to the processing (Art. 17(1)(c))",
    "unlawful": "the data was processed unlawfully (Art. 17(1)(d))",
    "obligation": "a legal obligation requires it (Art. 17(1)(e))",
    "stated": "another reason, stated in words that are not kept (they might name someone)",
}
STATED = "stated"


def reason_code(given: str) -> str | None:
    """The code of a reason as an administrator gives it: a code, or words of their own,
    which count as "stated" and are not kept; None when nothing was given."""
    code = given.strip().lower()
    if not code:
        return None
    return code if code in REASONS else STATED
