"""The policy-area codelist loader, shared by the data migration and by tests that flush the database."""

import csv
from pathlib import Path

DATA = Path(__file__).resolve().parent.parent / "data"


def load_codelists(apps) -> None:
    PolicyArea = apps.get_model("evidence", "PolicyArea")
    Framework = apps.get_model("evidence", "Framework")
    FrameworkArea = apps.get_model("evidence", "FrameworkArea")
    with open(DATA / "policy_areas.csv", encoding="utf-8") as handle:
        for row in csv.DictReader(handle):
            fields = {k: row[k] for k in ("name", "description", "sdgs")}
            PolicyArea.objects.update_or_create(code=row["code"], defaults=fields)
    with open(DATA / "frameworks.csv", encoding="utf-8") as handle:
        for row in csv.DictReader(handle):
            framework, _ = Framework.objects.update_or_create(
                key=row["key"], defaults={"name": row["name"], "description": row["description"]}
            )
            for position, code in enumerate(row["areas"].split(";"), start=1):
                FrameworkArea.objects.update_or_create(
                    framework=framework, area=PolicyArea.objects.get(code=code), defaults={"position": position}
                )
