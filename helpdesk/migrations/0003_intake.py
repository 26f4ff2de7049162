"""The support mailbox's messages move to ``core.intake`` (issue 15): each ``InboundEmail``
keeps its role (what the helpdesk made of a message) and links the ``InboundMessage`` that holds
the message as it came; messages get a kind for automatic ones and their quoted text; files
copied from an e-mail name the intake's file. 0004 moves the data, 0005 drops the old column
(each in a transaction of its own: PostgreSQL refuses an ALTER TABLE after row changes whose
deferred checks are pending)."""

import django.db.models.deletion
from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("core", "0011_intake"),
        ("helpdesk", "0002_hostile_input"),
    ]

    operations = [
        migrations.AddField(
            model_name="inboundemail",
            name="inbound",
            field=models.OneToOneField(
                blank=True,
                null=True,
                on_delete=django.db.models.deletion.PROTECT,
                related_name="helpdesk_email",
                to="core.inboundmessage",
                verbose_name="message as it came",
            ),
        ),
        migrations.AddField(
            model_name="inboundemail",
            name="outcome",
            field=models.CharField(blank=True, max_length=255, verbose_name="outcome"),
        ),
        migrations.AddField(
            model_name="message",
            name="inbound_email",
            field=models.ForeignKey(
                blank=True,
                null=True,
                on_delete=django.db.models.deletion.SET_NULL,
                related_name="messages",
                to="helpdesk.inboundemail",
                verbose_name="incoming e-mail",
            ),
        ),
        migrations.AddField(
            model_name="message",
            name="quoted",
            field=models.TextField(blank=True, verbose_name="quoted text"),
        ),
        migrations.AddField(
            model_name="messageattachment",
            name="inbound_attachment",
            field=models.OneToOneField(
                blank=True,
                null=True,
                on_delete=django.db.models.deletion.SET_NULL,
                related_name="+",
                to="core.inboundattachment",
            ),
        ),
        migrations.AlterField(
            model_name="message",
            name="kind",
            field=models.CharField(
                choices=[
                    ("in", "from the requester"),
                    ("reply", "answer"),
                    ("note", "internal note"),
                    ("auto", "automatic message"),
                ],
                max_length=5,
                verbose_name="kind",
            ),
        ),
        # Nullable first, so that the reverse can add it back before filling it.
        migrations.AlterField(
            model_name="inboundemail",
            name="raw",
            field=models.BinaryField(blank=True, null=True, verbose_name="message"),
        ),
    ]
