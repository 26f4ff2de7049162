"""Stemmed search vectors and the "did you mean" vocabulary (registry.search).

pg_trgm may already be there (mtr's migration creates it too): created only if missing, and
never dropped when this migration is reversed (mtr's indexes need it). The data step recomputes every document's vectors with stems and fills SearchTerm,
through the same code as ``manage.py reindex_search`` (about 5,000 documents a second).
"""

import django.contrib.postgres.indexes
from django.db import migrations, models


def reindex(apps, schema_editor):
    from registry import search

    search.reindex_all(model=apps.get_model("registry", "Document"))


class Migration(migrations.Migration):
    dependencies = [
        ("registry", "0006_attachment_text_error_ocr"),
    ]

    operations = [
        migrations.RunSQL(
            "CREATE EXTENSION IF NOT EXISTS pg_trgm", reverse_sql=migrations.RunSQL.noop
        ),
        migrations.CreateModel(
            name="SearchTerm",
            fields=[
                (
                    "id",
                    models.BigAutoField(
                        auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                    ),
                ),
                ("word", models.CharField(max_length=40, unique=True, verbose_name="word")),
                (
                    "public",
                    models.BooleanField(default=False, verbose_name="in a public title"),
                ),
            ],
            options={
                "verbose_name": "search term",
                "verbose_name_plural": "search terms",
                "indexes": [
                    django.contrib.postgres.indexes.GinIndex(
                        fields=["word"],
                        name="registry_searchterm_trgm",
                        opclasses=["gin_trgm_ops"],
                    )
                ],
            },
        ),
        migrations.RunPython(reindex, migrations.RunPython.noop, elidable=True),
    ]
