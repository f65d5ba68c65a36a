"""Every mail of the shared corpus (three projects' test suites) is read without an exception."""

from __future__ import annotations

import base64
from collections import Counter
from pathlib import Path
from typing import Any

import pytest
import yaml

from services.intake.mail.classify import KINDS
from tests.unit.mail.support import corpus_files, read

_Loader: type[yaml.SafeLoader] = type(
    "_ZammadLoader", (getattr(yaml, "CSafeLoader", yaml.SafeLoader),), {}
)
_Loader.add_constructor(
    "!ruby/hash:ActiveSupport::HashWithIndifferentAccess",
    lambda loader, node: loader.construct_mapping(node, deep=True),  # type: ignore[arg-type]
)
_Loader.add_constructor(
    "!binary",
    lambda loader, node: base64.b64decode(loader.construct_scalar(node)),  # type: ignore[arg-type]
)


def _expectation(box: Path) -> dict[str, Any]:
    data = yaml.load(box.with_suffix(".yml").read_text(encoding="utf-8"), Loader=_Loader)
    assert isinstance(data, dict)
    return data


def test_every_corpus_file_is_parsed_and_classified(corpus: Path) -> None:
    files = corpus_files()
    assert len(files) == 300  # as the corpus README counts them
    kinds: Counter[str] = Counter()
    for path in files:
        reading = read(path.read_bytes())
        assert reading.kind in KINDS, path
        kinds[reading.kind] += 1
    # The corpus holds bounces, auto-generated notices, lists, empty mails and plenty else.
    assert kinds["bounce"] >= 10
    assert min(kinds[kind] for kind in ("auto_reply", "list", "empty")) >= 1
    assert kinds["new"] > len(files) / 2


def test_delivery_reports_are_bounces_and_name_the_original(corpus: Path) -> None:
    reports = 0
    for path in corpus_files():
        reading = read(path.read_bytes())
        if reading.parsed.delivery_status:
            reports += 1
            bounce = reading.classification.bounce
            assert reading.kind == "bounce", path
            assert bounce is not None and bounce.severity in ("hard", "soft"), path
    assert reports >= 10


def _normal(text: str) -> str:
    return " ".join(text.split())


def test_sender_and_subject_agree_with_zammads_expectations(corpus: Path) -> None:
    """Zammad's own parser results for its mails: most senders and subjects agree."""
    boxes = sorted((corpus / "zammad").glob("mail*.box"))
    assert len(boxes) >= 100
    senders = subjects = 0
    for box in boxes:
        expected = _expectation(box)
        mail = read(box.read_bytes()).parsed
        address = mail.sender.address.lower() if mail.sender else ""
        senders += address == str(expected.get("from_email") or "").lower()
        subjects += _normal(mail.subject) == _normal(str(expected.get("subject") or ""))
    assert senders / len(boxes) >= 0.95
    assert subjects / len(boxes) >= 0.95


@pytest.mark.parametrize("name", ["mail045.box", "mail046.box", "mail093.box"])
def test_raw_8bit_headers_in_several_scripts_read_as_zammad_reads_them(
    corpus: Path, name: str
) -> None:
    box = corpus / "zammad" / name
    assert read(box.read_bytes()).parsed.subject == _expectation(box)["subject"]
