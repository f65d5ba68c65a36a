"""`welcomedesk mail inspect`: one JSON line per mail, the routing engine's reading for new ones."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest

from services.intake.mail.inspect import inspect_mail
from services.routing.engine import RoutingEngine
from shared.enquiry import EnquiryFields
from tests.unit.mail.support import CONTEXT

BRIEF_KEYS = {
    "file",
    "kind",
    "reference",
    "message_id",
    "from",
    "subject",
    "language",
    "requester_type",
    "primary_topic",
    "text_excerpt",
    "attachments",
    "notes",
}

NEW = (
    "From: =?utf-8?q?Ana_Silva?= <ana@example.com>\nTo: intake@welcome.example.org\n"
    "Subject: Deutschkurs\nMessage-ID: <n1@example.com>\n"
    'Content-Type: multipart/mixed; boundary="b"\n\n'
    "--b\nContent-Type: text/plain; charset=utf-8\n\n"
    "Guten Tag, ich suche einen Deutschkurs B1 in Wolfsburg. Wann beginnt der nächste Kurs?\n"
    "\nViele Grüße\nAna\n"
    "--b\nContent-Type: application/pdf\nContent-Disposition: attachment; filename=cv.pdf\n\n"
    "%PDF\n--b--\n"
).encode()

FOLLOW_UP = (
    b"From: ana@example.com\nSubject: Re: Ihre Anfrage\nMessage-ID: <f1@example.com>\n"
    b"In-Reply-To: <WC-2026-000123.confirmation.k@welcome.example.org>\n\nDanke!\n"
)


@dataclass(frozen=True)
class _Understood:
    language: str = "de"
    requester_type: str = "worker"
    primary_topic: str = "language"


class _RecordingReader:
    def __init__(self) -> None:
        self.read_fields: list[EnquiryFields] = []

    def read(self, fields: EnquiryFields) -> _Understood:
        self.read_fields.append(fields)
        return _Understood()


def test_a_new_mail_is_read_by_the_reader_and_described() -> None:
    reader = _RecordingReader()
    line = inspect_mail(NEW, file="new.eml", context=CONTEXT, reader=reader)
    assert set(line) >= BRIEF_KEYS
    assert line["kind"] == "new"
    assert (line["from"], line["from_name"], line["subject"]) == (
        "ana@example.com",
        "Ana Silva",
        "Deutschkurs",
    )
    assert (line["language"], line["requester_type"], line["primary_topic"]) == (
        "de",
        "worker",
        "language",
    )
    assert line["attachments"] == [
        {"filename": "cv.pdf", "content_type": "application/pdf", "size": 4}
    ]
    assert line["text_excerpt"].startswith("Guten Tag, ich suche einen Deutschkurs B1")
    json.dumps(line)  # every value is plain JSON
    [fields] = reader.read_fields
    assert (fields.email, fields.name) == ("ana@example.com", "Ana Silva")


def test_other_kinds_are_not_read_for_routing() -> None:
    reader = _RecordingReader()
    line = inspect_mail(FOLLOW_UP, file="f.eml", context=CONTEXT, reader=reader)
    assert (line["kind"], line["reference"]) == ("follow_up", "WC-2026-000123")
    assert (line["language"], line["requester_type"], line["primary_topic"]) == (None, None, None)
    assert reader.read_fields == []


def test_the_routing_engines_reader_reads_a_mailed_enquiry(engine: RoutingEngine) -> None:
    line = inspect_mail(NEW, file="new.eml", context=CONTEXT, reader=engine.reader)
    assert (line["language"], line["requester_type"], line["primary_topic"]) == (
        "de",
        "worker",
        "language",
    )


# --- the command line, in a subprocess -----------------------------------------------------


def _inspect(repo_root: Path, *files: str) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "WELCOMEDESK_MAIL_FROM": "welcome@welcome.example.org"}
    env.pop("WELCOMEDESK_INTAKE_ADDRESSES", None)
    return subprocess.run(
        [str(Path(sys.executable).parent / "welcomedesk"), "mail", "inspect", *files],
        capture_output=True,
        text=True,
        cwd=repo_root,
        env=env,
        timeout=180,
        check=False,
    )


@pytest.mark.slow
def test_the_command_prints_one_line_per_file(
    repo_root: Path, corpus: Path, tmp_path: Path
) -> None:
    follow_up = tmp_path / "follow-up.eml"
    follow_up.write_bytes(FOLLOW_UP)
    picked = {
        "zammad/mail001.box": "new",
        "zammad/mail033-undelivered-mail-returned-to-sender.box": "bounce",
        "zammad/mail043.box": "list",
        "zammad/mail089.box": "auto_reply",
        "zammad/mail067.box": "empty",
        "cpython/msg_35.txt": "new",
        "ruby-mail/multi_charset/japanese_shift_jis.eml": "new",
    }
    files = [str(corpus / name) for name in picked] + [str(follow_up)]
    done = _inspect(repo_root, *files)
    assert done.returncode == 0, done.stderr
    lines: list[dict[str, Any]] = [json.loads(raw) for raw in done.stdout.splitlines()]
    assert [line["file"] for line in lines] == files
    assert [line["kind"] for line in lines] == [*picked.values(), "follow_up"]
    assert lines[-1]["reference"] == "WC-2026-000123"
    assert all(set(line) >= BRIEF_KEYS for line in lines)
    assert lines[0]["language"] == "de"


@pytest.mark.slow
def test_an_unreadable_file_is_reported_and_the_rest_still_inspected(
    repo_root: Path, tmp_path: Path
) -> None:
    good = tmp_path / "good.eml"
    good.write_bytes(FOLLOW_UP)
    done = _inspect(repo_root, str(tmp_path / "missing.eml"), str(good))
    assert done.returncode == 1
    first, second = (json.loads(raw) for raw in done.stdout.splitlines())
    assert "error" in first
    assert second["kind"] == "follow_up"
