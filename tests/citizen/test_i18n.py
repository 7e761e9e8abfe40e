"""Both apps speak Vietnamese by default and English when asked; the committed .mo matches its .po
(a fresh machine may have no msgfmt to compile it)."""

import ast
import gettext
import pathlib
import re

import pytest

ROOT = pathlib.Path(__file__).resolve().parents[2]
CATALOGUES = [ROOT / app / "locale" / "vi" / "LC_MESSAGES" for app in ("citizen", "leadership")]
ENTRY = re.compile(r'^msgid ((?:".*"\n)+)(?:msgid_plural (?:".*"\n)+)?msgstr(?:\[0\])? ((?:".*"\n?)+)', re.M)


def _unquote(block: str) -> str:
    """A PO string (one or more quoted lines); its escapes are a subset of Python's."""
    return "".join(ast.literal_eval(line) for line in block.strip().splitlines())


@pytest.mark.parametrize("folder", CATALOGUES, ids=lambda p: p.parts[-4])
def test_every_message_is_translated_and_compiled(folder):
    po = (folder / "django.po").read_text(encoding="utf-8")
    compiled = gettext.GNUTranslations((folder / "django.mo").open("rb"))
    entries = [(_unquote(i), _unquote(s)) for i, s in ENTRY.findall(po)]
    entries = [(msgid, msgstr) for msgid, msgstr in entries if msgid]
    assert len(entries) > 20
    for msgid, msgstr in entries:
        assert msgstr, f"untranslated: {msgid}"
        assert compiled.gettext(msgid) == msgstr or compiled.ngettext(msgid, msgid, 1) == msgstr, msgid
    assert "#, fuzzy" not in po


@pytest.mark.django_db
def test_vietnamese_by_default_english_when_the_browser_asks(client):
    assert "Tra cứu hồ sơ" in client.get("/tra-cuu/").content.decode()
    english = client.get("/tra-cuu/", HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert "Look up a dossier" in english and 'lang="en"' in english
