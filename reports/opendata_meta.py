# ruff: noqa: E501 - a table of bilingual sentences, one entry per line
"""What the open datasets are and what each column means, in Vietnamese and English. Pure data.

``DATASETS`` feeds the DCAT catalogue (titles, descriptions); ``FIELDS`` is the data dictionary
(itself published as the ``dictionary`` dataset and linked from every dataset as ``describedBy``).
"""

LICENSE = "https://creativecommons.org/licenses/by/4.0/"

DATASETS = {
    "agency-monthly": {
        "vi": ("Kết quả giải quyết TTHC theo cơ quan, theo tháng", "Tiếp nhận, giải quyết (trước hạn, đúng hạn, quá hạn), đang giải quyết, quá hạn, thời gian xử lý và đánh giá theo cơ quan tiếp nhận và tháng."),
        "en": ("Dossier results per agency and month", "Received, resolved (early, on time, late), in progress, overdue, processing time and ratings per receiving agency and month."),
    },
    "field-monthly": {
        "vi": ("Kết quả giải quyết TTHC theo lĩnh vực, theo tháng", "Các chỉ tiêu như trên, theo lĩnh vực thủ tục và tháng."),
        "en": ("Dossier results per field and month", "The same figures per procedure field and month."),
    },
    "procedure-monthly": {
        "vi": ("Kết quả giải quyết TTHC theo thủ tục, theo tháng", "Các chỉ tiêu như trên, theo thủ tục hành chính và tháng."),
        "en": ("Dossier results per procedure and month", "The same figures per administrative procedure and month."),
    },
    "procedures": {
        "vi": ("Danh mục thủ tục hành chính", "Thủ tục đang áp dụng với thời hạn theo quy định và thời hạn cam kết của phiên bản hiện hành."),
        "en": ("Procedure catalogue", "Active procedures with the legal and committed durations of their current version."),
    },
    "ii06a-quarterly": {
        "vi": ("Biểu II.06a theo quý", "Tình hình, kết quả giải quyết TTHC (Biểu II.06a, Thông tư 03/2025) theo quý và cơ quan tiếp nhận."),
        "en": ("Form II.06a per quarter", "Form II.06a (Circular 03/2025): dossiers received, resolved and in progress per quarter and receiving agency."),
    },
    "dictionary": {
        "vi": ("Từ điển dữ liệu", "Định nghĩa từng cột của các tập dữ liệu, bằng tiếng Việt và tiếng Anh."),
        "en": ("Data dictionary", "The definition of every column of the datasets, in Vietnamese and English."),
    },
}  # fmt: skip

_SMALL = " Để trống nếu nhỏ hơn ngưỡng công bố. / Empty when below the publication threshold."

FIELDS = {
    "month": ("string", "Tháng (YYYY-MM, giờ Việt Nam).", "Month (YYYY-MM, Vietnam time)."),
    "quarter": ("string", "Quý (YYYY-Qn).", "Quarter (YYYY-Qn)."),
    "code": ("string", "Mã cơ quan, lĩnh vực hoặc thủ tục.", "Code of the agency, field or procedure."),
    "name": ("string", "Tên cơ quan, lĩnh vực hoặc thủ tục.", "Name of the agency, field or procedure."),
    "received": ("integer", "Hồ sơ tiếp nhận mới trong kỳ (không gồm hồ sơ từ chối tiếp nhận).", "New dossiers received in the period (refusals at intake excluded)."),
    "resolved_total": ("integer", "Hồ sơ đã có kết quả (chấp thuận hoặc từ chối giải quyết) trong kỳ.", "Dossiers resolved (approved or refused) in the period."),
    "resolved_early": ("integer", "Đã giải quyết trước hạn.", "Resolved before the due date."),
    "resolved_on_time": ("integer", "Đã giải quyết đúng hạn (trong ngày hẹn).", "Resolved on the due date."),
    "resolved_late": ("integer", "Đã giải quyết quá hạn.", "Resolved after the due date."),
    "in_progress_total": ("integer", "Đang giải quyết vào cuối kỳ.", "In progress at the end of the period."),
    "in_progress_overdue": ("integer", "Đang giải quyết và đã quá hạn vào cuối kỳ (hồ sơ chờ bổ sung tính theo lúc tạm dừng).", "In progress and past due at the end of the period (a dossier waiting for a supplement is judged when its clock stopped)."),
    "on_time_rate": ("number", "Tỷ lệ (0–1) giải quyết trước hạn và đúng hạn trên tổng đã giải quyết.", "Share (0–1) resolved early or on time among those resolved."),
    "mean_days": ("number", "Thời gian xử lý trung bình, ngày làm việc (không tính thời gian tạm dừng).", "Mean processing time, working days (pauses excluded)."),
    "p90_days": ("number", "Phân vị 90 của thời gian xử lý, ngày làm việc.", "90th percentile of the processing time, working days."),
    "ratings": ("integer", "Số lượt đánh giá mức độ hài lòng trong kỳ.", "Satisfaction ratings given in the period."),
    "rating_mean": ("number", "Điểm hài lòng trung bình (1–5).", "Mean satisfaction score (1–5)."),
    "field_code": ("string", "Mã lĩnh vực.", "Field code."),
    "field_name": ("string", "Tên lĩnh vực.", "Field name."),
    "agency_code": ("string", "Mã cơ quan tiếp nhận.", "Receiving agency code."),
    "agency_name": ("string", "Tên cơ quan tiếp nhận.", "Receiving agency name."),
    "level": ("string", "Cấp thực hiện (province, district, commune…).", "Level of government."),
    "version": ("integer", "Số phiên bản hiện hành của thủ tục.", "Current version number of the procedure."),
    "legal_duration_value": ("integer", "Thời hạn giải quyết theo quy định.", "Legal processing duration."),
    "legal_duration_unit": ("string", "Đơn vị của thời hạn theo quy định (working_days, working_hours, calendar_days).", "Unit of the legal duration."),
    "committed_duration_value": ("integer", "Thời hạn cam kết (sau cắt giảm).", "Committed processing duration (after cuts)."),
    "committed_duration_unit": ("string", "Đơn vị của thời hạn cam kết.", "Unit of the committed duration."),
    "online_level": ("string", "Mức dịch vụ công trực tuyến (full, partial, none).", "Online service level."),
    "fee": ("integer", "Lệ phí (đồng).", "Fee (VND)."),
    "received_total": ("integer", "Biểu II.06a cột 3: tổng số nhận giải quyết = 4 + 5 + 6.", "Form II.06a col. 3: total = 4 + 5 + 6."),
    "received_online": ("integer", "Cột 4: nhận trực tuyến trong kỳ.", "Col. 4: received online in the period."),
    "received_direct": ("integer", "Cột 5: nhận trực tiếp và qua bưu chính.", "Col. 5: received in person or by post."),
    "carried_over": ("integer", "Cột 6: từ kỳ trước chuyển qua.", "Col. 6: carried over from the previous period."),
    "in_progress_within_due": ("integer", "Cột 12: đang giải quyết, trong hạn.", "Col. 12: in progress, within due."),
    "received_in_person": ("integer", "Nhận trực tiếp.", "Received in person."),
    "received_postal": ("integer", "Nhận qua bưu chính.", "Received by post."),
    "rejected": ("integer", "Từ chối tiếp nhận.", "Refused at intake."),
    "withdrawn": ("integer", "Rút hồ sơ, dừng giải quyết.", "Withdrawn."),
    "resolved_refused": ("integer", "Đã giải quyết: từ chối giải quyết.", "Resolved by a refusal."),
    "waiting_supplement": ("integer", "Đang chờ bổ sung hồ sơ.", "Waiting for a supplement."),
    "late_with_apology": ("integer", "Quá hạn có văn bản xin lỗi.", "Late with an apology letter."),
    "late_without_apology": ("integer", "Quá hạn không có văn bản xin lỗi.", "Late without an apology letter."),
    "dataset": ("string", "Tên tập dữ liệu.", "Dataset identifier."),
    "column": ("string", "Tên cột.", "Column name."),
    "type": ("string", "Kiểu dữ liệu.", "Data type."),
    "definition_vi": ("string", "Định nghĩa tiếng Việt.", "Definition in Vietnamese."),
    "definition_en": ("string", "Định nghĩa tiếng Anh.", "Definition in English."),
}  # fmt: skip

COUNT_TYPES = {"integer", "number"}
DICTIONARY_COLUMNS = ("dataset", "column", "type", "definition_vi", "definition_en")


def dictionary_rows(columns_of: dict[str, tuple[str, ...]]) -> list[dict]:
    """One row per dataset column; counts and derived figures say they may be suppressed."""
    rows = []
    for dataset, columns in columns_of.items():
        for column in columns:
            kind, vi, en = FIELDS[column]
            small = kind in COUNT_TYPES and column not in ("version", "fee") and dataset != "procedures"
            rows.append(
                {
                    "dataset": dataset,
                    "column": column,
                    "type": kind,
                    "definition_vi": vi + (_SMALL.split(" / ")[0] if small else ""),
                    "definition_en": en + (" " + _SMALL.split(" / ")[1] if small else ""),
                }
            )
    return rows
