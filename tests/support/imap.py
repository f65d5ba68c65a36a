"""A real IMAP server for tests: Debian's dovecot in the foreground, from a scratch folder.

Each server has its own port, password file and mail folders; nothing of the
machine's own dovecot configuration is read. Users are added before it starts.
"""

from __future__ import annotations

import os
import shutil
import signal
import subprocess
import tempfile
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path

from imap_tools import MailBoxUnencrypted

from tests.support.servers import free_port, wait_for_port

DOVECOT = shutil.which("dovecot") or (
    "/usr/sbin/dovecot" if Path("/usr/sbin/dovecot").exists() else None
)
PASSWORD = "imap-test-secret"

_CONFIG = """\
base_dir = {folder}/run
state_dir = {folder}/state
log_path = {folder}/dovecot.log
info_log_path = {folder}/dovecot.log
protocols = imap
listen = 127.0.0.1
ssl = no
disable_plaintext_auth = no
auth_mechanisms = plain login
mail_location = maildir:~/Maildir
first_valid_uid = 100
default_internal_user = dovecot
default_login_user = dovenull
passdb {{
  driver = passwd-file
  args = scheme=PLAIN username_format=%u {folder}/passwd
}}
userdb {{
  driver = static
  args = uid={user} gid={group} home={folder}/home/%u
}}
service imap-login {{
  inet_listener imap {{
    address = 127.0.0.1
    port = {port}
  }}
  inet_listener imaps {{
    port = 0
  }}
}}
service anvil {{
  chroot =
}}
service imap-login {{
  chroot =
}}
"""


@dataclass
class ImapServer:
    folder: Path
    port: int
    users: list[str] = field(default_factory=list)
    process: subprocess.Popen[bytes] | None = None

    def url(self, user: str, folder: str = "INBOX") -> str:
        """The intake's setting for one mailbox (WELCOMEDESK_IMAP_URLS)."""
        return f"imap://{user}:{PASSWORD}@127.0.0.1:{self.port}/{folder}"

    def connect(self, user: str, folder: str = "INBOX") -> MailBoxUnencrypted:
        box = MailBoxUnencrypted("127.0.0.1", self.port, timeout=10)
        box.login(user, PASSWORD, initial_folder=None)
        if not box.folder.exists(folder):
            box.folder.create(folder)
        box.folder.set(folder)
        return box

    def append(self, user: str, raw: bytes, folder: str = "INBOX") -> None:
        with self.connect(user, folder) as box:
            box.append(raw, folder)

    def count(self, user: str, folder: str = "INBOX") -> int:
        with self.connect(user, folder) as box:
            return len(box.uids("ALL"))

    def messages(self, user: str, folder: str = "INBOX") -> list[bytes]:
        """The raw messages of a folder, without marking them seen."""
        with self.connect(user, folder) as box:
            found: list[bytes] = []
            for uid in box.uids("ALL"):
                status, data = box.client.uid("FETCH", uid, "(BODY.PEEK[])")
                assert status == "OK"
                found += [item[1] for item in data if isinstance(item, tuple)]
            return found

    def start(self) -> None:
        assert DOVECOT is not None
        (self.folder / "home").mkdir(exist_ok=True)
        lines = [f"{user}:{{PLAIN}}{PASSWORD}" for user in self.users]
        (self.folder / "passwd").write_text("\n".join(lines) + "\n")
        config = self.folder / "dovecot.conf"
        config.write_text(
            _CONFIG.format(folder=self.folder, port=self.port, user="dovecot", group="dovecot")
        )
        if os.geteuid() == 0:
            shutil.chown(self.folder / "home", "dovecot", "dovecot")
        self.process = subprocess.Popen(
            [DOVECOT, "-F", "-c", str(config)],
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        try:
            wait_for_port(self.port, timeout=15)
        except TimeoutError as exc:
            self.stop()
            log = self.folder / "dovecot.log"
            said = log.read_text() if log.exists() else ""
            raise RuntimeError(f"dovecot did not start: {said}") from exc

    def stop(self) -> None:
        if self.process is None:
            return
        if self.process.poll() is None:
            self.process.send_signal(signal.SIGTERM)
            try:
                self.process.wait(timeout=10)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait()
        self.process = None
        time.sleep(0.2)  # dovecot's helpers leave a moment after the master


@contextmanager
def imap_server(*users: str) -> Iterator[ImapServer]:
    """A dovecot of our own on a free port with these users (password `PASSWORD`)."""
    folder = Path(tempfile.mkdtemp(prefix="wd-imap-"))
    if os.geteuid() == 0:
        folder.chmod(0o755)
    server = ImapServer(folder, free_port(), list(users))
    server.start()
    try:
        yield server
    finally:
        server.stop()
        shutil.rmtree(folder, ignore_errors=True)
