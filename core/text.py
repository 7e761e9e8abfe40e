"""Text helpers shared by the API and the notifications. Pure functions."""

import unicodedata

# Letters NFD does not decompose into a base letter and a combining mark.
_UNACCENTED = str.maketrans({"đ": "d", "Đ": "D"})


def nfc(text: str) -> str:
    """The canonical composed form, so a name typed on any keyboard compares equal to itself."""
    return unicodedata.normalize("NFC", text)


def unaccent(text: str) -> str:
    """Vietnamese without diacritics (``Sở Tư pháp Đà Nẵng`` → ``So Tu phap Da Nang``), for SMS."""
    decomposed = unicodedata.normalize("NFD", text.translate(_UNACCENTED))
    stripped = "".join(char for char in decomposed if not unicodedata.combining(char))
    return unicodedata.normalize("NFC", stripped)


def mask_phone(phone: str) -> str:
    """``0912345678`` → ``09******78``: enough to tell numbers apart in a log, not to call one."""
    phone = phone or ""
    if len(phone) <= 4:
        return "*" * len(phone)
    return phone[:2] + "*" * (len(phone) - 4) + phone[-2:]
