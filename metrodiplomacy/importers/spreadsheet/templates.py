"""Templates to fill in: a CSV file per entity and one workbook with a sheet per entity.

Each starts with the header row, then a help row whose first cell starts with "# " (the importer skips it)
saying for every column its type, whether it is required, the allowed values and what a reference points
to. The workbook adds a README sheet with the same help as a table, and drop-down lists on the columns
with allowed values (from a hidden "choices" sheet, so long lists fit).
"""

from __future__ import annotations

import io

from django.utils.translation import gettext as _

from metrodiplomacy.exports import csv_text, xlsx_row
from metrodiplomacy.importers.datapackage.spec import Column, Table, tables

from .sources import MAX_ROWS, column_letter

XLSX_NAME = "metrodiplomacy-template.xlsx"


def describe(column: Column) -> str:
    """What a column holds, in words: type, allowed values, reference target."""
    kinds = {
        "id": _("identifier: lower-case letters, digits and single hyphens (e.g. paris-city-hall)"),
        "string": _("text"),
        "text": _("text"),
        "slug": _("code: lower-case letters, digits and underscores"),
        "integer": _("whole number, 0 or more"),
        "year": _("year (1000 to 2200)"),
        "number": _("number, with '.' for decimals and no thousands separator"),
        "boolean": _("true or false"),
        "date": _("date as YYYY-MM-DD"),
        "country": _("ISO 3166-1 two-letter country code (e.g. ES)"),
        "currency": _("ISO 4217 currency code (e.g. EUR)"),
        "roles": _("network roles separated by ';', each optionally with @year (e.g. member;presidency@2019)"),
        "lines": _("a line or a range of lines (e.g. 12-18)"),
        "record": _("the cited record as table/id (e.g. agreements/paris-rome)"),
    }
    if column.kind == "enum":
        text = _("one of: %(values)s") % {"values": ", ".join(column.choices)}
    elif column.kind == "ref":
        text = _("id of a row of %(target)s (in this file or already in the database)") % {"target": column.target}
        if column.target == "policy_areas":
            text = _("code of a policy area")
    elif column.kind == "refs":
        text = _("ids of rows of %(target)s, separated by ';'") % {"target": column.target}
        if column.target == "policy_areas":
            text = _("codes of policy areas, separated by ';'")
    else:
        text = kinds[column.kind]
    return f"{_('required') if column.required else _('optional')}; {text}"


def help_row(t: Table) -> list[str]:
    """The second row of a template: "# " and the help of each column under its header."""
    cells = [describe(column) for column in t.all_columns]
    cells[0] = "# " + cells[0]
    return cells


def header(t: Table) -> list[str]:
    return [column.name for column in t.all_columns]


def csv_template(t: Table) -> str:
    """The CSV template of one entity: header and help row."""
    return csv_text(header(t), [help_row(t)])


def xlsx_template(only: list[Table] | None = None) -> bytes:
    """The workbook template: README, then one sheet per entity with header, help row and drop-down lists."""
    from openpyxl import Workbook
    from openpyxl.comments import Comment
    from openpyxl.styles import Font
    from openpyxl.worksheet.datavalidation import DataValidation

    chosen = only or list(tables())
    workbook = Workbook()
    readme = workbook.active
    readme.title = "README"
    readme.append([_("Metrodiplomacy import template")])
    readme["A1"].font = Font(bold=True, size=14)
    for line in (
        _("Fill in the sheets of the entities you have; delete or leave empty the others."),
        _("Row 1 of each sheet is the header; row 2, starting with '# ', is help and is never imported."),
        _("Rows refer to each other by id: a row of any sheet, or a record already in the database."),
        _("An import is all or nothing: a file with any problem changes nothing, and every problem is listed."),
        _("At most %(limit)s data rows in a file.") % {"limit": f"{MAX_ROWS:,}"},
    ):
        readme.append([line])
    readme.append([])
    readme.append([_("sheet"), _("column"), _("required"), _("what it holds")])
    for cell in readme[readme.max_row]:
        cell.font = Font(bold=True)
    for t in chosen:
        for column in t.all_columns:
            readme.append(
                xlsx_row(readme, [t.name, column.name, _("yes") if column.required else "", describe(column)])
            )
    readme.column_dimensions["A"].width = 24
    readme.column_dimensions["B"].width = 20
    readme.column_dimensions["D"].width = 100

    choices = workbook.create_sheet("choices")
    choices.sheet_state = "hidden"
    lists: dict[tuple[str, ...], str] = {}
    for t in chosen:
        for column in t.all_columns:
            if column.kind == "enum" and column.choices not in lists:
                letter = column_letter(len(lists))
                for row, value in enumerate(column.choices, start=1):
                    choices[f"{letter}{row}"] = value
                lists[column.choices] = f"choices!${letter}$1:${letter}${len(column.choices)}"

    bold, help_font = Font(bold=True), Font(italic=True, color="666666")
    for t in chosen:
        sheet = workbook.create_sheet(t.name)
        sheet.append(xlsx_row(sheet, header(t)))
        sheet.append(xlsx_row(sheet, help_row(t)))
        for index, column in enumerate(t.all_columns):
            letter = column_letter(index)
            sheet[f"{letter}1"].font = bold
            sheet[f"{letter}1"].comment = Comment(describe(column), "Metrodiplomacy")
            sheet[f"{letter}2"].font = help_font
            sheet.column_dimensions[letter].width = max(14, len(column.name) + 4)
            if column.kind == "enum":
                validation = DataValidation(type="list", formula1=f"={lists[column.choices]}", allow_blank=True)
                validation.error = _("Choose one of the allowed values.")
                validation.showErrorMessage = True
                sheet.add_data_validation(validation)
                validation.add(f"{letter}3:{letter}{MAX_ROWS + 2}")
        sheet.freeze_panes = "A3"
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()
