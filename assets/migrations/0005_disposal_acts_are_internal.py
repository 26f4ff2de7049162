"""Disposal acts registered before there was an internal direction were registered as
"outgoing, hand delivery" (issue 17): they are internal documents, made in the agency."""

from django.db import migrations


class Migration(migrations.Migration):
    dependencies = [
        ("assets", "0004_procurement_thresholds"),
        ("registry", "0015_internal_documents"),
    ]

    operations = [
        migrations.RunSQL(
            "UPDATE registry_document SET direction = 'int', channel = 'internal' "
            "WHERE id IN (SELECT document_id FROM assets_disposal WHERE document_id IS NOT NULL)",
            reverse_sql=(
                "UPDATE registry_document SET direction = 'out', channel = 'hand' "
                "WHERE id IN (SELECT document_id FROM assets_disposal "
                "WHERE document_id IS NOT NULL)"
            ),
        )
    ]
