"""A frozen copy of the region matcher, for the migrations that turned free text into codes.

Migrations must give the same result whenever they run, so they do not import
``events.regions`` (which may learn more names later). Used by
``events/0003_region_codes`` and ``registrations/0005_region_codes``.
"""

import re
import unicodedata

# code: (official name, other names people type)
NAMES = {
    "ES-AN": ("Andalucía", ("Andalusia", "Andalousie")),
    "ES-AR": ("Aragón", ("Aragó",)),
    "ES-AS": ("Principado de Asturias", ("Asturias", "Asturies", "Principality of Asturias")),
    "ES-IB": (
        "Illes Balears",
        ("Baleares", "Balears", "Islas Baleares", "Balearic Islands", "Baleares (Islas)"),
    ),
    "ES-CN": ("Canarias", ("Islas Canarias", "Canary Islands", "Canaries")),
    "ES-CB": ("Cantabria", ()),
    "ES-CL": ("Castilla y León", ("Castile and León", "Castilla León")),
    "ES-CM": ("Castilla-La Mancha", ("Castile-La Mancha", "La Mancha")),
    "ES-CT": ("Cataluña", ("Catalunya", "Catalonia", "Catalogne")),
    "ES-EX": ("Extremadura", ()),
    "ES-GA": ("Galicia", ("Galiza",)),
    "ES-RI": ("La Rioja", ("Rioja",)),
    "ES-MD": ("Comunidad de Madrid", ("Madrid", "Community of Madrid", "Comunidad Autónoma de Madrid")),
    "ES-MC": ("Región de Murcia", ("Murcia", "Region of Murcia")),
    "ES-NC": (
        "Comunidad Foral de Navarra",
        (
            "Navarra",
            "Navarre",
            "Nafarroa",
            "Foral Community of Navarre",
            "Chartered Community of Navarre",
            "Nafarroako Foru Komunitatea",
        ),
    ),
    "ES-PV": (
        "País Vasco",
        (
            "Euskadi",
            "Basque Country",
            "Comunidad Autónoma del País Vasco",
            "Euskal Autonomia Erkidegoa",
            "País Vasco - Euskadi",
            "Euskadi - País Vasco",
        ),
    ),
    "ES-VC": (
        "Comunitat Valenciana",
        ("Comunidad Valenciana", "Valencia", "València", "Valencian Community", "País Valencià"),
    ),
    "ES-CE": ("Ceuta", ("Ciudad Autónoma de Ceuta",)),
    "ES-ML": ("Melilla", ("Ciudad Autónoma de Melilla",)),
    "other": ("Other country", ("Other", "Otro país", "Extranjero", "Abroad")),
}


def normalise(text):
    decomposed = unicodedata.normalize("NFKD", text or "")
    # Accents go, and so do invisible format characters (zero-width, bidi controls).
    bare = "".join(
        char
        for char in decomposed
        if not unicodedata.combining(char) and unicodedata.category(char) != "Cf"
    )
    return " ".join(re.sub(r"[\W_]+", " ", bare.casefold()).split())


LOOKUP = {
    normalise(name): code
    for code, (official, others) in NAMES.items()
    for name in (code, official, *others)
}


def text_to_code(text):
    """The code that ``text`` names, or None."""
    if not text or len(text) > 100:
        return None
    return LOOKUP.get(normalise(text))


def forwards(model):
    """Codes where the text names a region; otherwise "" and the text kept in region_legacy.

    Returns how many rows matched nothing.
    """
    unmatched = 0
    for row in model.objects.exclude(region="").only("pk", "region").iterator():
        code = text_to_code(row.region)
        if code is not None:
            model.objects.filter(pk=row.pk).update(region=code)
        else:
            unmatched += 1
            model.objects.filter(pk=row.pk).update(region="", region_legacy=row.region)
    return unmatched


def backwards(model):
    """Back to free text: the official name, or what was kept."""
    for row in model.objects.only("pk", "region", "region_legacy").iterator():
        if row.region in NAMES:
            model.objects.filter(pk=row.pk).update(region=NAMES[row.region][0])
        elif row.region_legacy and not row.region:
            model.objects.filter(pk=row.pk).update(region=row.region_legacy)
