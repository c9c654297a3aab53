from django.db import migrations

from metrodiplomacy.records import draft_hidden_published


class Migration(migrations.Migration):
    """Records published while not public (allowed before the publication rule) go back to draft."""

    dependencies = [("actors", "0003_organisation_policy_areas_and_more")]

    operations = [migrations.RunPython(draft_hidden_published("actors"), migrations.RunPython.noop)]
