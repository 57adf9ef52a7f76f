"""The site around the tutor, driven over HTTP with aiohttp's test client: pages, sign-in, the cap on tutors, the
websocket's origin check, and the command a visitor's tutor runs (no shell, no leaked environment)."""

from __future__ import annotations

import os
import sys
from collections.abc import AsyncIterator
from pathlib import Path

import pytest

pytest.importorskip("textual_serve", reason="poplab web needs textual-serve: pip install -e '.[web]'")

from aiohttp.test_utils import TestClient, TestServer

from poplab.web.class_login import ClassLogins
from poplab.web.tutor_process import TutorCommand, visitor_environment
from poplab.web.tutor_site import COOKIE, SiteOptions, TutorSite
from tests.web.conftest import password_of


async def _client(site: TutorSite) -> TestClient:
    client = TestClient(TestServer(await site._make_app()))
    await client.start_server()
    return client


@pytest.fixture
async def alone() -> AsyncIterator[tuple[TutorSite, TestClient]]:
    site = TutorSite(SiteOptions(max_visitors=2))
    client = await _client(site)
    yield site, client
    await client.close()


@pytest.fixture
async def in_class(classroom_dir: Path) -> AsyncIterator[tuple[TutorSite, TestClient]]:
    site = TutorSite(SiteOptions(max_visitors=2, pop_server=("127.0.0.1", 1110)), ClassLogins(classroom_dir))
    client = await _client(site)
    yield site, client
    await client.close()


async def test_alone_the_page_holds_the_terminal_and_no_download_route(alone: tuple[TutorSite, TestClient]) -> None:
    _, client = alone
    page = await client.get("/")
    text = await page.text()
    assert page.status == 200 and 'class="textual-terminal"' in text
    assert f'data-session-websocket-url="ws://{client.host}:{client.port}/ws/en"' in text
    assert page.headers["X-Frame-Options"] == "DENY"
    assert (await client.get("/download/x")).status == 404
    assert (await client.get("/static/")).status in (403, 404)  # no directory listing
    assert (await client.get("/static/js/textual.js")).status == 200
    german = await client.get("/", headers={"Accept-Language": "de-DE,de;q=0.9"})
    assert "Tippe USER wiki@example.com" in await german.text()


async def test_a_full_site_shows_the_class_is_full(alone: tuple[TutorSite, TestClient]) -> None:
    site, client = alone
    site.visitors.update({"a": object(), "b": object()})  # type: ignore[dict-item]
    page = await client.get("/")
    site.visitors.clear()
    assert page.status == 503 and "The class is full" in await page.text() and "All 2 places" in await page.text()


async def test_a_websocket_from_another_site_is_refused(alone: tuple[TutorSite, TestClient]) -> None:
    _, client = alone
    response = await client.get("/ws/en", headers={"Origin": "http://evil.example", "Upgrade": "websocket"})
    assert response.status == 403


async def test_a_class_asks_for_the_handout_login(in_class: tuple[TutorSite, TestClient], classroom_dir: Path) -> None:
    _, client = in_class
    first = await client.get("/", allow_redirects=False)
    assert first.status == 302 and first.headers["Location"] == "/login"
    assert (await client.get("/ws/en")).status == 403  # no tutor without signing in
    wrong = await client.post("/login", data={"name": "anna-schmidt", "password": "nope"})
    assert wrong.status == 401 and "do not match" in await wrong.text()
    right = await client.post(
        "/login", data={"name": "Anna Schmidt", "password": password_of(classroom_dir, "anna-schmidt")}
    )
    text = await right.text()
    assert right.status == 200 and "Signed in as Anna Schmidt" in text and "USER anna-schmidt-01" in text
    assert client.session.cookie_jar.filter_cookies(client.make_url("/"))[COOKIE].value


async def test_names_are_escaped(in_class: tuple[TutorSite, TestClient], classroom_dir: Path) -> None:
    _, client = in_class
    page = await client.post("/login", data={"name": "<b>x</b>", "password": "y"})
    assert "<b>x</b>" not in await page.text() and "&lt;b&gt;x&lt;/b&gt;" in await page.text()
    slug = "ben-script-ortiz"
    page = await client.post("/login", data={"name": slug, "password": password_of(classroom_dir, slug)})
    assert "Ben &lt;script&gt;Ortiz" in await page.text()


def test_a_student_tutor_runs_without_a_shell_and_the_password_stays_off_the_command_line(
    in_class_site: TutorSite,
) -> None:
    student = in_class_site.logins.classroom().find_student("anna-schmidt")  # type: ignore[union-attr]
    command = in_class_site.command_for(student, "de")
    argv = command.argv(Path("/tmp/visitor-x"))
    assert argv[:4] == [sys.executable, "-m", "poplab.web.visitor", "/tmp/visitor-x"]
    assert argv[4:] == ["tutor", "127.0.0.1", "1110", "--lang", "de"]
    assert student.password not in " ".join(argv)
    assert command.environment == {"POPLAB_CLASS_LOGIN": "anna-schmidt", "POPLAB_PASSWORD": student.password}


def test_a_class_with_smtp_gives_the_tutor_its_port(classroom_dir: Path) -> None:
    site = TutorSite(SiteOptions(pop_server=("127.0.0.1", 1110), smtp_port=1025), ClassLogins(classroom_dir))
    student = site.logins.classroom().find_student("anna-schmidt")  # type: ignore[union-attr]
    argv = site.command_for(student, "en").argv(Path("/tmp/visitor-x"))
    assert argv[4:] == ["tutor", "127.0.0.1", "1110", "--smtp-port", "1025", "--lang", "en"]


@pytest.fixture
def in_class_site(classroom_dir: Path) -> TutorSite:
    return TutorSite(SiteOptions(pop_server=("127.0.0.1", 1110)), ClassLogins(classroom_dir))


def test_the_tutor_gets_none_of_the_servers_secrets(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    monkeypatch.setenv("JUPYTERHUB_API_TOKEN", "secret")
    environment = visitor_environment(tmp_path, {"POPLAB_PASSWORD": "pw"}, 100, 30)
    assert "JUPYTERHUB_API_TOKEN" not in environment
    assert environment["HOME"] == environment["TMPDIR"] == str(tmp_path)
    assert environment["COLUMNS"] == "100" and environment["POPLAB_PASSWORD"] == "pw"
    assert TutorCommand(("tutor",), sandbox=False).argv(tmp_path)[3] == "--no-sandbox"
    assert os.environ["JUPYTERHUB_API_TOKEN"] == "secret"
