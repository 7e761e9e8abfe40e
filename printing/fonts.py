"""The one font of every printed form: Be Vietnam Pro from PyPI (every Vietnamese letter and "₫").

Registered once per process; no system font is ever looked up, so a fresh machine prints the same.
"""

import functools
from importlib.resources import files

from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.ttfonts import TTFont

FONT = "BeVietnamPro"
BOLD = f"{FONT}-Bold"
ITALIC = f"{FONT}-Italic"
BOLD_ITALIC = f"{FONT}-BoldItalic"
_FILES = {FONT: "Regular", BOLD: "Bold", ITALIC: "Italic", BOLD_ITALIC: "BoldItalic"}


@functools.cache
def register_fonts() -> None:
    root = files("fontpkg_be_vietnam_pro") / "files"
    for name, style in _FILES.items():
        pdfmetrics.registerFont(TTFont(name, str(root / f"BeVietnamPro-{style}.ttf")))
    pdfmetrics.registerFontFamily(FONT, normal=FONT, bold=BOLD, italic=ITALIC, boldItalic=BOLD_ITALIC)
