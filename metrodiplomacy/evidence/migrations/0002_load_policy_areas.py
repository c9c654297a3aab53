"""Load the policy-area codelist so every database, test ones included, has the frameworks."""

from django.db import migrations

from ._codelists import load_codelists


def load(apps, schema_editor):
    load_codelists(apps)


class Migration(migrations.Migration):
    dependencies = [("evidence", "0001_initial")]
    operations = [migrations.RunPython(load, migrations.RunPython.noop)]
