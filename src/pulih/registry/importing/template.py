"""The import template: an XLSX with the Indonesian headers, an example row and a
"Petunjuk" (instructions) sheet.

Code columns (NIK, phone numbers, NIB, village code) are formatted as Text, so that
Excel keeps a NIK's sixteen digits instead of turning it into 1,90101E+15.
"""

import io

from django.utils.translation import gettext as _
from openpyxl import Workbook
from openpyxl.styles import Alignment, Font
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.datavalidation import DataValidation

from .columns import COLUMNS
from .messages import size_text
from .parsers import STATUS_WORDS
from .reading import max_bytes, max_rows

TEXT_FORMAT = "@"
# Rows that get the drop-down lists.
FORMATTED_ROWS = 10_000
CHOICES = {
    "sex": "L,P",
    "kbli_section": ",".join(chr(letter) for letter in range(ord("A"), ord("U") + 1)),
    "impact_status": ",".join(words[0] for words in STATUS_WORDS.values()),
}


def template_workbook() -> bytes:
    """The template as XLSX bytes; the instructions are in the active language."""
    workbook = Workbook()
    data = workbook.active
    data.title = "Data"
    _data_sheet(data)
    _instructions_sheet(workbook.create_sheet("Petunjuk"))
    out = io.BytesIO()
    workbook.save(out)
    return out.getvalue()


def _data_sheet(sheet):
    bold = Font(bold=True)
    for index, column in enumerate(COLUMNS, start=1):
        letter = get_column_letter(index)
        header = sheet.cell(row=1, column=index, value=column.header)
        header.font = bold
        header.alignment = Alignment(wrap_text=True, vertical="top")
        sheet.column_dimensions[letter].width = max(column.width, 12)
        example = sheet.cell(row=2, column=index, value=column.example or None)
        example.font = Font(italic=True, color="666666")
        if column.text or column.key in {"birth_date", "report_date"}:
            # Text columns: a typed NIK stays sixteen digits, a typed date stays DD-MM-YYYY.
            example.number_format = TEXT_FORMAT
            sheet.column_dimensions[letter].number_format = TEXT_FORMAT
        if column.key in CHOICES:
            choice = DataValidation(type="list", formula1=f'"{CHOICES[column.key]}"')
            choice.add(f"{letter}2:{letter}{FORMATTED_ROWS + 1}")
            sheet.add_data_validation(choice)
    sheet.freeze_panes = "A2"
    sheet.row_dimensions[1].height = 45


def _instructions_sheet(sheet):
    bold = Font(bold=True)
    wrap = Alignment(wrap_text=True, vertical="top")
    lines = [
        [_("How to fill in this template")],
        [_("One row is one business, its owner and one report of how Covid-19 hit it.")],
        [_("Row 2 is an example: overwrite or delete it; it is never imported.")],
        [
            _(
                "Keep the headers of the Data sheet. Columns may be moved or left out, except "
                "the required ones; other columns are ignored."
            )
        ],
        [
            _(
                "Village: fill in the Kemendagri village code, or the village name (with the "
                "district when two villages share a name). Look codes up on the Regions page "
                "of pulih."
            )
        ],
        [
            _("Limits: at most %(rows)s rows and %(size)s per file.")
            % {"rows": f"{max_rows():,}".replace(",", "."), "size": size_text(max_bytes())}
        ],
        [_("Accepted files: .xlsx, .xls, .ods and .csv (comma, semicolon or tab).")],
        [],
        [_("Column"), _("Required"), _("What to write"), _("Allowed values"), _("Example")],
    ]
    for column in COLUMNS:
        required = _("Yes") if column.required else ""
        if column.key in {"village_code", "village_name"}:
            required = _("This or the other village column")
        lines.append(
            [
                column.header,
                required,
                str(column.help),
                column.allowed,
                str(column.example) if column.example != "" else "",
            ]
        )
    for line in lines:
        sheet.append(line)
    sheet["A1"].font = Font(bold=True, size=14)
    header_row = len(lines) - len(COLUMNS)
    for cell in sheet[header_row]:
        cell.font = bold
    for row in sheet.iter_rows(min_row=header_row + 1):
        for cell in row:
            cell.alignment = wrap
    for letter, width in zip("ABCDE", (34, 18, 60, 40, 28), strict=True):
        sheet.column_dimensions[letter].width = width
