"""An export as files: export.json, export.html (the readable document), the received
mails as .eml and the attachments; as a ZIP archive (the page) or a folder (the command)."""

from __future__ import annotations

import io
import json
import zipfile
from pathlib import Path

from services.desk.privacy.document import Keeping, render_document
from services.desk.privacy.export import Export


def export_files(export: Export, keeping: Keeping) -> dict[str, bytes]:
    data = json.dumps(export.data, ensure_ascii=False, indent=2, sort_keys=False)
    return {
        "export.json": data.encode(),
        "export.html": render_document(export, keeping).encode(),
        **export.files,
    }


def archive(export: Export, keeping: Keeping) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", compression=zipfile.ZIP_DEFLATED) as zipped:
        for path, content in export_files(export, keeping).items():
            zipped.writestr(path, content)
    return buffer.getvalue()


def write_folder(export: Export, keeping: Keeping, folder: Path) -> list[Path]:
    """Writes the files into `folder` (made if missing; it must be empty), readable by the
    owner alone: they hold a person's data."""
    folder.mkdir(mode=0o700, parents=True, exist_ok=True)
    if any(folder.iterdir()):
        raise FileExistsError(f"{folder} is not empty")
    written = []
    for relative, content in export_files(export, keeping).items():
        path = folder / relative
        path.parent.mkdir(mode=0o700, parents=True, exist_ok=True)
        path.write_bytes(content)
        path.chmod(0o600)
        written.append(path)
    return written
