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
}
