from django.db import migrations

from metrodiplomacy.records import draft_hidden_published


class Migration(migrations.Migration):
    """Records published while not public (allowed before the publication rule) go back to draft."""

    dependencies = [("strategy", "0003_results_framework")]

    operations = [migrations.RunPython(draft_hidden_published("strategy"), migrations.RunPython.noop)]
