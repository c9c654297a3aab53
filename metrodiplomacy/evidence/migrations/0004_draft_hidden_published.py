from django.db import migrations

from metrodiplomacy.records import draft_hidden_published


class Migration(migrations.Migration):
    """Records published while not public (allowed before the publication rule) go back to draft."""

    dependencies = [("evidence", "0003_source_licence")]

    operations = [migrations.RunPython(draft_hidden_published("evidence"), migrations.RunPython.noop)]
