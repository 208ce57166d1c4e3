"""Regions of Spain (ISO 3166-2:ES), plus "another country", and a forgiving name matcher.

The values are the ISO 3166-2:ES codes of the 17 autonomous communities and the
2 autonomous cities: stable, language-neutral, what a spreadsheet or another
system understands. The labels are the regions' official names; they are proper
names, so they are not translated (only "Other country" is).

``region_match`` turns what people type ("euskadi", "Comunidad Valenciana",
"  CATALONIA ", "es-nc") into a code. The registration API uses it to stay kind
to clients that send names, and the migration that turned the free-text field
into this list used a frozen copy of it (``events/migrations/0002_region_codes``).
"""

import re
import unicodedata

from django.db import models
from django.utils.translation import gettext_lazy as _


class Region(models.TextChoices):
    """In the order people look for them: see ``region_sort_key``."""

    ANDALUCIA = "ES-AN", "Andalucía"
    ARAGON = "ES-AR", "Aragón"
    ASTURIAS = "ES-AS", "Principado de Asturias"
    ILLES_BALEARS = "ES-IB", "Illes Balears"
    CANARIAS = "ES-CN", "Canarias"
    CANTABRIA = "ES-CB", "Cantabria"
    CASTILLA_Y_LEON = "ES-CL", "Castilla y León"
    CASTILLA_LA_MANCHA = "ES-CM", "Castilla-La Mancha"
    CATALUNA = "ES-CT", "Cataluña"
    EXTREMADURA = "ES-EX", "Extremadura"
    GALICIA = "ES-GA", "Galicia"
    LA_RIOJA = "ES-RI", "La Rioja"
    MADRID = "ES-MD", "Comunidad de Madrid"
    MURCIA = "ES-MC", "Región de Murcia"
    NAVARRA = "ES-NC", "Comunidad Foral de Navarra"
    PAIS_VASCO = "ES-PV", "País Vasco"
    COMUNITAT_VALENCIANA = "ES-VC", "Comunitat Valenciana"
    CEUTA = "ES-CE", "Ceuta"
    MELILLA = "ES-ML", "Melilla"
    OTHER_COUNTRY = "other", _("Other country")


REGION_MAX_LENGTH = 5

# Other names people use, in Spanish, English and the regions' own languages.
# The labels and the codes match without being listed here.
ALIASES: dict[str, tuple[str, ...]] = {
    Region.ANDALUCIA: ("Andalusia", "Andalousie"),
    Region.ARAGON: ("Aragó", "Aragon"),
    Region.ASTURIAS: ("Asturias", "Asturies", "Principality of Asturias"),
    Region.ILLES_BALEARS: (
        "Baleares",
        "Balears",
        "Islas Baleares",
        "Balearic Islands",
        "Baleares (Islas)",
    ),
    Region.CANARIAS: ("Islas Canarias", "Canary Islands", "Canaries"),
    Region.CASTILLA_Y_LEON: ("Castile and León", "Castile and Leon", "Castilla León"),
    Region.CASTILLA_LA_MANCHA: ("Castile-La Mancha", "Castilla la Mancha", "La Mancha"),
    Region.CATALUNA: ("Catalunya", "Catalonia", "Catalogne"),
    Region.GALICIA: ("Galiza",),
    Region.LA_RIOJA: ("Rioja",),
    Region.MADRID: ("Madrid", "Community of Madrid", "Comunidad Autónoma de Madrid"),
    Region.MURCIA: ("Murcia", "Region of Murcia"),
    Region.NAVARRA: (
        "Navarra",
        "Navarre",
        "Nafarroa",
        "Foral Community of Navarre",
        "Chartered Community of Navarre",
        "Nafarroako Foru Komunitatea",
    ),
    Region.PAIS_VASCO: (
        "Euskadi",
        "Basque Country",
        "Comunidad Autónoma del País Vasco",
        "Euskal Autonomia Erkidegoa",
        "País Vasco - Euskadi",
        "Euskadi - País Vasco",
    ),
    Region.COMUNITAT_VALENCIANA: (
        "Comunidad Valenciana",
        "Valencia",
        "València",
        "Valencian Community",
        "País Valencià",
    ),
    Region.CEUTA: ("Ciudad Autónoma de Ceuta",),
    Region.MELILLA: ("Ciudad Autónoma de Melilla",),
    Region.OTHER_COUNTRY: ("Other country", "Other", "Otro país", "Extranjero", "Abroad"),
}


def normalise(text: str) -> str:
    """Lower case, no accents or invisible characters, punctuation and controls as spaces.

    "  País-Vasco " → "pais vasco".
    """
    decomposed = unicodedata.normalize("NFKD", text or "")
    # Accents go, and so do invisible format characters (zero-width, bidi controls).
    bare = "".join(
        char
        for char in decomposed
        if not unicodedata.combining(char) and unicodedata.category(char) != "Cf"
    )
    return " ".join(re.sub(r"[\W_]+", " ", bare.casefold()).split())


def _lookup() -> dict[str, str]:
    table: dict[str, str] = {}
    for region in Region:
        table[normalise(region.value)] = region.value
        # "Other country" is a lazy translation; its names are in ALIASES.
        if isinstance(region.label, str):
            table[normalise(region.label)] = region.value
        for alias in ALIASES.get(region, ()):
            table[normalise(alias)] = region.value
    return table


_LOOKUP = _lookup()
_POSITION = {"": 0} | {region.value: position for position, region in enumerate(Region, start=1)}


def region_match(text: str) -> str | None:
    """The region code that ``text`` names (a code, an official name or a usual alias), or None.

    Case, accents, punctuation and spacing do not matter. Names are matched
    whole: "Pamplona" or "Spain" match nothing.
    """
    # Long input cannot be a region name; don't spend time normalising it.
    if not text or len(text) > 100:
        return None
    return _LOOKUP.get(normalise(text))


def region_label(code: str) -> str:
    """The name to show for a stored code ("" for none); an unknown value is shown as it is."""
    if not code:
        return ""
    try:
        return str(Region(code).label)
    except ValueError:
        return code


def region_sort_key(code: str) -> int:
    """Position in the list: none first, then Spain's regions, another country last.

    The list is in alphabetical order of the names people use (Asturias under A,
    Madrid under M, though the official names start "Principado de", "Comunidad
    de"), with the two autonomous cities after the communities, as Spanish forms
    usually list them. Codes would sort Ceuta between Cantabria and Castilla.
    """
    return _POSITION.get(code, len(_POSITION))
