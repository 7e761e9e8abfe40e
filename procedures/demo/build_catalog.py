"""Build ``catalog.json`` (the demo catalog) from ``reference.csv``: run by hand after editing either.

``reference.csv`` is the list of 39 real procedures (national code, name, legal duration, legal
basis, sources) collected from dichvucong.gov.vn, provincial publication decisions and the Pháp
điển. This script adds what a province decides for itself: the demo province's agencies, who
receives each procedure, the committed (cut) duration, the processing steps, the documents and
the fee. Each procedure's ``legal_basis`` keeps the CSV's legal basis and its sources, so the file
says where every legal duration comes from.

    python procedures/demo/build_catalog.py   # rewrites procedures/demo/catalog.json
"""

import csv
import json
from pathlib import Path

HERE = Path(__file__).resolve().parent

# The demo province's agencies: departments at 000.00.xx.H57, units under them at 000.<dept>.yy.H57,
# communes and wards (directly under the province since 2025) at 000.00.5x.H57.
UBT, STP, STC, SXD, SNN = "000.00.01.H57", "000.00.03.H57", "000.00.04.H57", "000.00.05.H57", "000.00.06.H57"
VPDK, SYT, SNV, TTVL = "000.06.01.H57", "000.00.07.H57", "000.00.08.H57", "000.08.01.H57"
CAT, PC07, PC08, CAP = "000.00.09.H57", "000.09.01.H57", "000.09.02.H57", "000.09.51.H57"
THUE, BHXH, UBP, UBX = "000.00.10.H57", "000.00.11.H57", "000.00.51.H57", "000.00.52.H57"

AGENCIES = [
    {"code": UBT, "name": "Ủy ban nhân dân tỉnh", "level": "province"},
    {"code": STP, "name": "Sở Tư pháp", "level": "province"},
    {"code": STC, "name": "Sở Tài chính", "level": "province"},
    {"code": SXD, "name": "Sở Xây dựng", "level": "province"},
    {"code": SNN, "name": "Sở Nông nghiệp và Môi trường", "level": "province"},
    {"code": VPDK, "name": "Văn phòng Đăng ký đất đai", "level": "province", "parent": SNN},
    {"code": SYT, "name": "Sở Y tế", "level": "province"},
    {"code": SNV, "name": "Sở Nội vụ", "level": "province"},
    {"code": TTVL, "name": "Trung tâm Dịch vụ việc làm", "level": "province", "parent": SNV},
    {"code": CAT, "name": "Công an tỉnh", "level": "province"},
    {
        "code": PC07,
        "name": "Phòng Cảnh sát phòng cháy, chữa cháy và cứu nạn, cứu hộ",
        "level": "province",
        "parent": CAT,
    },
    {"code": PC08, "name": "Phòng Cảnh sát giao thông", "level": "province", "parent": CAT},
    {"code": CAP, "name": "Công an phường Trung Tâm", "level": "commune", "parent": CAT},
    {"code": THUE, "name": "Thuế tỉnh", "level": "province"},
    {"code": BHXH, "name": "Bảo hiểm xã hội tỉnh", "level": "province"},
    {"code": UBP, "name": "UBND phường Trung Tâm", "level": "commune"},
    {"code": UBX, "name": "UBND xã An Phú", "level": "commune"},
]

FIELDS = {
    "HT": "Hộ tịch",
    "CT": "Chứng thực",
    "LLTP": "Lý lịch tư pháp",
    "CU": "Đăng ký, quản lý cư trú",
    "CC": "Cấp, quản lý căn cước",
    "DN": "Thành lập và hoạt động của doanh nghiệp",
    "HKD": "Thành lập và hoạt động của hộ kinh doanh",
    "DT": "Đầu tư tại Việt Nam",
    "XD": "Hoạt động xây dựng",
    "DD": "Đất đai",
    "BPBD": "Đăng ký biện pháp bảo đảm",
    "PCCC": "Phòng cháy, chữa cháy",
    "MT": "Môi trường",
    "ATTP": "Quản lý chất lượng nông lâm sản và thủy sản",
    "GPLX": "Sát hạch, cấp giấy phép lái xe",
    "VL": "Việc làm",
    "DUOC": "Dược",
}


def s(name, agency, hours, role="specialist", group=""):
    step = {"name": name, "agency": agency, "role": role, "budget_hours": hours}
    if group:
        step["parallel_group"] = group
    return step


def review(agency, specialist_hours, head_hours, what="Thẩm định hồ sơ", sign="Phê duyệt, ký kết quả"):
    return [s(what, agency, specialist_hours), s(sign, agency, head_hours, "head")]


def d(name, kind="original", count=1):
    return {"name": name, "kind": kind, "count": count}


ID_COPY = d("Giấy tờ tùy thân (xuất trình hoặc khai thác từ CSDL quốc gia về dân cư)", "copy")
WD, WH, CD = "working_days", "working_hours", "calendar_days"

# code: field, level, receiving agency, committed (value, unit), fee (đồng), online level,
#       supplement mode, documents, steps
PLAN = {
    # Hộ tịch: same-day procedures keep their 1 working day; the others are cut where it is safe.
    "1.001193": (
        "HT",
        "commune",
        UBP,
        (1, WD),
        0,
        "full",
        "pause",
        [d("Tờ khai đăng ký khai sinh theo mẫu"), d("Giấy chứng sinh hoặc giấy tờ thay thế")],
        review(UBP, 6, 2, "Kiểm tra hồ sơ, ghi Sổ hộ tịch, cập nhật CSDL hộ tịch", "Ký Giấy khai sinh"),
    ),
    "1.000894": (
        "HT",
        "commune",
        UBP,
        (1, WD),
        0,
        "partial",
        "pause",
        [d("Tờ khai đăng ký kết hôn theo mẫu"), ID_COPY],
        review(UBP, 6, 2, "Kiểm tra điều kiện kết hôn, ghi Sổ hộ tịch", "Ký Giấy chứng nhận kết hôn"),
    ),
    "1.000656": (
        "HT",
        "commune",
        UBP,
        (1, WD),
        0,
        "full",
        "pause",
        [d("Tờ khai đăng ký khai tử theo mẫu"), d("Giấy báo tử hoặc giấy tờ thay thế")],
        review(UBP, 6, 2, "Kiểm tra hồ sơ, ghi Sổ hộ tịch", "Ký Trích lục khai tử"),
    ),
    "1.004873": (
        "HT",
        "commune",
        UBP,
        (2, WD),
        0,
        "full",
        "pause",
        [d("Tờ khai cấp Giấy xác nhận tình trạng hôn nhân theo mẫu")],
        review(UBP, 12, 4, "Kiểm tra, xác minh tình trạng hôn nhân", "Ký Giấy xác nhận"),
    ),
    "1.000689": (
        "HT",
        "commune",
        UBP,
        (3, WD),
        0,
        "partial",
        "pause",
        [
            d("Tờ khai đăng ký khai sinh, nhận cha, mẹ, con theo mẫu"),
            d("Giấy chứng sinh"),
            d("Chứng cứ chứng minh quan hệ cha, mẹ, con", "copy"),
        ],
        review(UBP, 16, 8, "Kiểm tra, xác minh quan hệ cha, mẹ, con", "Ký Giấy khai sinh, Trích lục"),
    ),
    "2.000986": (
        "HT",
        "commune",
        UBP,
        (15, WD),
        0,
        "partial",
        "pause",
        [d("Tờ khai liên thông đăng ký khai sinh, thường trú, cấp thẻ BHYT"), d("Giấy chứng sinh")],
        [
            s("Đăng ký khai sinh, cấp số định danh cá nhân", UBP, 6),
            s("Ký Giấy khai sinh, chuyển hồ sơ liên thông", UBP, 2, "head"),
            s("Đăng ký thường trú cho trẻ em", CAP, 48),
            s("Cấp thẻ bảo hiểm y tế cho trẻ em dưới 6 tuổi", BHXH, 40),
            s("Nhận kết quả liên thông, chuyển Bộ phận Một cửa", UBP, 8, "reception"),
        ],
    ),
    "2.001023": (
        "HT",
        "commune",
        UBP,
        (10, WD),
        0,
        "partial",
        "pause",
        [d("Tờ khai liên thông đăng ký khai sinh, cấp thẻ BHYT"), d("Giấy chứng sinh")],
        [
            s("Đăng ký khai sinh, cấp số định danh cá nhân", UBP, 6),
            s("Ký Giấy khai sinh, chuyển hồ sơ sang Bảo hiểm xã hội", UBP, 2, "head"),
            s("Cấp thẻ bảo hiểm y tế cho trẻ em dưới 6 tuổi", BHXH, 56),
            s("Nhận kết quả liên thông, chuyển Bộ phận Một cửa", UBP, 8, "reception"),
        ],
    ),
    # Chứng thực
    "2.000815": (
        "CT",
        "commune",
        UBP,
        (1, WD),
        2000,
        "partial",
        "pause",
        [d("Bản chính giấy tờ, văn bản cần chứng thực"), d("Bản sao cần chứng thực", "copy")],
        review(UBP, 6, 2, "Đối chiếu bản sao với bản chính", "Ký chứng thực, đóng dấu"),
    ),
    "2.000884": (
        "CT",
        "commune",
        UBP,
        (1, WD),
        10000,
        "none",
        "pause",
        [d("Giấy tờ, văn bản cần chứng thực chữ ký"), ID_COPY],
        review(UBP, 6, 2, "Kiểm tra giấy tờ, chứng kiến ký", "Ký chứng thực, đóng dấu"),
    ),
    "2.001035": (
        "CT",
        "commune",
        UBP,
        (2, WD),
        50000,
        "none",
        "pause",
        [
            d("Dự thảo hợp đồng, giao dịch"),
            d("Giấy chứng nhận quyền sử dụng đất hoặc giấy tờ về tài sản", "copy"),
            ID_COPY,
        ],
        review(UBP, 12, 4, "Kiểm tra hồ sơ, năng lực hành vi các bên", "Ký chứng thực hợp đồng, giao dịch"),
    ),
    # Lý lịch tư pháp: 10 calendar days by law; the province commits to 6 working days.
    "3.000333": (
        "LLTP",
        "province",
        CAT,
        (6, WD),
        200000,
        "full",
        "pause",
        [d("Tờ khai yêu cầu cấp Phiếu lý lịch tư pháp theo mẫu"), ID_COPY],
        [
            s("Tra cứu, xác minh thông tin lý lịch tư pháp", CAT, 36),
            s("Lập Phiếu lý lịch tư pháp", CAT, 8),
            s("Ký Phiếu lý lịch tư pháp", CAT, 4, "head"),
        ],
    ),
    # Cư trú, căn cước
    "1.004222": (
        "CU",
        "commune",
        CAP,
        (5, WD),
        20000,
        "full",
        "pause",
        [d("Tờ khai thay đổi thông tin cư trú (CT01)"), d("Giấy tờ chứng minh chỗ ở hợp pháp", "copy")],
        review(CAP, 32, 8, "Kiểm tra, xác minh chỗ ở hợp pháp", "Duyệt đăng ký thường trú"),
    ),
    "1.004194": (
        "CU",
        "commune",
        CAP,
        (2, WD),
        15000,
        "full",
        "pause",
        [d("Tờ khai thay đổi thông tin cư trú (CT01)"), d("Giấy tờ chứng minh chỗ ở hợp pháp", "copy")],
        review(CAP, 12, 4, "Kiểm tra, xác minh chỗ ở hợp pháp", "Duyệt đăng ký tạm trú"),
    ),
    "1.014061": (
        "CC",
        "commune",
        CAP,
        (7, WD),
        0,
        "none",
        "pause",
        [d("Tờ khai căn cước (khi thông tin trong CSDL quốc gia về dân cư cần điều chỉnh)")],
        [
            s("Thu nhận thông tin, ảnh, vân tay, mống mắt", CAP, 8),
            s("Duyệt, chuyển đề nghị cấp thẻ về Bộ Công an", CAP, 4, "head"),
            s("Theo dõi việc in thẻ tại Cục Cảnh sát QLHC về TTXH, nhận thẻ", CAP, 36),
            s("Trả thẻ căn cước", CAP, 4, "reception"),
        ],
    ),
    # Doanh nghiệp (business-related: cut by at least 30% per Resolution 66/NQ-CP)
    **{
        code: (
            "DN",
            "province",
            STC,
            (2, WD),
            50000,
            "full",
            "restart",
            docs,
            review(
                STC, 12, 4, "Thẩm định hồ sơ đăng ký doanh nghiệp", "Cấp Giấy chứng nhận đăng ký doanh nghiệp"
            ),
        )
        for code, docs in {
            "2.001610": [d("Giấy đề nghị đăng ký doanh nghiệp"), ID_COPY],
            "2.001583": [d("Giấy đề nghị đăng ký doanh nghiệp"), d("Điều lệ công ty"), ID_COPY],
            "2.002043": [
                d("Giấy đề nghị đăng ký doanh nghiệp"),
                d("Điều lệ công ty"),
                d("Danh sách cổ đông sáng lập"),
                ID_COPY,
            ],
        }.items()
    },
    "2.002041": (
        "DN",
        "province",
        STC,
        (2, WD),
        50000,
        "full",
        "restart",
        [
            d("Thông báo thay đổi nội dung đăng ký doanh nghiệp"),
            d("Nghị quyết, quyết định của chủ sở hữu/HĐTV/ĐHĐCĐ"),
        ],
        review(STC, 12, 4, "Thẩm định hồ sơ thay đổi", "Cấp Giấy chứng nhận, xác nhận thay đổi"),
    ),
    "2.002029": (
        "DN",
        "province",
        STC,
        (4, WH),
        0,
        "full",
        "restart",
        [d("Thông báo tạm ngừng, tiếp tục kinh doanh")],
        review(STC, 3, 1, "Kiểm tra thông báo, cập nhật hệ thống", "Cấp Giấy xác nhận"),
    ),
    "1.001612": (
        "HKD",
        "commune",
        UBP,
        (2, WD),
        100000,
        "full",
        "restart",
        [d("Giấy đề nghị đăng ký hộ kinh doanh"), ID_COPY],
        [
            s("Thẩm định hồ sơ đăng ký hộ kinh doanh", UBP, 8),
            s("Cấp Giấy chứng nhận đăng ký hộ kinh doanh", UBP, 4, "head"),
            s("Tiếp nhận thông tin đăng ký, cấp mã số thuế hộ kinh doanh", THUE, 4),
        ],
    ),
    # Đầu tư
    "1.009645": (
        "DT",
        "province",
        STC,
        (11, WD),
        0,
        "partial",
        "pause",
        [
            d("Văn bản đề nghị thực hiện dự án đầu tư"),
            d("Đề xuất dự án đầu tư"),
            d("Tài liệu chứng minh năng lực tài chính của nhà đầu tư", "copy"),
        ],
        [
            s("Kiểm tra hồ sơ, gửi lấy ý kiến thẩm định", STC, 8),
            s("Góp ý về quy hoạch, xây dựng", SXD, 32, group="y_kien"),
            s("Góp ý về đất đai, môi trường", SNN, 32, group="y_kien"),
            s("Góp ý về quốc phòng, an ninh", CAT, 32, group="y_kien"),
            s("Góp ý của địa phương nơi thực hiện dự án", UBX, 32, group="y_kien"),
            s("Lập báo cáo thẩm định", STC, 24),
            s("Lãnh đạo Sở Tài chính ký báo cáo, trình UBND tỉnh", STC, 4, "head"),
            s("Chủ tịch UBND tỉnh chấp thuận chủ trương đầu tư", UBT, 16, "head"),
        ],
    ),
    "1.009664": (
        "DT",
        "province",
        STC,
        (7, WD),
        0,
        "partial",
        "pause",
        [d("Văn bản đề nghị cấp Giấy chứng nhận đăng ký đầu tư"), d("Đề xuất dự án đầu tư")],
        review(STC, 40, 8, "Thẩm định hồ sơ dự án", "Cấp Giấy chứng nhận đăng ký đầu tư"),
    ),
    # Xây dựng
    "1.013236": (
        "XD",
        "province",
        SXD,
        (14, CD),
        150000,
        "partial",
        "pause",
        [
            d("Đơn đề nghị cấp giấy phép xây dựng theo mẫu"),
            d("Quyết định phê duyệt dự án", "copy"),
            d("Bản vẽ thiết kế xây dựng", "original", 2),
        ],
        [
            s("Kiểm tra hồ sơ, thẩm định", SXD, 16),
            s("Ý kiến về phòng cháy, chữa cháy", PC07, 24, group="y_kien"),
            s("Ý kiến về đất đai, môi trường", SNN, 24, group="y_kien"),
            s("Tổng hợp ý kiến, dự thảo giấy phép", SXD, 16),
            s("Ký giấy phép xây dựng", SXD, 8, "head"),
        ],
    ),
    "1.013225": (
        "XD",
        "commune",
        UBP,
        (14, CD),
        75000,
        "partial",
        "pause",
        [
            d("Đơn đề nghị cấp giấy phép xây dựng theo mẫu"),
            d("Giấy tờ chứng minh quyền sử dụng đất", "certified_copy"),
            d("Bản vẽ thiết kế", "original", 2),
        ],
        [
            s("Kiểm tra hồ sơ", UBP, 16),
            s("Kiểm tra hiện trường", UBP, 16),
            s("Thẩm định, dự thảo giấy phép", UBP, 32),
            s("Ký giấy phép xây dựng", UBP, 8, "head"),
        ],
    ),
    "1.013234": (
        "XD",
        "province",
        SXD,
        (28, CD),
        0,
        "partial",
        "pause",
        [d("Tờ trình thẩm định thiết kế xây dựng"), d("Hồ sơ thiết kế xây dựng")],
        review(SXD, 120, 16, "Thẩm định thiết kế xây dựng", "Ký thông báo kết quả thẩm định"),
    ),
    # Đất đai
    "1.013978": (
        "DD",
        "commune",
        UBX,
        (15, WD),
        0,
        "partial",
        "pause",
        [
            d("Đơn đăng ký đất đai, tài sản gắn liền với đất theo mẫu"),
            d("Giấy tờ về quyền sử dụng đất (nếu có)", "certified_copy"),
        ],
        [
            s("Kiểm tra hồ sơ, chuyển Văn phòng Đăng ký đất đai", UBX, 4),
            s("Trích đo bản đồ địa chính thửa đất", VPDK, 40, group="xac_minh"),
            s("Xác nhận hiện trạng, niêm yết công khai", UBX, 40, group="xac_minh"),
            s("Kiểm tra hồ sơ, cập nhật cơ sở dữ liệu đất đai", VPDK, 16),
            s("Xác định, thông báo nghĩa vụ tài chính", THUE, 24),
            s("In Giấy chứng nhận, trình ký", VPDK, 8),
            s("Chủ tịch UBND xã ký Giấy chứng nhận", UBX, 8, "head"),
        ],
    ),
    "1.013831": (
        "DD",
        "province",
        VPDK,
        (6, WD),
        0,
        "partial",
        "pause",
        [
            d("Đơn đăng ký biến động đất đai theo mẫu"),
            d("Hợp đồng, văn bản chuyển quyền"),
            d("Giấy chứng nhận đã cấp"),
        ],
        [
            s("Thẩm định hồ sơ đăng ký biến động", VPDK, 16),
            s("Xác định, thông báo nghĩa vụ tài chính", THUE, 16),
            s("Xác nhận biến động, cập nhật cơ sở dữ liệu", VPDK, 8, "head"),
        ],
    ),
    "1.012784": (
        "DD",
        "province",
        VPDK,
        (8, WD),
        0,
        "partial",
        "pause",
        [d("Đơn đề nghị tách thửa, hợp thửa đất theo mẫu"), d("Giấy chứng nhận đã cấp")],
        review(VPDK, 48, 8, "Đo đạc, thẩm định hồ sơ tách, hợp thửa", "Ký Giấy chứng nhận"),
    ),
    "1.012786": (
        "DD",
        "province",
        VPDK,
        (7, WD),
        0,
        "partial",
        "pause",
        [
            d("Đơn đề nghị cấp lại Giấy chứng nhận theo mẫu"),
            d("Giấy xác nhận đã niêm yết việc mất Giấy chứng nhận"),
        ],
        [
            s("Niêm yết công khai việc mất Giấy chứng nhận", UBP, 8),
            s("Thẩm định hồ sơ, in Giấy chứng nhận", VPDK, 32),
            s("Ký Giấy chứng nhận", VPDK, 8, "head"),
        ],
    ),
    "1.012783": (
        "DD",
        "province",
        VPDK,
        (7, WD),
        0,
        "partial",
        "pause",
        [d("Đơn đề nghị cấp đổi Giấy chứng nhận theo mẫu"), d("Giấy chứng nhận đã cấp")],
        review(VPDK, 40, 8, "Thẩm định hồ sơ, in Giấy chứng nhận", "Ký Giấy chứng nhận"),
    ),
    "1.011441": (
        "BPBD",
        "province",
        VPDK,
        (1, WD),
        0,
        "full",
        "pause",
        [d("Phiếu yêu cầu đăng ký biện pháp bảo đảm"), d("Hợp đồng bảo đảm", "copy")],
        review(VPDK, 6, 2, "Kiểm tra hồ sơ, ghi nội dung đăng ký", "Ký chứng nhận đăng ký"),
    ),
    # Phòng cháy, chữa cháy
    "3.000489": (
        "PCCC",
        "province",
        PC07,
        (7, WD),
        0,
        "partial",
        "pause",
        [d("Văn bản đề nghị thẩm định thiết kế về PCCC"), d("Hồ sơ thiết kế về PCCC")],
        review(PC07, 40, 8, "Thẩm định thiết kế về phòng cháy, chữa cháy", "Ký văn bản thẩm định"),
    ),
    "3.000493": (
        "PCCC",
        "province",
        PC07,
        (7, WD),
        0,
        "partial",
        "pause",
        [d("Văn bản đề nghị kiểm tra kết quả nghiệm thu về PCCC"), d("Hồ sơ hoàn công về PCCC")],
        review(
            PC07, 40, 8, "Kiểm tra thực tế, nghiệm thu tại công trình", "Ký văn bản chấp thuận nghiệm thu"
        ),
    ),
    # Môi trường
    "1.010733": (
        "MT",
        "province",
        SNN,
        (24, CD),
        0,
        "partial",
        "pause",
        [
            d("Văn bản đề nghị thẩm định báo cáo ĐTM"),
            d("Báo cáo đánh giá tác động môi trường"),
            d("Báo cáo nghiên cứu khả thi hoặc tài liệu tương đương"),
        ],
        [
            s("Kiểm tra hồ sơ, thành lập hội đồng thẩm định", SNN, 8),
            s("Họp hội đồng thẩm định báo cáo ĐTM", SNN, 64, group="tham_dinh"),
            s("Khảo sát thực tế khu vực dự án", UBX, 24, group="tham_dinh"),
            s("Tổng hợp kết quả thẩm định, trình phê duyệt", SNN, 8, "head"),
            s("Phê duyệt kết quả thẩm định báo cáo ĐTM", UBT, 40, "head"),
        ],
    ),
    # An toàn thực phẩm
    "2.001827": (
        "ATTP",
        "province",
        SNN,
        (10, CD),
        0,
        "partial",
        "pause",
        [
            d("Đơn đề nghị cấp Giấy chứng nhận cơ sở đủ điều kiện ATTP"),
            d("Bản thuyết minh về cơ sở vật chất, trang thiết bị, dụng cụ"),
        ],
        [
            s("Thẩm định hồ sơ", SNN, 16),
            s("Thẩm định thực tế tại cơ sở", SNN, 24),
            s("Cấp Giấy chứng nhận", SNN, 8, "head"),
        ],
    ),
    # Giấy phép lái xe
    "3.000347": (
        "GPLX",
        "province",
        PC08,
        (3, WD),
        135000,
        "full",
        "pause",
        [d("Đơn đề nghị đổi giấy phép lái xe theo mẫu"), d("Giấy khám sức khỏe của người lái xe")],
        [
            s("Kiểm tra, xác minh giấy phép lái xe đã cấp", PC08, 12),
            s("Duyệt, in giấy phép lái xe", PC08, 4, "head"),
            s("Trả giấy phép lái xe", PC08, 4, "reception"),
        ],
    ),
    # Việc làm
    "1.014199": (
        "VL",
        "province",
        SNV,
        (7, WD),
        600000,
        "partial",
        "pause",
        [
            d("Văn bản đề nghị cấp giấy phép lao động"),
            d("Giấy chứng nhận sức khỏe"),
            d("Văn bản chứng minh chuyên gia, nhà quản lý, lao động kỹ thuật", "certified_copy"),
        ],
        review(SNV, 40, 8, "Thẩm định hồ sơ", "Cấp giấy phép lao động"),
    ),
    "1.001978": (
        "VL",
        "province",
        TTVL,
        (15, WD),
        0,
        "partial",
        "pause",
        [
            d("Đề nghị hưởng trợ cấp thất nghiệp theo mẫu"),
            d("Quyết định chấm dứt hợp đồng lao động", "copy"),
            d("Sổ bảo hiểm xã hội"),
        ],
        [
            s("Xem xét hồ sơ, dự thảo quyết định hưởng trợ cấp", TTVL, 64),
            s("Giám đốc Trung tâm trình Sở", TTVL, 8, "head"),
            s("Giám đốc Sở Nội vụ ký quyết định hưởng trợ cấp thất nghiệp", SNV, 16, "head"),
        ],
    ),
    # Dược
    "1.014076": (
        "DUOC",
        "province",
        SYT,
        (14, CD),
        0,
        "partial",
        "pause",
        [
            d("Đơn đề nghị cấp Giấy chứng nhận đủ điều kiện kinh doanh dược"),
            d("Chứng chỉ hành nghề dược", "copy"),
            d("Tài liệu kỹ thuật về địa điểm, trang thiết bị"),
        ],
        [
            s("Thẩm định hồ sơ", SYT, 24),
            s("Đánh giá thực tế tại cơ sở", SYT, 32),
            s("Cấp Giấy chứng nhận đủ điều kiện kinh doanh dược", SYT, 8, "head"),
        ],
    ),
}

UNITS = {"ngày làm việc": WD, "ngày": CD}


def build() -> dict:
    with open(HERE / "reference.csv", encoding="utf-8") as handle:
        reference = {row["code"]: row for row in csv.DictReader(handle)}
    procedures = []
    for code, (field, level, agency, committed, fee, online, supplement, documents, steps) in PLAN.items():
        row = reference[code]
        procedures.append(
            {
                "code": code,
                "name": row["name"],
                "field": field,
                "level": level,
                "receiving_agency": agency,
                "legal_duration": {"value": int(row["legal_value"]), "unit": UNITS[row["legal_unit"]]},
                "committed_duration": {"value": committed[0], "unit": committed[1]},
                "fee": fee,
                "online_level": online,
                "supplement_mode": supplement,
                "legal_basis": f"{row['legal_basis']}. Nguồn: {row['source']}",
                "documents": documents,
                "steps": steps,
            }
        )
    return {
        "meta": {
            "description": (
                "Danh mục thủ tục mẫu của một tỉnh demo (mã định danh H57). Mã thủ tục, tên, thời hạn "
                "theo quy định và căn cứ pháp lý lấy từ procedures/demo/reference.csv (Cổng DVCQG, quyết "
                "định công bố của tỉnh, Pháp điển; nguồn của từng thủ tục ghi trong legal_basis)."
            ),
            "committed_duration": (
                "Thời hạn cam kết là quyết định của tỉnh demo: thủ tục liên quan doanh nghiệp cắt giảm "
                "ít nhất 30% theo Nghị quyết 66/NQ-CP (2025); thủ tục giải quyết trong ngày giữ nguyên."
            ),
            "fee": (
                "Lệ phí là giá trị minh họa; mức thực tế theo nghị quyết HĐND tỉnh "
                "và thông tư của Bộ Tài chính."
            ),
            "verify": (
                "Đối chiếu lại với CSDL quốc gia về TTHC và quyết định công bố của tỉnh trước khi dùng thật."
            ),
        },
        "agencies": AGENCIES,
        "fields": [{"code": code, "name": name} for code, name in FIELDS.items()],
        "procedures": procedures,
    }


if __name__ == "__main__":
    (HERE / "catalog.json").write_text(
        json.dumps(build(), ensure_ascii=False, indent=2) + "\n", encoding="utf-8"
    )
