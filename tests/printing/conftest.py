"""Dossiers in every state a printed form needs, made through the services on a fixed office clock,
and helpers to read a rendered PDF: its text (pypdf), its pages as images (pypdfium2) and the codes
on them (zxing-cpp)."""

import datetime as dt
import io
import unicodedata
import zoneinfo
from pathlib import Path

import pypdfium2 as pdfium
import pytest
import zxingcpp
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from pypdf import PdfReader

from tests.factories import AgencyFactory, make_procedure
from workflows import clock as clock_module
from workflows import services
from workflows.models import DossierTask, StaffProfile

HCM = zoneinfo.ZoneInfo("Asia/Ho_Chi_Minh")
OUTPUT = Path(__file__).resolve().parents[2] / "test-output" / "forms"
NAME = "Nguyễn Thị Ánh Dương"
APPLICANT = {
    "kind": "person",
    "name": NAME,
    "id_number": "001190012345",
    "phone": "0912345678",
    "email": "duong@example.vn",
    "address": "12 Lê Lợi, phường Thuận Hóa, Huế",
}
DOCUMENTS = [
    {"name": "Tờ khai đăng ký khai sinh", "kind": "original", "count": 1},
    {"name": "Giấy chứng sinh", "kind": "certified_copy", "count": 1},
    {"name": "Căn cước của cha, mẹ", "kind": "copy", "count": 2},
]
PRINTED_AT = dt.datetime(2026, 3, 5, 9, 30, tzinfo=HCM)


def local(*args) -> dt.datetime:
    return dt.datetime(*args, tzinfo=HCM)


class Clock:
    def __init__(self, when):
        self.now = when

    def __call__(self):
        return self.now


@pytest.fixture
def clock(monkeypatch):
    fake = Clock(local(2026, 3, 2, 8, 0))
    monkeypatch.setattr(clock_module, "now", fake)
    return fake


@pytest.fixture
def agencies(db):
    parent = AgencyFactory(code="000.00.01.H57", name="Ủy ban nhân dân tỉnh")
    own = AgencyFactory(code="000.00.31.H57", name="Sở Tư pháp", parent=parent)
    other = AgencyFactory(code="000.00.32.H57", name="Sở Xây dựng")
    return own, other


@pytest.fixture
def staff(agencies):
    users = {}
    for index, agency in enumerate(agencies):
        for role in ("reception", "specialist", "head"):
            user = get_user_model().objects.create_user(
                username=f"{role}{index}", password="x", first_name="Lê Văn", last_name=f"Tâm {role}"
            )
            StaffProfile.objects.create(user=user, agency=agency)
            user.groups.add(Group.objects.get(name=role))
            users[(index, role)] = user
    supervisor = get_user_model().objects.create_user(username="supervisor", password="x")
    StaffProfile.objects.create(user=supervisor, agency=agencies[1])
    supervisor.groups.add(Group.objects.get(name="supervisor"))
    users["supervisor"] = supervisor
    return users


@pytest.fixture
def procedure(agencies):
    own, other = agencies
    return make_procedure(
        code="1.001193",
        agency=own,
        legal=(10, "working_days"),
        committed=(5, "working_days"),
        steps=[
            {"name": "Thẩm định hồ sơ", "budget_hours": 16},
            {"name": "Phê duyệt", "budget_hours": 8, "role": "head"},
        ],
    )


@pytest.fixture
def register(clock, staff, procedure):
    """``register(**applicant overrides) -> (dossier, key)`` at 08:00 on Monday 2 March 2026."""

    def make(documents=DOCUMENTS, **applicant):
        clock.now = local(2026, 3, 2, 8, 0)
        return services.dossier_register(
            procedure=procedure,
            applicant={**APPLICANT, **applicant},
            channel="in_person",
            documents=documents,
            by=staff[(0, "reception")],
        )

    return make


def _first_task(dossier):
    return DossierTask.objects.filter(dossier=dossier, status="open").order_by("id").first()


@pytest.fixture
def dossier_in(register, clock, staff, procedure):
    """``dossier_in(state) -> (dossier, key)`` for every state a form needs."""

    def make(state: str, **applicant):
        if state == "rejected":
            clock.now = local(2026, 3, 2, 8, 0)
            dossier = services.dossier_refuse_at_intake(
                procedure=procedure,
                applicant={**APPLICANT, **applicant},
                channel="in_person",
                documents=DOCUMENTS,
                reasons=["Thiếu giấy chứng sinh bản chính.", "Tờ khai chưa có chữ ký của người đi khai."],
                by=staff[(0, "reception")],
            )
            return dossier, None
        dossier, key = register(**applicant)
        specialist = staff[(0, "specialist")]
        if state == "processing":
            pass
        elif state == "supplement":
            clock.now = local(2026, 3, 3, 9, 15)
            services.task_complete(
                task=_first_task(dossier),
                by=specialist,
                decision="request_supplement",
                note="Giấy chứng sinh bị mờ, không đọc được ngày sinh.",
                missing_documents=[{"name": "Giấy chứng sinh", "kind": "certified_copy", "count": 1}],
            )
        elif state == "refused":
            clock.now = local(2026, 3, 3, 10, 0)
            services.task_complete(
                task=_first_task(dossier), by=specialist, decision="refuse", reasons=["Không đủ điều kiện."]
            )
        elif state == "extended":
            clock.now = local(2026, 3, 4, 14, 0)
            services.dossier_extend(
                dossier=dossier,
                by=staff[(0, "head")],
                new_due_at=local(2026, 3, 16, 16, 0),
                reason="Cần xác minh thông tin với cơ quan khác.",
            )
        elif state == "withdrawn":
            clock.now = local(2026, 3, 3, 15, 45)
            services.dossier_withdraw(dossier=dossier, by=staff[(0, "reception")], reason="Nộp nhầm thủ tục.")
        elif state == "returned":
            clock.now = local(2026, 3, 3, 9, 0)
            services.task_complete(
                task=_first_task(dossier), by=specialist, decision="approve", note="Hợp lệ."
            )
            clock.now = local(2026, 3, 4, 10, 30)
            services.task_complete(task=_first_task(dossier), by=staff[(0, "head")], decision="approve")
            clock.now = local(2026, 3, 5, 8, 10)
            services.dossier_return_result(dossier=dossier, by=staff[(0, "reception")])
        else:
            raise ValueError(state)
        dossier.refresh_from_db()
        return dossier, key

    return make


# --- reading a PDF --------------------------------------------------------------------------------


def pdf_text(pdf: bytes) -> str:
    return "\n".join(page.extract_text() for page in PdfReader(io.BytesIO(pdf)).pages)


def flat(value: str) -> str:
    """Text with every whitespace removed: a wrapped line still contains the whole string."""
    return "".join(unicodedata.normalize("NFC", value).split())


def pages(pdf: bytes, dpi: int = 200):
    document = pdfium.PdfDocument(pdf)
    try:
        return [document[i].render(scale=dpi / 72).to_pil().convert("L") for i in range(len(document))]
    finally:
        document.close()


def decode(image, barcode_format) -> list[str]:
    return [r.text for r in zxingcpp.read_barcodes(image, formats=barcode_format)]


def save_pngs(pdf: bytes, name: str) -> list:
    OUTPUT.mkdir(parents=True, exist_ok=True)
    images = pages(pdf)
    for number, image in enumerate(images, start=1):
        image.save(OUTPUT / f"{name}-{number}.png")
    return images


def ink_near_edges(image, band_mm: float = 5, dpi: int = 200) -> bool:
    """Whether anything darker than light grey is drawn within ``band_mm`` of the page's edges."""
    band = round(band_mm / 25.4 * dpi)
    width, height = image.size
    strips = [
        (0, 0, width, band),
        (0, height - band, width, height),
        (0, 0, band, height),
        (width - band, 0, width, height),
    ]
    return any(image.crop(box).getextrema()[0] < 200 for box in strips)
