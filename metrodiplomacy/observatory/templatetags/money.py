"""Amounts of money written the way the reader's language writes them: `{{ amount|money:"EUR" }}`.

Django's own localisation formats numbers but knows no currencies; Babel carries CLDR's currency
patterns (symbol before or after, grouping, decimal mark) for every language the portal offers.
"""

from __future__ import annotations

from decimal import Decimal

from babel.core import Locale, UnknownLocaleError
from babel.numbers import format_currency, format_decimal
from django import template
from django.conf import settings
from django.utils.translation import get_language, to_locale
from django.utils.translation import gettext as _

from metrodiplomacy.records import SCALE_FACTOR

register = template.Library()


def babel_locale(language: str | None = None) -> Locale:
    """The CLDR locale of a Django language code, the active language's by default."""
    code = language or get_language() or settings.LANGUAGE_CODE
    try:
        return Locale.parse(to_locale(code))
    except (UnknownLocaleError, ValueError):
        return Locale.parse(to_locale(settings.LANGUAGE_CODE))


def format_money(amount: Decimal | float | int, currency: str, language: str | None = None) -> str:
    """`amount` of `currency` (an ISO 4217 code) in the language's currency format; CLDR writes a code it
    does not know as the code itself."""
    return format_currency(amount, currency.upper(), locale=babel_locale(language))


def format_budget(amount: Decimal, scale: str, qualifier: str, currency: str, language: str | None = None) -> str:
    """A budget as recorded (an amount in a scale, perhaps approximate) written out in full as money."""
    whole = amount * SCALE_FACTOR.get(scale or "units", 1)
    qualifiers = {
        "about": _("about %(amount)s"),
        "at_least": _("at least %(amount)s"),
        "more_than": _("more than %(amount)s"),
        "less_than": _("less than %(amount)s"),
    }
    text = format_money(whole, currency, language) if currency else format_decimal(whole, locale=babel_locale(language))
    return qualifiers[qualifier] % {"amount": text} if qualifier in qualifiers else text


@register.filter
def money(amount, currency: str = "EUR") -> str:
    """`{{ amount|money:"USD" }}`: the amount in the active language's currency format; empty when unknown."""
    if amount is None or amount == "":
        return ""
    return format_money(Decimal(str(amount)), currency)
