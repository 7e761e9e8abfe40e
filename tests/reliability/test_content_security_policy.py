"""A Content-Security-Policy on the UI pages (core/csp.py): the strict one on every staff,
citizen, leadership and admin page; no template holds an inline script, an inline event handler
or an inline style attribute (so the strict policy breaks nothing); the API docs have their own."""

import re
from pathlib import Path

import pytest
from django.test import Client

from core.csp import API_DOCS, PAGES

from . import access_world
from .test_access_pages import PAGES as UI_PAGES

ROOT = Path(__file__).resolve().parents[2]
INLINE = re.compile(r"<script(?![^>]*\bsrc=)[^>]*>|\son[a-z]+\s*=|\sstyle\s*=|<style", re.IGNORECASE)
TEMPLATES = sorted(
    path
    for app in ("staffui", "citizen", "leadership", "core", "printing")
    for path in (ROOT / app).glob("templates/**/*.html")
)


def test_the_policy_is_as_tight_as_planned():
    for directive in ("default-src 'self'", "script-src 'self'", "style-src 'self'", "frame-ancestors 'none'",
                      "form-action 'self'", "img-src 'self' data:"):  # fmt: skip
        assert directive in PAGES
    assert "unsafe" not in PAGES and "http" not in PAGES and "*" not in PAGES


@pytest.mark.parametrize("template", TEMPLATES, ids=lambda p: str(p.relative_to(ROOT)))
def test_no_template_has_inline_script_or_style(template):
    assert not INLINE.findall(template.read_text()), template


@pytest.mark.django_db
def test_every_ui_page_carries_the_strict_policy(clock):
    world = access_world.build()
    checked = 0
    for name, path, allowed in UI_PAGES:
        for user in (world.users["supervisor"], world.users["owner_reception"], world.users["anonymous"]):
            if not allowed(user, world):
                continue
            client = Client()
            if user.is_authenticated:
                client.force_login(user)
            response = client.get(path(world))
            assert response.status_code == 200, name
            assert response["Content-Security-Policy"] == PAGES, name
            assert not INLINE.findall(response.content.decode()), name  # nothing the policy would block
            checked += 1
            break
        else:
            pytest.fail(f"no user may open {name}")
    assert checked == len(UI_PAGES)


@pytest.mark.django_db
def test_the_admin_and_its_login_carry_the_strict_policy(admin_client):
    assert Client().get("/admin/login/")["Content-Security-Policy"] == PAGES
    assert admin_client.get("/admin/")["Content-Security-Policy"] == PAGES


@pytest.mark.django_db
@pytest.mark.parametrize("path", ["/api/docs/", "/api/redoc/"])
def test_the_api_docs_have_their_own_policy_still_without_other_origins(client, path):
    response = client.get(path)
    assert response.status_code == 200
    assert response["Content-Security-Policy"] == API_DOCS
    assert "http" not in API_DOCS


@pytest.mark.django_db
def test_json_and_pdf_answers_need_no_page_policy(client):
    assert "Content-Security-Policy" not in client.get("/api/v1/procedures/")


@pytest.mark.django_db
def test_every_chart_width_on_the_dashboard_has_its_css_class(clock):
    """The charts' minimum width moved from style="" to one class per width: none missing."""
    world = access_world.build()
    client = Client()
    client.force_login(world.users["supervisor"])
    page = client.get("/dashboard/").content.decode()
    classes = set(re.findall(r"l-svg--w\d+", page))
    css = (ROOT / "leadership/static/leadership/dashboard.css").read_text()
    assert classes and all(f".{name} " in css for name in classes), classes
