"""`make run` for a person at a terminal: quiet once started, one log format, a favicon,
and Ctrl-C ends everything with status 0 (make included) and no traceback.

A pseudo-terminal stands in for the person's: Ctrl-C is the byte it turns into SIGINT
for the terminal's foreground process group, as a real one does.
"""

from __future__ import annotations

import fcntl
import os
import re
import signal
import subprocess
import sys
import termios
import threading
import time
from pathlib import Path

import httpx
import psutil
import pytest

from tests.support.servers import free_port, free_port_run
from tests.support.system import ROOT, wait_until

OUR_LINE = re.compile(r"^\d\d:\d\d:\d\d \[\s*(debug|info|warning|error|critical)\s*\] ")
COLOURS = re.compile(r"\x1b\[[0-9;]*m")
OTHER_FORMATS = re.compile(r"^(\{|(DEBUG|INFO|WARNING|ERROR|CRITICAL) |\[\d{4}-)")


class Terminal:
    """A pseudo-terminal running `make run`, its output gathered as it comes."""

    def __init__(self, folder: Path, env: dict[str, str]) -> None:
        (folder / "Makefile").write_text(f"run:\n\t{sys.executable} -m welcomedesk run\n")
        self.master, slave = os.openpty()

        def own_terminal() -> None:  # the child's controlling terminal, as a login's
            fcntl.ioctl(0, termios.TIOCSCTTY, 0)

        self.process = subprocess.Popen(
            ["make", "--no-print-directory", "run"],
            cwd=folder,
            env=env,
            stdin=slave,
            stdout=slave,
            stderr=slave,
            start_new_session=True,
            preexec_fn=own_terminal,
        )
        os.close(slave)
        self.output = bytearray()
        self.reader = threading.Thread(target=self._read, daemon=True)
        self.reader.start()

    def _read(self) -> None:
        while True:
            try:
                chunk = os.read(self.master, 65536)
            except OSError:  # the other side closed
                return
            if not chunk:
                return
            self.output += chunk

    @property
    def text(self) -> str:
        text = self.output.decode(errors="replace").replace("\r\n", "\n")
        return COLOURS.sub("", text)

    def press_ctrl_c(self) -> None:
        os.write(self.master, b"\x03")

    def close(self) -> None:
        if self.process.poll() is None:
            os.killpg(self.process.pid, 9)
            self.process.wait()
        os.close(self.master)


@pytest.mark.slow
def test_make_run_is_quiet_and_stops_cleanly_on_ctrl_c(tmp_path: Path) -> None:
    port = free_port()
    env = {
        **{k: v for k, v in os.environ.items() if not k.startswith(("WELCOMEDESK_", "MAKE"))},
        "PYTHONPATH": str(ROOT),
        "WELCOMEDESK_PORT": str(port),
        # The workers' metrics on this port and the next three (welcomedesk.run).
        "WELCOMEDESK_METRICS_PORT": str(free_port_run(4)),
        "WELCOMEDESK_RELAY_INTERVAL": "1",  # beat's sweep every second: chatter would show
        "TERM": "dumb",
    }
    terminal = Terminal(tmp_path, env)
    try:
        wait_until(
            lambda: terminal.text.count(" ready.") >= 2 and "Uvicorn running" in terminal.text,
            timeout=120,
            what=lambda: f"every process started; the terminal shows:\n{terminal.text[-3000:]}",
        )
        icon = httpx.get(f"http://127.0.0.1:{port}/favicon.ico", timeout=10)
        assert icon.status_code == 200 and icon.headers["content-type"] == "image/png"
        assert icon.content.startswith(b"\x89PNG")
        settled = len(terminal.text)
        time.sleep(5)  # five sweeps of the outbox, and nothing to say about them
        assert terminal.text[settled:].strip() == ""

        terminal.press_ctrl_c()
        assert terminal.process.wait(timeout=60) == 0, terminal.text
    finally:
        terminal.close()
    said = terminal.text
    assert "Traceback" not in said and "Interrupt" not in said and "Error" not in said, said
    lines = [line for line in said.splitlines() if line.strip()]
    assert sum(bool(OUR_LINE.match(line)) for line in lines) >= 5, said
    assert [line for line in lines if OTHER_FORMATS.match(line)] == []


@pytest.mark.slow
def test_sigterm_stops_every_process_as_ctrl_c_does(tmp_path: Path) -> None:
    """What a service manager sends (systemd, `docker stop`): the children live in
    process groups of their own, so nothing else would stop them."""
    port = free_port()
    env = {
        **{k: v for k, v in os.environ.items() if not k.startswith(("WELCOMEDESK_", "MAKE"))},
        "PYTHONPATH": str(ROOT),
        "WELCOMEDESK_PORT": str(port),
        "WELCOMEDESK_METRICS_PORT": str(free_port_run(4)),
    }
    log = tmp_path / "run.log"
    with log.open("wb") as out:
        run = subprocess.Popen(
            [sys.executable, "-m", "welcomedesk", "run"],
            cwd=tmp_path,
            env=env,
            stdin=subprocess.DEVNULL,
            stdout=out,
            stderr=subprocess.STDOUT,
        )
    try:
        wait_until(
            lambda: log.read_text(errors="replace").count(" ready.") >= 2,
            timeout=120,
            what=lambda: f"every process started; the log says:\n{log.read_text()[-3000:]}",
        )
        children = psutil.Process(run.pid).children()
        assert len(children) >= 5
        run.send_signal(signal.SIGTERM)
        assert run.wait(timeout=60) == 0, log.read_text()
        _, alive = psutil.wait_procs(children, timeout=30)
        assert alive == [], [p.cmdline() for p in alive]
    finally:
        if run.poll() is None:
            run.kill()
        for child in psutil.Process().children(recursive=True):
            if "welcomedesk" in " ".join(child.cmdline()):
                child.kill()
