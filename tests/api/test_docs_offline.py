"""Issue 10 #17: the API docs pages load every asset from the app (a provincial intranet has no CDN)."""

import re
from html.parser import HTMLParser
from urllib.parse import urlsplit

import pytest
from django.conf import settings
from django.contrib.staticfiles import finders

pytestmark = pytest.mark.django_db

URL_IN_SCRIPT = re.compile(r"""(?:https?:)?//[A-Za-z0-9.-]+\.[A-Za-z]{2,}""")


class Page(HTMLParser):
    """Every src/href attribute and the text of every inline script."""

    def __init__(self):
        super().__init__()
        self.references: list[str] = []
        self.inline_scripts: list[str] = []
        self._in_script = False

    def handle_starttag(self, tag, attrs):
        self.references += [value for name, value in attrs if name in {"src", "href", "spec-url"} and value]
        self._in_script = tag == "script" and not dict(attrs).get("src")

    def handle_endtag(self, tag):
        if tag == "script":
            self._in_script = False

    def handle_data(self, data):
        if self._in_script:
            self.inline_scripts.append(data)


def parse(client, path) -> Page:
    response = client.get(path)
    assert response.status_code == 200
    page = Page()
    page.feed(response.content.decode())
    return page


@pytest.mark.parametrize("path", ["/api/docs/", "/api/redoc/"])
def test_the_docs_page_references_no_external_host(client, path):
    page = parse(client, path)
    assert page.references, "the page references no script or stylesheet"
    for reference in page.references:
        parts = urlsplit(reference)
        assert not parts.scheme and not parts.netloc, f"{path} loads {reference} from another host"
    for script in page.inline_scripts:
        assert not URL_IN_SCRIPT.search(script), f"{path}'s init script names a host: {script[:300]}"


@pytest.mark.parametrize("path", ["/api/docs/", "/api/redoc/"])
def test_every_asset_of_the_docs_page_is_a_static_file_of_the_app(client, path):
    page = parse(client, path)
    assets = [ref for ref in page.references if ref.startswith(f"/{settings.STATIC_URL.strip('/')}/")]
    assert assets, f"{path} loads no static asset"
    for asset in assets:
        name = urlsplit(asset).path.removeprefix(f"/{settings.STATIC_URL.strip('/')}/")
        assert finders.find(name), f"{asset} is not among the app's static files"


def test_swagger_ui_has_no_online_validator(client):
    page = parse(client, "/api/docs/")
    assert any('"validatorUrl": null' in script for script in page.inline_scripts)
