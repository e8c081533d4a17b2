#!/usr/bin/env python3
"""Write docs/examples/csi-register-v3.xlsx: a CSI register kept the ITIL v3 way.

The workbook the "Bringing your register in" page offers for download: the columns of
the classic ITIL v3 CSI register template, filled in the way people fill them in
(real Excel dates next to dates typed as text, "Complete" and "On hold", sizes and
timescales the register has no key for). `tests/test_import_docs.py` checks that the
shipped file is what this script writes and that it imports into the sample register.

    .venv/bin/python scripts/example_workbook.py
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from openpyxl import Workbook
from openpyxl.styles import Alignment, Font

from csi_macros.readings.spreadsheet import deterministic_zip

TARGET = Path(__file__).resolve().parent.parent / "docs" / "examples" / "csi-register-v3.xlsx"

HEADERS = ("ID", "Date raised", "Raised by", "Description", "Priority", "Size", "Timescale",
           "Owner", "Expected benefits", "KPI metrics", "Justification", "Status", "Date due",
           "Date complete", "Outcome")

ROWS = (
    (1, dt.date(2026, 1, 12), "Service desk team leads",
     "Password resets through a self-service portal\n\nAbout 900 calls a month are password "
     "resets; each takes the desk 6 minutes.",
     "High", "Medium", "Short term", "Sian Morgan",
     "900 fewer calls a month; staff back to work in 2 minutes instead of 20.",
     "Calls per month; first-contact resolution", "Quick win with a clear saving",
     "In progress", dt.date(2027, 3, 31), None, None),
    (2, "03/02/2026", "Ward managers",
     "Text P1 outage alerts to ward managers' phones",
     "Medium", "Small", "Short term", None, None, None, "Raised at the ward managers' forum",
     "Identified", None, None, None),
    (3, dt.date(2026, 2, 20), "Change manager",
     "Publish the weekly change calendar on the intranet",
     "Low", "Small", "Short term", "Dev Patel", "Fewer clashes between changes.",
     "Change success rate", None, "Complete", "30/06/2026", dt.date(2026, 6, 26), None),
    (4, "15.03.2026", "Major incident review",
     "Agree a single major incident bridge number",
     "Critical", "Small", "Short term", "Gareth Lloyd",
     "Engineers join a P1 within 5 minutes.", "P1 mean time to restore", None,
     "Closed complete", None, dt.date(2026, 5, 15),
     "One bridge number since May; joining a P1 now takes 3 minutes on average."),
    (5, dt.date(2026, 4, 2), "Finance", "Charge back printing costs to departments",
     "Planning", "Large", "Long term", "Owen Hughes", None, None,
     "Waiting for the new finance system", "On hold", None, None, None),
    (6, dt.date(2026, 4, 9), "Service desk",
     "Chatbot on the intranet for common questions", "Moderate", "Large", "Medium term",
     "Priya Venkat", None, None, None, "Withdrawn", None, dt.date(2026, 7, 1),
     "Replaced by the self-service portal (row 1), which answers the same questions."),
)


def build() -> bytes:
    """The workbook's bytes; the same on every run."""
    workbook = Workbook()
    sheet = workbook.active
    sheet.title = "CSI register"
    sheet.append(HEADERS)
    for cell in sheet[1]:
        cell.font = Font(bold=True)
    for row in ROWS:
        sheet.append(row)
    for row in sheet.iter_rows(min_row=2):
        for cell in row:
            if isinstance(cell.value, dt.date):
                cell.number_format = "dd/mm/yyyy"
            cell.alignment = Alignment(vertical="top", wrap_text=True)
    for letter, width in zip("ABCDEFGHIJKLMNO", (5, 12, 22, 50, 10, 8, 12, 14, 40, 30, 30, 14,
                                                 12, 14, 40)):
        sheet.column_dimensions[letter].width = width
    sheet.freeze_panes = "A2"
    stamp = dt.datetime(2026, 11, 1)
    workbook.properties.created = workbook.properties.modified = stamp
    workbook.properties.creator = workbook.properties.lastModifiedBy = "csi-register"
    return deterministic_zip(workbook)


if __name__ == "__main__":
    TARGET.parent.mkdir(parents=True, exist_ok=True)
    TARGET.write_bytes(build())
    print(TARGET.relative_to(Path.cwd()) if TARGET.is_relative_to(Path.cwd()) else TARGET)
