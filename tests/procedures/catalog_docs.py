"""Small catalog documents for the catalog tests."""

import copy

A1, A2, A3 = "000.00.31.H57", "000.00.32.H57", "000.00.33.H57"

BASE = {
    "agencies": [
        {"code": A1, "name": "Sở Tư pháp", "level": "province"},
        {"code": A2, "name": "Sở Xây dựng", "level": "province"},
        {"code": A3, "name": "Sở Nông nghiệp và Môi trường", "level": "province"},
    ],
    "fields": [{"code": "TP", "name": "Tư pháp"}],
    "procedures": [
        {
            "code": "1.001234",
            "name": "Thủ tục có lấy ý kiến",
            "field": "TP",
            "level": "province",
            "receiving_agency": A1,
            "legal_duration": {"value": 10, "unit": "working_days"},
            "committed_duration": {"value": 7, "unit": "working_days"},
            "fee": 200000,
            "online_level": "partial",
            "supplement_mode": "pause",
            "legal_basis": "Luật X",
            "documents": [{"name": "Tờ khai", "kind": "original", "count": 1}],
            "steps": [
                {"name": "Thẩm định", "agency": A1, "role": "specialist", "budget_hours": 32},
                {
                    "name": "Ý kiến XD",
                    "agency": A2,
                    "role": "specialist",
                    "budget_hours": 8,
                    "parallel_group": "c",
                },
                {
                    "name": "Ý kiến MT",
                    "agency": A3,
                    "role": "specialist",
                    "budget_hours": 12,
                    "parallel_group": "c",
                },
                {"name": "Phê duyệt", "agency": A1, "role": "head", "budget_hours": 8},
            ],
        },
        {
            "code": "2.000889",
            "name": "Thủ tục một bước",
            "field": "TP",
            "level": "commune",
            "receiving_agency": A1,
            "legal_duration": {"value": 1, "unit": "working_days"},
            "committed_duration": {"value": 4, "unit": "working_hours"},
            "fee": 0,
            "online_level": "full",
            "supplement_mode": "restart",
            "legal_basis": "",
            "documents": [],
            "steps": [{"name": "Xử lý", "agency": A1, "role": "specialist", "budget_hours": 4}],
        },
    ],
}


def doc() -> dict:
    return copy.deepcopy(BASE)
