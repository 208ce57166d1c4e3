import importlib

import pytest

from events.regions import Region, region_label, region_match, region_sort_key

frozen = importlib.import_module("events.migrations._region_text_to_code")


def test_region_list_is_spains_19_regions_and_another_country():
    assert Region.values == [
        "ES-AN",
        "ES-AR",
        "ES-AS",
        "ES-IB",
        "ES-CN",
        "ES-CB",
        "ES-CL",
        "ES-CM",
        "ES-CT",
        "ES-EX",
        "ES-GA",
        "ES-RI",
        "ES-MD",
        "ES-MC",
        "ES-NC",
        "ES-PV",
        "ES-VC",
        "ES-CE",
        "ES-ML",
        "other",
    ]
    assert [str(label) for label in Region.labels] == [
        "Andalucía",
        "Aragón",
        "Principado de Asturias",
        "Illes Balears",
        "Canarias",
        "Cantabria",
        "Castilla y León",
        "Castilla-La Mancha",
        "Cataluña",
        "Extremadura",
        "Galicia",
        "La Rioja",
        "Comunidad de Madrid",
        "Región de Murcia",
        "Comunidad Foral de Navarra",
        "País Vasco",
        "Comunitat Valenciana",
        "Ceuta",
        "Melilla",
        "Other country",
    ]


@pytest.mark.parametrize(
    ("text", "code"),
    [
        # codes, any case
        ("ES-NC", "ES-NC"),
        ("es-pv", "ES-PV"),
        (" other ", "other"),
        # official names, case, accents, spaces and hyphens ignored
        ("Comunidad Foral de Navarra", "ES-NC"),
        ("ANDALUCIA", "ES-AN"),
        ("  país   vasco\n", "ES-PV"),
        ("Castilla la Mancha", "ES-CM"),
        ("castilla-la-mancha", "ES-CM"),
        ("Castilla y Leon", "ES-CL"),
        ("Región de Murcia", "ES-MC"),
        # the usual aliases, in Spanish, English and the regions' languages
        ("Euskadi", "ES-PV"),
        ("Pais Vasco", "ES-PV"),
        ("Basque Country", "ES-PV"),
        ("Navarra", "ES-NC"),
        ("Navarre", "ES-NC"),
        ("Nafarroa", "ES-NC"),
        ("Comunidad Valenciana", "ES-VC"),
        ("Comunitat Valenciana", "ES-VC"),
        ("Valencia", "ES-VC"),
        ("Catalunya", "ES-CT"),
        ("Cataluña", "ES-CT"),
        ("Catalonia", "ES-CT"),
        ("Asturias", "ES-AS"),
        ("Baleares", "ES-IB"),
        ("Illes Balears", "ES-IB"),
        ("Balearic Islands", "ES-IB"),
        ("Canarias", "ES-CN"),
        ("Canary Islands", "ES-CN"),
        ("Madrid", "ES-MD"),
        ("Murcia", "ES-MC"),
        ("Aragon", "ES-AR"),
        ("Galicia", "ES-GA"),
        ("Extremadura", "ES-EX"),
        ("La Rioja", "ES-RI"),
        ("Cantabria", "ES-CB"),
        ("Ceuta", "ES-CE"),
        ("Melilla", "ES-ML"),
        ("Other country", "other"),
        ("Otro país", "other"),
        # hidden characters around a name do not hide it (what is stored is the clean code)
        ("Navarra\x07", "ES-NC"),
        ("Nav\u200barra", "ES-NC"),
        ("\u202eNavarra", "ES-NC"),
        ("Navarra\r\n", "ES-NC"),
    ],
)
def test_region_match_knows_codes_names_and_aliases(text, code):
    assert region_match(text) == code
    assert frozen.text_to_code(text) == code


@pytest.mark.parametrize(
    "text",
    [
        "",
        "Nacional",
        "Spain",
        "Pamplona",
        "Navarra, Spain",
        "ES-XX",
        "\x1b[31mNavarra",
        "N" * 5000,
    ],
)
def test_region_match_refuses_what_names_no_region(text):
    """Whole names only: a city, the country, extra words or hidden characters match nothing."""
    assert region_match(text) is None
    assert frozen.text_to_code(text) is None


def test_live_matcher_gives_every_frozen_name_the_same_code():
    """The migration's frozen copy may only fall behind the live matcher, never disagree."""
    assert {name: region_match(name) for name in frozen.LOOKUP} == frozen.LOOKUP
    assert {code: str(Region(code).label) for code in frozen.NAMES} == {
        code: official for code, (official, _others) in frozen.NAMES.items()
    }


def test_region_label_shows_names_not_codes():
    assert region_label("ES-NC") == "Comunidad Foral de Navarra"
    assert region_label("other") == "Other country"
    assert region_label("") == ""


def test_regions_sort_by_their_usual_names_with_none_first_and_other_countries_last():
    codes = ["other", "ES-PV", "ES-CE", "", "ES-AS", "ES-MD", "ES-AN"]

    assert sorted(codes, key=region_sort_key) == [
        "",
        "ES-AN",
        "ES-AS",
        "ES-MD",
        "ES-PV",
        "ES-CE",
        "other",
    ]
