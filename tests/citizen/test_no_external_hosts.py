"""Neither the citizen's page nor the dashboard references another host: a provincial intranet
often has no internet access, and a citizen's key must not leak to a third party."""

import re
from html.parser import HTMLParser
from urllib.parse import urlsplit

import pytest
from django.contrib.staticfiles import finders

from tests.leadership.conftest import JULY
from tests.leadership.conftest import make_user as make_user  # noqa: F401  (fixture)
from tests.leadership.conftest import scenario as scenario  # noqa: F401  (fixture)

pytestmark = pytest.mark.django_db

URL_ATTRIBUTES = {
    "src",
    "href",
    "action",
    "formaction",
    "srcset",
    "poster",
    "data",
    "xlink:href",
    "background",
}
CSS_URL = re.compile(r"""url\(\s*['"]?([^'")]+)""")
CSS_IMPORT = re.compile(r"""@import\s+['"]([^'"]+)""")


class References(HTMLParser):
    def __init__(self):
        super().__init__()
        self.urls: list[str] = []
        self.stylesheets: list[str] = []
        self._in_style = False

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        for name, value in attrs.items():
            if name == "srcset" and value:
                self.urls.extend(part.split()[0] for part in value.split(",") if part.strip())
            elif name in URL_ATTRIBUTES and value:
                self.urls.append(value)
            if name == "style" and value:
                self.urls.extend(CSS_URL.findall(value))
        if tag == "link" and attrs.get("rel") == "stylesheet":
            self.stylesheets.append(attrs["href"])
        self._in_style = tag == "style"

    def handle_data(self, data):
        if self._in_style:
            self.urls.extend(CSS_URL.findall(data) + CSS_IMPORT.findall(data))

    def handle_endtag(self, tag):
        self._in_style = False


def external(urls) -> list[str]:
    return [u for u in urls if urlsplit(u).scheme or urlsplit(u).netloc or u.startswith("//")]


def check_page(html: str) -> list[str]:
    """Every URL in the page and in the stylesheets it links is on this host; returns the CSS paths."""
    parser = References()
    parser.feed(html)
    assert external(parser.urls) == [], external(parser.urls)
    assert parser.stylesheets
    for href in parser.stylesheets:
        path = finders.find(href.removeprefix("/static/"))
        assert path, href
        css = open(path, encoding="utf-8").read()
        assert external(CSS_URL.findall(css) + CSS_IMPORT.findall(css)) == [], href
    return parser.stylesheets


def test_the_citizen_pages_reference_no_other_host(client, returned, settings):
    pages = [
        client.get("/tra-cuu/"),
        client.get(f"/tra-cuu/{returned.code}/", {"key": returned.key}),  # with the rating form
        client.post("/tra-cuu/", {"code": returned.code, "key": "WRONGKEY00"}),
    ]
    settings.REST_FRAMEWORK = {**settings.REST_FRAMEWORK, "DEFAULT_THROTTLE_RATES": {"public": "1/minute"}}
    client.post("/tra-cuu/", {"code": returned.code, "key": returned.key})
    pages.append(client.post("/tra-cuu/", {"code": returned.code, "key": returned.key}))
    assert [p.status_code for p in pages] == [200, 200, 404, 429]
    sheets = set()
    for page in pages:
        sheets.update(check_page(page.content.decode()))
    assert "/static/citizen/citizen.css" in sheets


def test_the_dashboard_references_no_other_host(client, scenario, make_user):  # noqa: F811
    client.force_login(make_user("sup", "supervisor"))
    response = client.get(f"/dashboard/?{JULY}")
    assert response.status_code == 200
    sheets = check_page(response.content.decode())
    assert "/static/leadership/dashboard.css" in sheets
    assert "<script src=" not in response.content.decode()


def test_the_checker_catches_an_external_reference():
    parser = References()
    parser.feed('<link rel="stylesheet" href="https://cdn.example.com/x.css">')
    parser.feed('<div style="background:url(//e.x/a.png)">')
    assert external(parser.urls) == ["https://cdn.example.com/x.css", "//e.x/a.png"]
