"""The QR code (segno) and the Code 128 barcode (reportlab) as flowables of a form."""

import segno
from reportlab.graphics.barcode.code128 import Code128
from reportlab.lib.units import mm
from reportlab.platypus import Flowable

QUIET_MODULES = 2  # the white page around the form's corner completes the quiet zone


class QRCode(Flowable):
    """A square QR code of side ``size``, drawn as one rectangle per run of dark modules."""

    def __init__(self, payload: str, size: float = 20 * mm):
        super().__init__()
        self.payload = payload
        self.size = size
        self.matrix = segno.make(payload, error="m", micro=False).matrix

    def wrap(self, available_width, available_height):
        return self.size, self.size

    def draw(self):
        count = len(self.matrix) + 2 * QUIET_MODULES
        module = self.size / count
        canvas = self.canv
        canvas.setFillColorRGB(0, 0, 0)
        for row_index, row in enumerate(self.matrix):
            y = self.size - (row_index + QUIET_MODULES + 1) * module
            start = None
            for col_index, dark in enumerate([*row, 0]):
                if dark and start is None:
                    start = col_index
                elif not dark and start is not None:
                    x = (start + QUIET_MODULES) * module
                    canvas.rect(x, y, (col_index - start) * module, module, stroke=0, fill=1)
                    start = None


def barcode(code: str, *, height: float = 7 * mm, max_width: float = 60 * mm) -> Code128:
    """The dossier code as Code 128, as wide as fits ``max_width`` (bars at least 0.45 pt)."""
    probe = Code128(code, barWidth=1, barHeight=height, humanReadable=False, quiet=False)
    bar_width = max(0.45, min(1.0, max_width / probe.width))
    flowable = Code128(code, barWidth=bar_width, barHeight=height, humanReadable=False, quiet=False)
    flowable.hAlign = "CENTER"
    return flowable
