"""Template helpers of the portal: table cells as the tables print them, a result table as HTML."""

from decimal import Decimal

from django import template
from django.utils.formats import number_format
from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext as _

from metrodiplomacy.analysis.tables import Table, format_cell, is_number

register = template.Library()


@register.filter
def cell(value) -> str:
    """A cell as CSV and the terminal show it: empty for unknown, no trailing zeros."""
    return format_cell(value)


@register.filter
def address(url: str) -> str:
    """A web address shown as text without its scheme: the portal's pages link to no other host."""
    for scheme in ("https://", "http://"):
        if url.startswith(scheme):
            return url[len(scheme) :].rstrip("/")
    return url


@register.filter
def dictitem(mapping: dict, key: str):
    """A dictionary's item whose key has spaces (the template language cannot write it with a dot)."""
    return mapping[key]


def shown(value) -> str:
    """A cell as the reader's language writes it: its decimal mark, its yes and no; the rest as the CSV has it."""
    if isinstance(value, bool):
        return _("yes") if value else _("no")
    if isinstance(value, Decimal | float):
        # Through format_cell first: the same digits as the CSV (no trailing zeros), only the marks change.
        return number_format(Decimal(format_cell(value)))
    return format_cell(value)


@register.simple_tag
def data_table(table: Table, caption: str = "") -> SafeString:
    """A result table as an accessible HTML table: caption, column and row headers, numbers right, notes.

    Built in Python rather than with template loops: the city page holds a few thousand cells, and the
    template engine would spend most of the page's time on them.
    """
    numeric = [
        bool(table.rows) and all(is_number(row[i]) or row[i] is None for row in table.rows)
        for i in range(len(table.columns))
    ]
    parts = [
        "<div class='table-wrap'><table class='data'><caption>",
        escape(caption or table.title),
        "</caption><thead><tr>",
        *(
            f"<th scope='col'{' class=num' if number else ''}>{escape(name)}</th>"
            for name, number in zip(table.columns, numeric, strict=True)
        ),
        "</tr></thead><tbody>",
    ]
    for row in table.rows:
        parts.append("<tr>")
        for index, value in enumerate(row):
            # A web address in the data is shown as text: the portal's pages link to no other host.
            text = escape(address(shown(value)))
            if index == 0:
                parts.append(f"<th scope='row'>{text}</th>")
            else:
                parts.append(f"<td class='num'>{text}</td>" if numeric[index] else f"<td>{text}</td>")
        parts.append("</tr>")
    if not table.rows:
        nothing = escape(_("Nothing recorded."))
        parts.append(f"<tr><td colspan='{len(table.columns)}'>{nothing}</td></tr>")
    parts.append("</tbody></table>")
    if table.notes:
        parts += ["<ul class='notes'>", *(f"<li>{escape(note)}</li>" for note in table.notes), "</ul>"]
    parts.append("</div>")
    return mark_safe("".join(parts))  # noqa: S308 - every value above is escaped
