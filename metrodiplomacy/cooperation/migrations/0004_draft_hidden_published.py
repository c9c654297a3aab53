from django.db import migrations

from metrodiplomacy.records import draft_hidden_published


class Migration(migrations.Migration):
    """Records published while not public (allowed before the publication rule) go back to draft."""

    dependencies = [("cooperation", "0003_iati_fields_sectors_goals_budgets_results")]

    operations = [migrations.RunPython(draft_hidden_published("cooperation"), migrations.RunPython.noop)]
