"""The columns of form II.06a (Circular 03/2025, numbering as on the form) and the extra ones."""

from dataclasses import dataclass


@dataclass(frozen=True)
class Column:
    key: str
    number: str  # printed in the numbered row under the headers
    header: str  # Vietnamese, as on the form
    group: str = ""  # the merged header above it


RECEIVED = "Số hồ sơ nhận giải quyết"
RESOLVED = "Số hồ sơ đã giải quyết"
IN_PROGRESS = "Số hồ sơ đang giải quyết"
EXTRA = "Chỉ tiêu bổ sung"

# Columns 3..13 of the official form; 1 (STT) and 2 (Đơn vị) are the row's number and label.
FORM_COLUMNS: tuple[Column, ...] = (
    Column("received_total", "3", "Tổng số", RECEIVED),
    Column("received_online", "4", "Trực tuyến", RECEIVED),
    Column("received_direct", "5", "Trực tiếp, dịch vụ bưu chính", RECEIVED),
    Column("carried_over", "6", "Từ kỳ trước chuyển qua", RECEIVED),
    Column("resolved_total", "7", "Tổng số", RESOLVED),
    Column("resolved_early", "8", "Trước hạn", RESOLVED),
    Column("resolved_on_time", "9", "Đúng hạn", RESOLVED),
    Column("resolved_late", "10", "Quá hạn", RESOLVED),
    Column("in_progress_total", "11", "Tổng số", IN_PROGRESS),
    Column("in_progress_within_due", "12", "Trong hạn", IN_PROGRESS),
    Column("in_progress_overdue", "13", "Quá hạn", IN_PROGRESS),
)

EXTRA_COLUMNS: tuple[Column, ...] = (
    Column("received_in_person", "14", "Nhận trực tiếp", EXTRA),
    Column("received_postal", "15", "Nhận qua bưu chính", EXTRA),
    Column("rejected", "16", "Từ chối tiếp nhận", EXTRA),
    Column("withdrawn", "17", "Rút hồ sơ, dừng giải quyết", EXTRA),
    Column("resolved_refused", "18", "Đã giải quyết: từ chối giải quyết", EXTRA),
    Column("waiting_supplement", "19", "Đang chờ bổ sung hồ sơ", EXTRA),
    Column("late_with_apology", "20", "Quá hạn có văn bản xin lỗi", EXTRA),
    Column("late_without_apology", "21", "Quá hạn không có văn bản xin lỗi", EXTRA),
)

PROCESSING_COLUMNS = FORM_COLUMNS + EXTRA_COLUMNS
PROCESSING_KEYS = tuple(column.key for column in PROCESSING_COLUMNS)

GROUP_LABELS = {
    "agency": "Đơn vị",
    "field": "Lĩnh vực",
    "procedure": "Thủ tục hành chính",
    "level": "Cấp thực hiện",
}

# The simpler reports: (key, Vietnamese header) per column, in order.
CUTTING_COLUMNS = (
    ("resolved", "Số hồ sơ đã giải quyết"),
    ("legal_hours", "Thời hạn theo quy định (giờ làm việc)"),
    ("committed_hours", "Thời hạn cam kết (giờ làm việc)"),
    ("cut_percent", "Tỷ lệ cắt giảm (%)"),
    ("mean_hours", "Thời gian xử lý trung bình (giờ)"),
    ("median_hours", "Trung vị (giờ)"),
    ("p90_hours", "Phân vị 90 (giờ)"),
    ("within_committed_share", "Tỷ lệ trong thời hạn cam kết"),
)
VERSION_COLUMNS = (
    ("procedure_code", "Mã thủ tục"),
    ("version_number", "Phiên bản"),
    *CUTTING_COLUMNS,
)
BOTTLENECK_COLUMNS = (
    ("procedure_code", "Mã thủ tục"),
    ("step_name", "Bước xử lý"),
    ("agency_name", "Cơ quan xử lý"),
    ("budget_hours", "Thời gian quy định cho bước (giờ)"),
    ("tasks", "Số lượt xử lý"),
    ("median_wait_hours", "Chờ xử lý: trung vị (giờ)"),
    ("p90_wait_hours", "Chờ xử lý: phân vị 90 (giờ)"),
    ("median_work_hours", "Xử lý: trung vị (giờ)"),
    ("p90_work_hours", "Xử lý: phân vị 90 (giờ)"),
    ("over_budget", "Số lượt vượt thời gian quy định"),
    ("late_tasks", "Số lượt quá hạn"),
    ("late_share", "Tỷ lệ quá hạn"),
    ("late_dossiers", "Số hồ sơ quá hạn có bước này quá hạn"),
)
INDICATOR_COLUMNS = (
    ("received", "Số hồ sơ tiếp nhận"),
    ("received_online", "Tiếp nhận trực tuyến"),
    ("online_share", "Tỷ lệ tiếp nhận trực tuyến"),
    ("resolved", "Số hồ sơ đã giải quyết"),
    ("resolved_in_time", "Giải quyết trước hạn, đúng hạn"),
    ("on_time_rate", "Tỷ lệ đúng hạn"),
    ("procedures", "Số thủ tục"),
    ("online_full_share", "Tỷ lệ DVCTT toàn trình"),
    ("online_partial_share", "Tỷ lệ DVCTT một phần"),
    ("ratings", "Số lượt đánh giá"),
    ("rating_mean", "Điểm hài lòng trung bình"),
    ("rating_good_share", "Tỷ lệ đánh giá 4–5"),
)
MONTH_COLUMNS = (("month", "Tháng"), ("received", "Tiếp nhận"), ("resolved", "Đã giải quyết"))
ON_TIME_COLUMNS = (
    ("code", "Mã đơn vị"),
    ("name", "Đơn vị"),
    ("resolved", "Đã giải quyết"),
    ("on_time_rate", "Tỷ lệ đúng hạn"),
)
SLOWEST_COLUMNS = (
    ("code", "Mã thủ tục"),
    ("name", "Thủ tục"),
    ("resolved", "Đã giải quyết"),
    ("committed_hours", "Thời hạn cam kết (giờ)"),
    ("median_hours", "Trung vị (giờ)"),
    ("p90_hours", "Phân vị 90 (giờ)"),
    ("median_vs_committed", "Trung vị / cam kết"),
)
