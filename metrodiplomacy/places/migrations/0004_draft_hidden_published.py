from django.db import migrations

from metrodiplomacy.records import draft_hidden_published


class Migration(migrations.Migration):
    """Records published while not public (allowed before the publication rule) go back to draft."""

    dependencies = [("places", "0003_place_kind_admin_area")]

    operations = [migrations.RunPython(draft_hidden_published("places"), migrations.RunPython.noop)]
