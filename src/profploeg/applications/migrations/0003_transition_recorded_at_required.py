from django.db import migrations, models


class Migration(migrations.Migration):
    # Its own migration: PostgreSQL refuses to alter a table in the transaction that just
    # updated its rows (pending trigger events of the deferred foreign keys).
    dependencies = [("applications", "0002_transition_recorded_at")]

    operations = [
        migrations.AlterField(
            model_name="transition",
            name="recorded_at",
            field=models.DateTimeField(verbose_name="recorded at"),
        ),
    ]
