"""The four languages: complete catalogues, compiled files that match them, every public page in each
language without a string the catalogues lack, and money written the way each language writes it."""

import re
import shutil
import subprocess
from decimal import Decimal
from pathlib import Path

import pytest
from babel.messages.pofile import read_po
from django.conf import settings
from django.template import Context, Template
from django.urls import reverse
from django.utils import translation
from django.utils.translation import trans_real

from metrodiplomacy.analysis.tables import Table
from metrodiplomacy.observatory.templatetags.money import format_budget, format_money
from metrodiplomacy.observatory.templatetags.portal import data_table

# Every test here may touch the database: pytest-django only builds the test database for marked tests.
pytestmark = pytest.mark.django_db

TRANSLATED = ("es", "ca", "fr")
LANGUAGES = ("en", *TRANSLATED)
LOCALE = Path(settings.LOCALE_PATHS[0])
PLACEHOLDER = re.compile(r"%\([a-z_]+\)[sd]|%[sd]|\{[a-z_]*\}")
BARCELONA = "barcelona-metropolitan-area"
PUBLIC_PAGES = (
    "/",
    "/places/paris/",
    f"/places/{BARCELONA}/",
    "/organisations/c40/",
    "/compare/?place=paris&place=barcelona-metropolitan-area",
    "/matrix/",
    "/sources/",
    "/sources/ledna-2019/",
    "/search/?q=paris",
)
# The navigation's "Compare" in each language: a string every page carries.
COMPARE = {"en": "Compare", "es": "Comparar", "ca": "Comparar", "fr": "Comparer"}


def catalogue(language: str):
    with open(LOCALE / language / "LC_MESSAGES" / "django.po", "rb") as po:
        return read_po(po, locale=language)


def messages(language: str) -> list:
    return [message for message in catalogue(language) if message.id]


@pytest.mark.parametrize("language", TRANSLATED)
def test_every_message_of_the_catalogue_is_translated_and_none_is_fuzzy(language):
    found = messages(language)
    assert len(found) > 300
    fuzzy = [message.id for message in found if message.fuzzy]
    untranslated = [
        message.id
        for message in found
        if not (all(message.string) if isinstance(message.string, tuple) else message.string)
    ]
    assert fuzzy == [] and untranslated == []


@pytest.mark.parametrize("language", TRANSLATED)
def test_every_translation_keeps_the_placeholders_of_its_message(language):
    wrong = []
    for message in messages(language):
        ids = message.id if isinstance(message.id, tuple) else (message.id,)
        strings = message.string if isinstance(message.string, tuple) else (message.string,)
        wanted = set(PLACEHOLDER.findall(ids[-1])) | set(PLACEHOLDER.findall(ids[0]))
        for string in strings:
            # A plural's singular may spell the number out ("un resultat"); every other name must stay.
            got = set(PLACEHOLDER.findall(string))
            if got - wanted or (wanted - got) - {"%(counter)s", "%d"}:
                wrong.append((ids[0], string))
    assert wrong == []


@pytest.mark.skipif(shutil.which("msgfmt") is None, reason="GNU gettext's msgfmt is not installed")
@pytest.mark.parametrize("language", TRANSLATED)
def test_the_committed_mo_file_is_the_compiled_po_file(language, tmp_path):
    folder = LOCALE / language / "LC_MESSAGES"
    compiled = tmp_path / "django.mo"
    # The same command compilemessages runs, so the bytes match when the .mo is up to date.
    subprocess.run(["msgfmt", "--check-format", "-o", str(compiled), str(folder / "django.po")], check=True)
    assert compiled.read_bytes() == (folder / "django.mo").read_bytes(), "run `make messages`"


@pytest.fixture(scope="module")
def bundled(casestudies_for_module):
    return casestudies_for_module


@pytest.fixture
def missing(monkeypatch):
    """Every message a page looked up that the active catalogue (ours merged with Django's) lacks."""
    lacking: list[str] = []
    gettext, ngettext = trans_real.DjangoTranslation.gettext, trans_real.DjangoTranslation.ngettext

    def checked_gettext(self, message):
        if self.language() != "en" and message and message not in self._catalog:
            lacking.append(message)
        return gettext(self, message)

    def checked_ngettext(self, singular, plural, number):
        if self.language() != "en" and (singular, 0) not in self._catalog:
            lacking.append(singular)
        return ngettext(self, singular, plural, number)

    monkeypatch.setattr(trans_real.DjangoTranslation, "gettext", checked_gettext)
    monkeypatch.setattr(trans_real.DjangoTranslation, "ngettext", checked_ngettext)
    return lacking


@pytest.mark.parametrize("language", LANGUAGES)
def test_every_public_page_renders_in_the_language_without_a_missing_translation(client, bundled, missing, language):
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = language
    for page in PUBLIC_PAGES:
        response = client.get(page)
        html = response.content.decode()
        assert response.status_code == 200, page
        assert f'<html lang="{language}">' in html, page
        assert f">{COMPARE[language]}</a>" in html, page
    # Each language's own name stays as its speakers write it, in every language.
    assert sorted(set(missing) - {name for _code, name in settings.LANGUAGES}) == []


@pytest.mark.parametrize("language", TRANSLATED)
def test_a_page_in_another_language_shows_no_english_heading(client, bundled, language):
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = language
    html = client.get(f"/places/{BARCELONA}/").content.decode()
    for english in ("Governance and planning", "International units", "Strategies and plans", "Reliance"):
        assert f">{english}<" not in html
    with translation.override(language):
        assert f">{translation.gettext('Governance and planning')}<" in html


def test_the_language_switcher_remembers_the_chosen_language(client, bundled):
    response = client.get(reverse("observatory:choose_language"), {"language": "ca", "next": "/sources/"})
    assert response.status_code == 302 and response["Location"] == "/sources/"
    html = client.get("/sources/").content.decode()
    assert '<html lang="ca">' in html and '<option value="ca" selected lang="ca">' in html


OFF_SITE = ["https://evil.example/", "//evil.example/", "/\\evil.example", "javascript:alert(1)"]


@pytest.mark.parametrize("target", OFF_SITE)
def test_the_language_switcher_never_sends_the_reader_off_the_site(client, db, target):
    response = client.get(reverse("observatory:choose_language"), {"language": "fr", "next": target})
    assert response.status_code == 302 and response["Location"] == "/"


def test_an_unknown_language_is_not_remembered(client, db):
    response = client.get(reverse("observatory:choose_language"), {"language": "xx", "next": "/sources/"})
    assert response.status_code == 302 and settings.LANGUAGE_COOKIE_NAME not in response.cookies


def test_a_public_page_sets_no_cookie_for_an_anonymous_reader(client, bundled):
    # A cookie in the answer would make it uncacheable (metrodiplomacy/caching); the switcher needs no CSRF token.
    response = client.get("/sources/")
    assert response.status_code == 200 and not response.cookies


def test_money_is_written_as_each_language_writes_it():
    amount = Decimal("15770000")
    assert format_money(amount, "EUR", "en") == "€15,770,000.00"
    assert format_money(amount, "EUR", "es") == "15.770.000,00\xa0€"
    assert format_money(amount, "EUR", "ca") == "15.770.000,00\xa0€"
    assert format_money(amount, "EUR", "fr") == "15\u202f770\u202f000,00\xa0€"
    assert format_money(Decimal("2000000"), "USD", "en") == "$2,000,000.00"


def test_the_money_filter_follows_the_active_language():
    template = Template('{% load money %}{{ amount|money:"EUR" }}|{{ nothing|money:"EUR" }}')
    with translation.override("es"):
        assert template.render(Context({"amount": Decimal("15770000"), "nothing": None})) == "15.770.000,00\xa0€|"
    with translation.override("en"):
        assert template.render(Context({"amount": 1750000, "nothing": None})) == "€1,750,000.00|"


def test_a_budget_recorded_in_millions_and_approximate_is_written_in_full():
    with translation.override("fr"):
        assert format_budget(Decimal("4"), "million", "about", "EUR") == "environ 4\u202f000\u202f000,00\xa0€"
    with translation.override("en"):
        assert format_budget(Decimal("1.75"), "million", "exact", "EUR") == "€1,750,000.00"


@pytest.mark.parametrize(
    ("language", "written"),
    [("en", "€15,770,000.00"), ("es", "15.770.000,00\xa0€"), ("fr", "15\u202f770\u202f000,00\xa0€")],
)
def test_the_city_page_shows_its_units_budget_in_the_language(client, bundled, language, written):
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = language
    html = client.get(f"/places/{BARCELONA}/").content.decode()
    assert f"<strong>{written}</strong>" in html


def test_result_tables_write_decimals_and_yes_no_in_the_language():
    table = Table.build(
        "Units", ("unit", "staff", "share", "prioritised"), [("International", 18, Decimal("1.750"), True)]
    )
    with translation.override("es"):
        spanish = data_table(table)
    with translation.override("en"):
        english = data_table(table)
    assert "<td class='num'>1,75</td>" in spanish and "<td>sí</td>" in spanish and ">18<" in spanish
    assert "<td class='num'>1.75</td>" in english and "<td>yes</td>" in english
