"""Load the policy-area codelist so every database, test ones included, has the frameworks."""

import csv
from pathlib import Path

from django.db import migrations

DATA = Path(__file__).resolve().parent.parent / "data"


def load(apps, schema_editor):
    PolicyArea = apps.get_model("evidence", "PolicyArea")
    Framework = apps.get_model("evidence", "Framework")
    FrameworkArea = apps.get_model("evidence", "FrameworkArea")
    with open(DATA / "policy_areas.csv", encoding="utf-8") as handle:
        for row in csv.DictReader(handle):
            PolicyArea.objects.update_or_create(code=row["code"], defaults={k: row[k] for k in ("name", "description", "sdgs")})
    with open(DATA / "frameworks.csv", encoding="utf-8") as handle:
        for row in csv.DictReader(handle):
            framework, _ = Framework.objects.update_or_create(
                key=row["key"], defaults={"name": row["name"], "description": row["description"]}
            )
            for position, code in enumerate(row["areas"].split(";"), start=1):
                FrameworkArea.objects.update_or_create(
                    framework=framework, area=PolicyArea.objects.get(code=code), defaults={"position": position}
                )


class Migration(migrations.Migration):
    dependencies = [("evidence", "0001_initial")]
    operations = [migrations.RunPython(load, migrations.RunPython.noop)]
