"""How long the printed forms take, against baselines measured in the same run.

    .venv/bin/python benchmarks/bench_forms.py [--repeat 200] [--rows 3000] [--db]

Pure layouts (no database): the receipt from its data object, median of ``--repeat`` renders,
against an empty one-page PDF and a one-paragraph A5 document in the same fonts; the tracking book
of ``--rows`` dossiers (a month of a busy agency) as PDF and Excel. With ``--db`` the book is also
printed end to end from the database (selector, ``.values().iterator()``, layout) after seeding
``--rows`` dossiers in a throw-away test database on the configured server.
"""

import argparse
import datetime as dt
import io
import os
import statistics
import sys
import time
import zoneinfo
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DEBUG", "false")  # as in production: no query log, no debug cursor
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "onestop.settings")

import django  # noqa: E402

django.setup()

from reportlab.pdfgen.canvas import Canvas  # noqa: E402

from printing import data as d  # noqa: E402
from printing.forms.receipt import render_receipt  # noqa: E402
from printing.forms.tracking_book import render_tracking_book_pdf, render_tracking_book_xlsx  # noqa: E402
from printing.toolkit import render, text  # noqa: E402

HCM = zoneinfo.ZoneInfo("Asia/Ho_Chi_Minh")
AT = dt.datetime(2026, 3, 2, 8, 0, tzinfo=HCM)
HEADER = d.FormHeader(d.AgencyInfo("000.00.31.H57", "Sở Tư pháp", "Ủy ban nhân dân tỉnh"), "Huế", AT)


def receipt() -> d.Receipt:
    return d.Receipt(
        header=HEADER,
        code="000.00.31.H57-260302-0001",
        procedure_code="1.001193",
        procedure_name="Đăng ký khai sinh",
        applicant=d.Applicant(
            "Nguyễn Thị Ánh Dương", "001190012345", "12 Lê Lợi, Huế", "0912345678", "a@b.vn"
        ),
        received_at=AT,
        qr="https://motcua.example.gov.vn/tra-cuu/000.00.31.H57-260302-0001/?key=ABCDEFGHJK",
        documents=tuple(d.DocumentLine(f"Giấy tờ {n}", "Bản chính", 1) for n in range(5)),
        legal_duration="10 ngày làm việc",
        committed_duration="7 ngày làm việc",
        due_at=AT + dt.timedelta(days=9),
        collect_at="Tại Bộ phận tiếp nhận và trả kết quả",
        fee=100000,
        lookup_key="ABCDEFGHJK",
        officer="Lê Văn Tâm",
    )


def empty_pdf() -> bytes:
    buffer = io.BytesIO()
    canvas = Canvas(buffer)
    canvas.showPage()
    canvas.save()
    return buffer.getvalue()


def one_paragraph() -> bytes:
    return render([text("Giấy tiếp nhận hồ sơ và hẹn trả kết quả")])


def median_ms(function, repeat: int) -> float:
    """Median wall-clock milliseconds; ``CPU_MS`` keeps the median process time of the last call
    (on a shared machine the wall clock also counts waiting for a core)."""
    function()  # warm: fonts, caches
    times, cpu = [], []
    for _ in range(repeat):
        start, start_cpu = time.perf_counter(), time.process_time()
        function()
        times.append(time.perf_counter() - start)
        cpu.append(time.process_time() - start_cpu)
    CPU_MS[0] = statistics.median(cpu) * 1000
    return statistics.median(times) * 1000


CPU_MS = [0.0]


PROCEDURE_NAME = "Cấp giấy chứng nhận quyền sử dụng đất, quyền sở hữu nhà ở và tài sản gắn liền với đất"


def rows(count: int):
    for n in range(1, count + 1):
        when = AT + dt.timedelta(minutes=10 * n)
        yield {
            "code": f"000.00.31.H57-260302-{n:04d}",
            "applicant_name": f"Nguyễn Văn Người Nộp {n}",
            "applicant_address": "12 Lê Lợi, phường Thuận Hóa, thành phố Huế",
            "applicant_phone": "0912345678",
            "procedure__name": PROCEDURE_NAME,
            "received_at": when,
            "due_at": when + dt.timedelta(days=7),
            "finished_at": None,
            "returned_at": None,
            "status": "processing",
            "result": "",
            "extended": n % 17 == 0,
            "verdict": "",
        }


def timed(function) -> tuple[float, bytes]:
    start = time.perf_counter()
    result = function()
    return time.perf_counter() - start, result


def seed_and_print(count: int) -> None:
    from django.db import connection

    from printing import selectors
    from printing.registry import render_form
    from tests.factories import AgencyFactory, make_procedure
    from workflows.models import Dossier

    old_name = connection.settings_dict["NAME"]
    connection.creation.create_test_db(verbosity=0, autoclobber=True)
    try:
        agency = AgencyFactory(code="000.00.31.H57", name="Sở Tư pháp")
        procedure = make_procedure(agency=agency)
        version = procedure.current_version
        fields = {
            "applicant_name": "Nguyễn Văn A",
            "applicant_id_number": "001190012345",
            "applicant_phone": "0912345678",
            "applicant_address": "12 Lê Lợi, Huế",
        }
        common = {"procedure": procedure, "version": version, "receiving_agency": agency, **fields}
        Dossier.objects.bulk_create(
            [
                Dossier(
                    code=f"000.00.31.H57-260302-{n:05d}",
                    channel="in_person",
                    status="processing",
                    received_at=AT + dt.timedelta(minutes=10 * n),
                    due_at=AT + dt.timedelta(days=9),
                    **common,
                )
                for n in range(count)
            ],
            batch_size=1000,
        )
        start, end = dt.datetime(2026, 3, 1, tzinfo=HCM), dt.datetime(2026, 4, 1, tzinfo=HCM)

        def book():
            return selectors.tracking_book(
                agency=agency, start=start, end=end, date_from=start.date(), date_to=dt.date(2026, 3, 31)
            )

        code = Dossier.objects.values_list("code", flat=True).first()
        receipt_ms = median_ms(lambda: render_form(selectors.load(code), "receipt"), 50)
        print(
            f"receipt from the database ({connection.vendor}; load, selector, layout): "
            f"{receipt_ms:.2f} ms median"
        )
        seconds, pdf = timed(lambda: render_tracking_book_pdf(book()))
        where = f"tracking book from the database ({connection.vendor}), {count} dossiers"
        print(f"{where}: PDF {seconds:.2f} s, {len(pdf) / 1e6:.1f} MB")
        seconds, xlsx = timed(lambda: render_tracking_book_xlsx(book()))
        print(f"{where}: Excel {seconds:.2f} s, {len(xlsx) / 1e6:.1f} MB")
    finally:
        connection.creation.destroy_test_db(old_name, verbosity=0)


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--repeat", type=int, default=200)
    parser.add_argument("--rows", type=int, default=3000)
    parser.add_argument("--db", action="store_true")
    args = parser.parse_args()

    data = receipt()
    empty = median_ms(empty_pdf, args.repeat)
    paragraph = median_ms(one_paragraph, args.repeat)
    form = median_ms(lambda: render_receipt(data), args.repeat)
    form_cpu = CPU_MS[0]
    print(
        f"baseline: empty PDF {empty:.2f} ms; one A5 paragraph {paragraph:.2f} ms (median of {args.repeat})"
    )
    print(
        f"receipt: {form:.2f} ms median, {form / empty:.0f}x the empty PDF, "
        f"{form / paragraph:.1f}x one paragraph; CPU {form_cpu:.2f} ms"
    )

    book = d.TrackingBook(
        header=HEADER, date_from=AT.date(), date_to=AT.date(), qr="SOTHEODOI:x", rows=rows(args.rows)
    )
    seconds, pdf = timed(lambda: render_tracking_book_pdf(book))
    pages = pdf.count(b"/Type /Page\n") or pdf.count(b"/Type /Page")
    per_row = seconds / args.rows * 1000
    print(
        f"tracking book, {args.rows} rows: PDF {seconds:.2f} s ({per_row:.2f} ms a row, "
        f"{len(pdf) / 1e6:.1f} MB, "
        f"~{pages} pages), {seconds * 1000 / paragraph:.0f}x one paragraph"
    )
    book = d.TrackingBook(header=HEADER, date_from=AT.date(), date_to=AT.date(), rows=rows(args.rows))
    seconds, xlsx = timed(lambda: render_tracking_book_xlsx(book))
    print(f"tracking book, {args.rows} rows: Excel {seconds:.2f} s, {len(xlsx) / 1e6:.2f} MB")
    if args.db:
        seed_and_print(args.rows)


if __name__ == "__main__":
    main()
