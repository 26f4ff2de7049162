"""The raw bytes of support e-mail live in ``core.intake`` now (0004 moved them): the column
goes, in a migration of its own so that its ALTER TABLE does not meet 0004's deferred row
checks in one transaction."""

from django.db import migrations


class Migration(migrations.Migration):
    dependencies = [
        ("helpdesk", "0004_intake_messages"),
    ]

    operations = [
        migrations.RemoveField(
            model_name="inboundemail",
            name="raw",
        ),
    ]
