from django.db import migrations

THEMES = [
    ("leegstand", "Leegstand en winkelaanbod"),
    ("publieke-ruimte", "Publieke ruimte en beeldkwaliteit"),
    ("mobiliteit", "Bereikbaarheid en mobiliteit"),
    ("beleving", "Beleving en evenementen"),
    ("citymarketing", "Citymarketing en communicatie"),
    ("ondernemerschap", "Ondernemers en handelaarsverenigingen"),
    ("vastgoed", "Vastgoed en kernversterking"),
    ("e-commerce", "E-commerce en digitalisering"),
    ("stadslogistiek", "Stadslogistiek"),
    ("beleid", "Beleid en regelgeving"),
    ("wonen", "Wonen boven winkels"),
]


def load(apps, schema_editor):
    Theme = apps.get_model("programmes", "Theme")
    for slug, name in THEMES:
        Theme.objects.get_or_create(slug=slug, defaults={"name": name})


class Migration(migrations.Migration):
    dependencies = [("programmes", "0001_initial")]
    operations = [migrations.RunPython(load, migrations.RunPython.noop)]
