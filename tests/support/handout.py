"""Where the handout (labelled corpora, the referee's tools) lies: beside the checkout, or
where WELCOMEDESK_HANDOUT says, for a checkout made elsewhere."""

from __future__ import annotations

import os
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
HANDOUT = Path(os.environ.get("WELCOMEDESK_HANDOUT") or ROOT.parent / "shared").resolve()
