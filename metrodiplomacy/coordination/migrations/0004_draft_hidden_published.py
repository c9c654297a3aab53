from django.db import migrations

from metrodiplomacy.records import draft_hidden_published


class Migration(migrations.Migration):
    """Records published while not public (allowed before the publication rule) go back to draft."""

    dependencies = [("coordination", "0003_agendas_meetings_decisions")]

    operations = [migrations.RunPython(draft_hidden_published("coordination"), migrations.RunPython.noop)]
