"""The login throttle, the language switch, no external host on any page, constant queries per
list page, and the demo staff logging in without is_staff."""

from __future__ import annotations

import html.parser
import re

import pytest
from django.contrib.staticfiles import finders
from django.core.cache import cache
from django.db import connection
from django.test.utils import CaptureQueriesContext

from tests.ui.conftest import APPLICANT, PASSWORD
from workflows import services
from workflows.models import DossierTask

pytestmark = pytest.mark.django_db


def test_login_with_username_and_password(client, staff):
    response = client.post("/login/", {"username": "specialist_a", "password": PASSWORD})
    assert response.status_code == 302 and response.url == "/"
    assert client.get("/").url == "/tasks/"
    client.post("/logout/")
    assert client.get("/tasks/").status_code == 302


def test_failed_logins_are_throttled_per_username(client, staff):
    for _ in range(5):
        assert client.post("/login/", {"username": "specialist_a", "password": "wrong"}).status_code == 200
    response = client.post("/login/", {"username": "specialist_a", "password": PASSWORD})
    assert response.status_code == 429
    assert "Đăng nhập sai quá nhiều lần" in response.content.decode()
    assert "_auth_user_id" not in client.session
    # Another username from the same address is not locked yet.
    assert client.post("/login/", {"username": "head_a", "password": PASSWORD}).status_code == 302


def test_a_successful_login_forgets_the_usernames_failures(client, staff):
    for _ in range(4):
        client.post("/login/", {"username": "specialist_a", "password": "wrong"})
    assert client.post("/login/", {"username": "specialist_a", "password": PASSWORD}).status_code == 302
    client.post("/logout/")
    for _ in range(4):
        client.post("/login/", {"username": "specialist_a", "password": "wrong"})
    assert client.post("/login/", {"username": "specialist_a", "password": PASSWORD}).status_code == 302


def test_failed_logins_are_throttled_per_address(client, staff, settings):
    for number in range(20):
        client.post("/login/", {"username": f"nobody{number}", "password": "wrong"})
    assert client.post("/login/", {"username": "head_a", "password": PASSWORD}).status_code == 429
    cache.clear()
    assert client.post("/login/", {"username": "head_a", "password": PASSWORD}).status_code == 302


def test_language_switch_to_english_and_back(client, staff):
    client.force_login(staff["specialist"])
    assert "Việc của tôi" in client.get("/tasks/").content.decode()
    client.post("/i18n/setlang/", {"language": "en", "next": "/tasks/"})
    page = client.get("/tasks/").content.decode()
    assert "My tasks" in page and 'lang="en"' in page
    client.post("/i18n/setlang/", {"language": "vi", "next": "/tasks/"})
    assert "Việc của tôi" in client.get("/tasks/").content.decode()


def test_compiled_catalogue_matches_the_po_file():
    """The committed .mo holds every translation of the .po (a fresh machine may lack msgfmt)."""
    import gettext
    import pathlib

    import staffui

    folder = pathlib.Path(staffui.__file__).parent / "locale" / "vi" / "LC_MESSAGES"
    catalogue = gettext.GNUTranslations(open(folder / "django.mo", "rb"))
    po = (folder / "django.po").read_text(encoding="utf-8")
    entries = re.findall(r'^(?:msgctxt "(.+)"\n)?msgid "(.+)"\nmsgstr "(.+)"$', po, re.M)
    assert len(entries) > 100
    for context, msgid, msgstr in entries:
        msgid, msgstr = msgid.replace('\\"', '"'), msgstr.replace('\\"', '"')
        got = catalogue.pgettext(context, msgid) if context else catalogue.gettext(msgid)
        assert got == msgstr, msgid


def test_the_pages_use_the_staff_catalogue_not_the_admins():
    """Django's admin (earlier in INSTALLED_APPS) translates some of the same English words
    differently; those take a context, so every page string reads as the staff catalogue says."""
    import pathlib

    from django.utils import translation

    import staffui

    po = (pathlib.Path(staffui.__file__).parent / "locale/vi/LC_MESSAGES/django.po").read_text(
        encoding="utf-8"
    )
    entries = re.findall(r'^(?:msgctxt "(.+)"\n)?msgid "(.+)"\nmsgstr "(.+)"$', po, re.M)
    assert any(context for context, _msgid, _msgstr in entries)
    allowed = {"Search"}  # "Tìm kiếm" (Django's) reads as well as "Tìm"
    with translation.override("vi"):
        for context, msgid, msgstr in entries:
            got = translation.pgettext(context, msgid) if context else translation.gettext(msgid)
            assert got == msgstr or msgid in allowed, (msgid, got)


class _Links(html.parser.HTMLParser):
    def __init__(self):
        super().__init__()
        self.urls: list[str] = []

    def handle_starttag(self, tag, attrs):
        for name, value in attrs:
            if name in ("src", "href", "action", "formaction", "poster", "data") and value:
                self.urls.append(value)
            if name == "style" and value:
                self.urls += re.findall(r"url\(([^)]*)\)", value)


def _external(urls):
    return [u for u in urls if re.match(r"^\s*['\"]?(https?:)?//", u)]


def test_no_page_references_an_external_host(register, staff, login, procedure):
    dossier, _key = register()
    task = DossierTask.objects.get(dossier=dossier)
    pages = {
        "reception": [
            "/reception/?q=th",
            f"/reception/?procedure={procedure.code}",
            f"/dossiers/{dossier.code}/",
        ],
        "specialist": ["/tasks/", "/tasks/?queue=unclaimed", f"/tasks/{task.pk}/", "/dossiers/"],
        "supervisor": ["/board/", "/dossiers/?queue=overdue"],
    }
    checked = 0
    for role, urls in pages.items():
        client = login(staff[role])
        for url in urls:
            page = client.get(url).content.decode()
            parser = _Links()
            parser.feed(page)
            parser.urls += re.findall(r"url\(([^)]*)\)", page)
            assert parser.urls, url
            assert _external(parser.urls) == [], url
            checked += 1
    client.logout()
    parser = _Links()
    parser.feed(client.get("/login/").content.decode())
    assert _external(parser.urls) == []
    css = open(finders.find("staffui/app.css"), encoding="utf-8").read()
    assert _external(re.findall(r"url\(([^)]*)\)", css)) == [] and "@import" not in css
    assert checked == 9


def _dossiers(count, procedure, staff):
    for number in range(count):
        services.dossier_register(
            procedure=procedure,
            applicant={**APPLICANT, "name": f"Người {number}"},
            channel="online",
            by=staff["reception"],
        )


@pytest.mark.parametrize(
    ("role", "url"),
    [
        ("specialist", "/tasks/?queue=unclaimed"),
        ("specialist", "/tasks/?queue=mine"),
        ("reception", "/dossiers/"),
        ("reception", "/dossiers/?search=Người"),
        ("head", "/dossiers/?queue=soon"),
        ("supervisor", "/board/"),
        ("supervisor", "/dossiers/?queue=overdue"),
    ],
)
def test_list_pages_run_a_constant_number_of_queries(role, url, procedure, staff, login, clock):
    """3 rows and 30 rows cost the same queries (menu counts included, cache cold each time)."""
    client = login(staff[role])
    clock.set(2026, 3, 2, 8, 0)
    counts = []
    for total in (3, 30):
        clock.set(2026, 3, 2, 8, 0)
        _dossiers(total - DossierTask.objects.filter(status="open").count(), procedure, staff)
        if role == "specialist" and "mine" in url:
            for task in DossierTask.objects.filter(owner__isnull=True):
                services.task_claim(task=task, by=staff["specialist"])
        # Steps are due on 4 March 08:00, dossiers on 11 March 08:00: on 10 March every step is
        # overdue (the board) and every dossier due soon; on 12 March every dossier is overdue.
        clock.set(2026, 3, 12 if "overdue" in url else 10, 9, 0)
        cache.clear()
        with CaptureQueriesContext(connection) as queries:
            response = client.get(url)
        assert response.status_code == 200
        rows = response.content.decode().count("<tr class=")
        assert rows == min(total, 25), (url, total, rows)
        counts.append(len(queries))
    assert counts[0] == counts[1], counts
    assert counts[0] <= 20, counts


def test_demo_staff_log_in_without_is_staff(client, db):
    from io import StringIO

    from django.contrib.auth import get_user_model
    from django.core.management import call_command

    call_command("load_demo", stdout=StringIO())
    users = get_user_model().objects.filter(username__startswith="reception_")
    user = users.first()
    user.is_staff = False
    user.save(update_fields=["is_staff"])
    response = client.post("/login/", {"username": user.username, "password": "demo1234"})
    assert response.status_code == 302
    assert client.get("/").url == "/reception/"
    assert client.get("/reception/?q=a").status_code == 200
    for name, home in (("supervisor", "/board/"),):
        client.post("/logout/")
        client.post("/login/", {"username": name, "password": "demo1234"})
        assert client.get("/").url == home


def test_the_menu_counts_follow_the_users_own_change(register, staff, login):
    dossier, _key = register()
    task = DossierTask.objects.get(dossier=dossier)
    client = login(staff["specialist"])

    def count(slug):
        page = client.get("/tasks/").content.decode()
        return int(re.search(rf'data-queue="{slug}"[^>]*>[^<]*<span class="count">(\d+)<', page).group(1))

    assert (count("mine"), count("unclaimed")) == (0, 1)
    client.post(f"/tasks/{task.pk}/claim/")
    assert (count("mine"), count("unclaimed")) == (1, 0)


def test_the_queue_on_screen_shows_its_exact_count(register, staff, login):
    dossier, _key = register()
    desk = login(staff["reception"])
    desk.get("/reception/")  # the menu's counts are cached now: nothing waits for hand-back
    services.task_complete(
        task=DossierTask.objects.get(dossier=dossier),
        by=staff["specialist"],
        decision="refuse",
        reasons=["Không đủ điều kiện"],
    )
    page = desk.get("/dossiers/?queue=results").content.decode()
    assert re.search(r'data-queue="results"[^>]*>[^<]*<span class="count">1<', page)


def test_a_badge_stops_at_its_cap_and_says_more(register, staff, login, monkeypatch):
    from staffui import queues

    monkeypatch.setattr(queues, "MENU_CAP", 2)
    for _ in range(3):
        register()
    page = login(staff["specialist"]).get("/tasks/").content.decode()
    assert re.search(r'data-queue="unclaimed"[^>]*>[^<]*<span class="count">2\+<', page)
