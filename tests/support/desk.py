"""The desk as a person or another tool uses it: accounts made by the command line, a
browser-like client that signs in and posts forms with their CSRF token, and the API."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any

import httpx

from tests.support.system import System

PASSWORD = "a long enough test password"
_FORM_TOKEN = re.compile(r'name="csrf_token" value="([^"]+)"')
_VERSION = re.compile(r'name="version" value="(\d+)"')


def add_staff(
    system: System,
    email: str,
    *,
    role: str = "manager",
    manager: str | None = None,
    password: str = PASSWORD,
) -> None:
    args = ["staff", "add", email, "--role", role, "--password-stdin"]
    if manager is not None:
        args += ["--manager", manager]
    done = system.cli(*args, stdin=password + "\n")
    assert done.returncode == 0, done.stderr


def form_token(html: str) -> str:
    found = _FORM_TOKEN.search(html)
    assert found is not None, "no CSRF token on the page"
    return found.group(1)


def page_version(html: str) -> int:
    found = _VERSION.search(html)
    assert found is not None, "no case version on the page"
    return int(found.group(1))


@dataclass
class DeskClient:
    """One browser without JavaScript: its cookies, the pages, the forms."""

    base_url: str
    http: httpx.Client = field(init=False)
    csrf: str = ""

    def __post_init__(self) -> None:
        self.http = httpx.Client(base_url=self.base_url, timeout=15, follow_redirects=False)

    def close(self) -> None:
        self.http.close()

    def get(self, path: str, **params: Any) -> httpx.Response:
        return self.http.get(path, params=params or None)

    def sign_in(
        self, email: str, password: str = PASSWORD, *, next_path: str = ""
    ) -> httpx.Response:
        page = self.http.get("/staff/sign-in", params={"next": next_path} if next_path else None)
        answer = self.http.post(
            "/staff/sign-in",
            data={
                "csrf_token": form_token(page.text),
                "email": email,
                "password": password,
                "next": next_path,
            },
        )
        if answer.status_code == 303:
            me = self.http.get("/api/v1/me")
            if me.status_code == 200 and me.json().get("csrf_token"):
                self.csrf = me.json()["csrf_token"]
        return answer

    def post_form(self, path: str, data: dict[str, str]) -> httpx.Response:
        return self.http.post(path, data={"csrf_token": self.csrf, **data})

    def act(self, reference: str, action: str, **data: str) -> httpx.Response:
        """Posts one of the case page's forms, with the version the page shows now."""
        if "version" not in data and action != "notes":
            data["version"] = str(page_version(self.get(f"/cases/{reference}").text))
        return self.post_form(f"/cases/{reference}/{action}", data)

    def api(self, method: str, path: str, **kwargs: Any) -> httpx.Response:
        headers = {"X-CSRF-Token": self.csrf, **kwargs.pop("headers", {})}
        return self.http.request(method, f"/api/v1{path}", headers=headers, **kwargs)


def token_client(base_url: str, token: str) -> httpx.Client:
    """Another tool, with a manager's API token."""
    return httpx.Client(
        base_url=f"{base_url}/api/v1", headers={"Authorization": f"Bearer {token}"}, timeout=15
    )
