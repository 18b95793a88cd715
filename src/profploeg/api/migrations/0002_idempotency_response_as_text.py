from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("api", "0001_initial"),
    ]

    operations = [
        migrations.RemoveField(
            model_name="idempotencykey",
            name="response",
        ),
        migrations.AddField(
            model_name="idempotencykey",
            name="response_body",
            field=models.TextField(default=""),
            preserve_default=False,
        ),
    ]
