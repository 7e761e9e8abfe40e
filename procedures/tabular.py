"""Reading catalog files: JSON (the reference form), CSV and XLSX (one row per step).

The tabular layout (README, "Procedure catalog"): one row per processing step; the procedure's
columns are filled on its first row and may be repeated (identically) or left blank on its next
rows; ``documents`` holds all required documents in one cell, ``name|kind|count`` separated by
``;`` or line breaks. A workbook may add sheets ``agencies`` and ``fields``; a CSV file holds
procedures only, so their agencies and fields must already exist.

Readers turn a file into the reference document plus a map from document paths to rows, so a
problem found by the service can be reported as "dòng 7 (procedures[2].steps[0].agency): …".
"""

import csv
import io
import json
import re
from dataclasses import dataclass, field
from pathlib import Path

from procedures.services import Problem

PROCEDURE_COLUMNS = [
    "code",
    "name",
    "field",
    "level",
    "receiving_agency",
    "legal_value",
    "legal_unit",
    "committed_value",
    "committed_unit",
    "fee",
    "online_level",
    "supplement_mode",
    "legal_basis",
    "documents",
    "active",
]
STEP_COLUMNS = ["step_name", "step_agency", "step_role", "step_budget_hours", "step_parallel_group"]
REQUIRED_COLUMNS = ["code", "step_name"]
AGENCY_COLUMNS = ["code", "name", "level", "parent", "active"]
FIELD_COLUMNS = ["code", "name"]
INTEGER_COLUMNS = {"legal_value", "committed_value", "fee", "step_budget_hours"}
TRUE_WORDS = {"1", "true", "yes", "x", "có", "co"}
FALSE_WORDS = {"0", "false", "no", "không", "khong"}


@dataclass
class SourceDocument:
    """A document read from a file, where each part of it came from, and problems found reading it."""

    data: dict
    rows: dict[str, str] = field(default_factory=dict)
    problems: list[Problem] = field(default_factory=list)

    def where(self, path: str) -> str:
        """The row label of the longest path prefix that has one (``procedures[2].steps[0]``)."""
        candidate = path
        while candidate:
            if candidate in self.rows:
                return self.rows[candidate]
            cut = max(candidate.rfind("."), candidate.rfind("["))
            candidate = candidate[:cut] if cut > 0 else ""
        return ""

    def describe(self, problem: Problem) -> str:
        """One line per problem, prefixed with its row when the file is tabular."""
        label = self.where(problem.path)
        return f"{label} ({problem.path}): {problem.message}" if label else str(problem)


def read_catalog_file(path: str | Path) -> SourceDocument:
    path = Path(path)
    suffix = path.suffix.lower()
    if suffix == ".json":
        try:
            data = json.loads(path.read_text(encoding="utf-8"))
        except (UnicodeDecodeError, json.JSONDecodeError) as exc:
            return SourceDocument({}, problems=[Problem("", f"{path.name}: JSON không hợp lệ: {exc}")])
        return SourceDocument(data)
    if suffix == ".csv":
        text = path.read_text(encoding="utf-8-sig")
        rows = list(csv.reader(io.StringIO(text)))
        return read_tables(procedures=rows)
    if suffix == ".xlsx":
        return _read_workbook(path)
    return SourceDocument(
        {}, problems=[Problem("", f"không đọc được tệp {suffix or path.name}: chỉ nhận .json, .csv, .xlsx")]
    )


def _read_workbook(path: Path) -> SourceDocument:
    from openpyxl import load_workbook

    workbook = load_workbook(path, read_only=True, data_only=True)
    sheets = {name.strip().lower(): workbook[name] for name in workbook.sheetnames}
    procedures = sheets.get("procedures") or workbook[workbook.sheetnames[0]]

    def values(sheet) -> list[list]:
        return [list(row) for row in sheet.iter_rows(values_only=True)]

    document = read_tables(
        procedures=values(procedures),
        agencies=values(sheets["agencies"]) if "agencies" in sheets else None,
        fields=values(sheets["fields"]) if "fields" in sheets else None,
        label=lambda n, sheet="procedures": f"trang {sheet}, dòng {n}",
    )
    workbook.close()
    return document


def _cell(value) -> str | int:
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        return int(value)
    if isinstance(value, int | float):
        return value
    return str(value).strip()


def _header(rows: list[list], expected: list[str], sheet: str, problems: list[Problem]) -> list[str] | None:
    if not rows:
        return None
    header = [str(_cell(h)).lower() for h in rows[0]]
    unknown = [h for h in header if h and h not in expected]
    if unknown:
        problems.append(Problem(sheet, f"cột không được hỗ trợ: {', '.join(unknown)}"))
    return header


def _records(rows: list[list], header: list[str]) -> list[tuple[int, dict]]:
    """(row number, {column: value}) for each non-empty row after the header (row 1)."""
    records = []
    for number, row in enumerate(rows[1:], start=2):
        values = {h: _cell(v) for h, v in zip(header, row, strict=False) if h}
        if any(v != "" for v in values.values()):
            records.append((number, values))
    return records


def _integer(value):
    if isinstance(value, str) and re.fullmatch(r"\d+", value):
        return int(value)
    return value


def _boolean(value):
    if value == "":
        return True
    text = str(value).strip().lower()
    if text in TRUE_WORDS:
        return True
    if text in FALSE_WORDS:
        return False
    return value


def parse_documents(cell: str) -> list[dict]:
    """``Tờ khai|original|1; Bản sao CCCD|copy`` → documents; kind and count are optional."""
    documents = []
    for chunk in re.split(r"[;\n]", str(cell)):
        if not chunk.strip():
            continue
        parts = [p.strip() for p in chunk.split("|")]
        document: dict = {"name": parts[0]}
        if len(parts) > 1 and parts[1]:
            document["kind"] = parts[1]
        if len(parts) > 2 and parts[2]:
            document["count"] = _integer(parts[2])
        documents.append(document)
    return documents


def read_tables(*, procedures: list[list], agencies=None, fields=None, label=None) -> SourceDocument:
    """Build the reference document from tables of cells (first row: column names)."""
    label = label or (lambda n, sheet="procedures": f"dòng {n}")
    problems: list[Problem] = []
    document = SourceDocument({"agencies": [], "fields": [], "procedures": []}, problems=problems)

    for sheet, rows, columns in (("agencies", agencies, AGENCY_COLUMNS), ("fields", fields, FIELD_COLUMNS)):
        header = _header(rows or [], columns, sheet, problems)
        if header is None:
            continue
        for number, record in _records(rows, header):
            path = f"{sheet}[{len(document.data[sheet])}]"
            document.rows[path] = label(number, sheet)
            item = {k: v for k, v in record.items() if v != "" or k == "code"}
            if "active" in record:
                item["active"] = _boolean(record["active"])
            document.data[sheet].append(item)

    header = _header(procedures, PROCEDURE_COLUMNS + STEP_COLUMNS, "procedures", problems)
    if header is None:
        problems.append(Problem("procedures", "tệp không có dòng tiêu đề"))
        return document
    missing = [c for c in REQUIRED_COLUMNS if c not in header]
    if missing:
        problems.append(Problem("procedures", f"thiếu cột: {', '.join(missing)}"))
        return document

    current: dict | None = None
    first_row: dict = {}
    for number, record in _records(procedures, header):
        code = record.get("code", "")
        if current is None or (code != "" and code != current["code"]):
            current = _procedure_from(record)
            first_row = {"number": number, **record}
            path = f"procedures[{len(document.data['procedures'])}]"
            document.rows[path] = label(number)
            document.data["procedures"].append(current)
        else:
            path = f"procedures[{len(document.data['procedures']) - 1}]"
            for column in PROCEDURE_COLUMNS:
                value = record.get(column, "")
                if value != "" and value != first_row.get(column, ""):
                    problems.append(
                        Problem(
                            f"{path}.{column}",
                            f"{label(number)} ghi {value!r}, khác {label(first_row['number'])} "
                            f"ghi {first_row.get(column, '')!r} của cùng thủ tục",
                        )
                    )
        step = {
            "name": record.get("step_name", ""),
            "agency": record.get("step_agency", ""),
            "budget_hours": _integer(record.get("step_budget_hours", "")),
        }
        if record.get("step_role", ""):
            step["role"] = record["step_role"]
        if record.get("step_parallel_group", ""):
            step["parallel_group"] = str(record["step_parallel_group"])
        document.rows[f"{path}.steps[{len(current['steps'])}]"] = label(number)
        current["steps"].append(step)
    return document


def _procedure_from(record: dict) -> dict:
    procedure: dict = {
        "code": record.get("code", ""),
        "name": record.get("name", ""),
        "field": record.get("field", ""),
        "level": record.get("level", ""),
        "receiving_agency": record.get("receiving_agency", ""),
        "legal_duration": {
            "value": _integer(record.get("legal_value", "")),
            "unit": record.get("legal_unit", ""),
        },
        "committed_duration": {
            "value": _integer(record.get("committed_value", "")),
            "unit": record.get("committed_unit", ""),
        },
        "legal_basis": record.get("legal_basis", ""),
        "documents": parse_documents(record.get("documents", "")),
        "steps": [],
    }
    for column in ("fee",):
        if record.get(column, "") != "":
            procedure[column] = _integer(record[column])
    for column in ("online_level", "supplement_mode"):
        if record.get(column, ""):
            procedure[column] = record[column]
    if "active" in record:
        procedure["active"] = _boolean(record["active"])
    return procedure
