from django.db import migrations

from metrodiplomacy.records import draft_hidden_published


class Migration(migrations.Migration):
    """Records published while not public (allowed before the publication rule) go back to draft."""

    dependencies = [("diplomacy", "0003_engagement_end_date_membership_fee")]

    operations = [migrations.RunPython(draft_hidden_published("diplomacy"), migrations.RunPython.noop)]
