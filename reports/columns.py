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
    Column("received_online", "4", "Trong kỳ: trực tuyến", RECEIVED),
    Column("received_direct", "5", "Trong kỳ: trực tiếp, dịch vụ bưu chính", RECEIVED),
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
