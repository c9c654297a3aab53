"""The kinds of record the workspace edits: one entry per model, with the services that write it.

Places are shared reference data and are not edited here; records only pick them by name.
"""

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django.db.models import Model

from metrodiplomacy.actors.models import Organisation, Unit
from metrodiplomacy.cooperation.models import CooperationProject
from metrodiplomacy.coordination.models import CoordinationMechanism
from metrodiplomacy.diplomacy import services as diplomacy
from metrodiplomacy.diplomacy.models import Agreement, Engagement, Hosting, Initiative, NetworkMembership
from metrodiplomacy.evidence.models import (
    CaseStudy,
    ClassificationCoding,
    RelianceCoding,
    Source,
    Survey,
    SurveyResult,
)
from metrodiplomacy.places.models import RankingPosition, Statistic
from metrodiplomacy.records import Record
from metrodiplomacy.strategy import services as strategy
from metrodiplomacy.strategy.models import (
    AccountabilityReport,
    Externality,
    Indicator,
    MitigationMeasure,
    Objective,
    Observation,
    Strategy,
    StrategyAxis,
)
from metrodiplomacy.writes import BASE_FIELDS, Author, change_record, create_record, remove_record


@dataclass(frozen=True)
class RecordKind:
    """A model as the workspace shows it: its address, its services and its repeated groups."""

    slug: str
    model: type[Record]
    create: Callable[[Author, dict], Record]
    change: Callable[[Author, Record, dict], Record]
    remove: Callable[[Author, Record], None]
    # "parties" for agreements, "roles" for network memberships: rows edited with the record.
    group: str = ""

    @property
    def label(self) -> Any:
        return self.model._meta.verbose_name_plural

    @property
    def singular(self) -> Any:
        return self.model._meta.verbose_name

    @property
    def fields(self) -> list:
        """The model's own editable fields (and lists), in declaration order."""
        return [
            model_field
            for model_field in self.model._meta.get_fields()
            if not model_field.auto_created
            and getattr(model_field, "editable", False)
            and model_field.name not in BASE_FIELDS
            and (model_field.concrete or model_field.many_to_many)
        ]


def _generic(slug: str, model: type[Record]) -> RecordKind:
    return RecordKind(
        slug,
        model,
        create=lambda author, values: create_record(author, model, values),
        change=change_record,
        remove=remove_record,
    )


KINDS: dict[str, RecordKind] = {
    kind.slug: kind
    for kind in (
        RecordKind(
            "agreements",
            Agreement,
            diplomacy.record_agreement,
            diplomacy.change_agreement,
            diplomacy.remove_agreement,
            "parties",
        ),
        RecordKind(
            "network-memberships",
            NetworkMembership,
            diplomacy.record_network_membership,
            diplomacy.change_network_membership,
            remove_record,
            "roles",
        ),
        RecordKind(
            "initiatives",
            Initiative,
            diplomacy.record_initiative,
            diplomacy.change_initiative,
            diplomacy.remove_initiative,
        ),
        RecordKind(
            "engagements",
            Engagement,
            diplomacy.record_engagement,
            diplomacy.change_engagement,
            diplomacy.remove_engagement,
        ),
        _generic("hostings", Hosting),
        _generic("organisations", Organisation),
        _generic("units", Unit),
        _generic("statistics", Statistic),
        _generic("ranking-positions", RankingPosition),
        _generic("cooperation-projects", CooperationProject),
        _generic("coordination-mechanisms", CoordinationMechanism),
        _generic("strategies", Strategy),
        _generic("strategy-axes", StrategyAxis),
        _generic("objectives", Objective),
        _generic("indicators", Indicator),
        # Values go through the results services: locked periods refuse them, a change sends them back to draft.
        RecordKind(
            "observations",
            Observation,
            strategy.record_observation,
            strategy.change_observation,
            strategy.remove_observation,
        ),
        _generic("externalities", Externality),
        _generic("mitigation-measures", MitigationMeasure),
        _generic("accountability-reports", AccountabilityReport),
        _generic("sources", Source),
        _generic("case-studies", CaseStudy),
        _generic("reliance-codings", RelianceCoding),
        _generic("classification-codings", ClassificationCoding),
        _generic("surveys", Survey),
        _generic("survey-results", SurveyResult),
    )
}


def kind_of(record: Model) -> RecordKind:
    return next(kind for kind in KINDS.values() if isinstance(record, kind.model))
