"""The coordination rules on hand-built cases: each overlap and synergy, and the cases that must not fire."""

from datetime import date
from decimal import Decimal

from metrodiplomacy.analysis import coordination as rules
from metrodiplomacy.analysis.coordination import Activity, Collaboration, Effort, RecordRef, Seat, Stakeholder, Tie

NAMES = {"amb": "AMB", "bcn": "Barcelona City Council", "port": "Port of Barcelona", "eurocities": "Eurocities"}


def mission(key, organisations, start=None, end=None, year=None, city="seoul", country="kr", kind="outgoing_mission"):
    return Activity(
        ref=RecordRef("engagements", key, key.replace("-", " ")),
        kind=kind,
        organisations=tuple(organisations),
        place=city or country,
        place_name=(city or country).title(),
        city=city,
        country=country,
        country_name=country.upper(),
        region="Asia",
        start=start,
        end=end,
        year=year,
    )


def test_two_organisations_on_missions_to_one_city_within_the_window_overlap():
    found = rules.mission_overlaps(
        [
            mission("amb-seoul", ["amb"], date(2026, 5, 3), date(2026, 5, 7)),
            mission("bcn-seoul", ["bcn"], date(2026, 5, 20)),
        ],
        NAMES,
        window_days=30,
    )
    assert len(found) == 1
    finding = found[0]
    assert finding.rule == "missions" and finding.kind == "overlap"
    assert finding.organisations == ("amb", "bcn")
    assert [ref.key for ref in finding.records] == ["amb-seoul", "bcn-seoul"]
    assert "13 days apart" in finding.reason and "Seoul" in finding.reason and "window: 30 days" in finding.reason


def test_missions_further_apart_than_the_window_do_not_overlap():
    activities = [mission("amb-seoul", ["amb"], date(2026, 5, 3)), mission("bcn-seoul", ["bcn"], date(2026, 7, 3))]
    assert rules.mission_overlaps(activities, NAMES, window_days=30) == []
    assert len(rules.mission_overlaps(activities, NAMES, window_days=61)) == 1


def test_missions_of_one_organisation_or_a_joint_mission_are_no_overlap():
    same_organisation = [mission("a1", ["amb"], date(2026, 5, 3)), mission("a2", ["amb"], date(2026, 5, 4))]
    joint = [mission("a1", ["amb"], date(2026, 5, 3)), mission("j", ["amb", "bcn"], date(2026, 5, 4))]
    assert rules.mission_overlaps(same_organisation, NAMES) == []
    assert rules.mission_overlaps(joint, NAMES) == []


def test_missions_to_different_cities_of_one_country_overlap_as_the_same_country():
    found = rules.mission_overlaps(
        [
            mission("amb-seoul", ["amb"], date(2026, 5, 3)),
            mission("bcn-busan", ["bcn"], date(2026, 5, 5), city="busan"),
        ],
        NAMES,
    )
    assert len(found) == 1 and "the same country" in found[0].reason and found[0].place == "kr"


def test_missions_to_different_countries_and_hosted_events_never_overlap():
    assert (
        rules.mission_overlaps(
            [
                mission("a", ["amb"], date(2026, 5, 3)),
                mission("b", ["bcn"], date(2026, 5, 3), city="lyon", country="fr"),
            ],
            NAMES,
        )
        == []
    )
    hosted = [
        mission("a", ["amb"], date(2026, 5, 3), kind="hosted_event"),
        mission("b", ["bcn"], date(2026, 5, 3), kind="incoming_delegation"),
    ]
    assert rules.mission_overlaps(hosted, NAMES) == []


def test_a_mission_dated_only_by_year_overlaps_any_mission_that_year_and_says_so():
    found = rules.mission_overlaps(
        [mission("a", ["amb"], year=2019), mission("b", ["bcn"], date(2019, 10, 1))], NAMES, window_days=0
    )
    assert len(found) == 1 and "day not recorded" in found[0].reason
    assert rules.mission_overlaps([mission("a", ["amb"]), mission("b", ["bcn"], date(2019, 10, 1))], NAMES) == []


def tie(key, organisation, place="montreal"):
    return Tie(RecordRef("agreements", key, key), organisation, place, place.title(), "Americas")


def test_a_partner_city_tied_to_two_organisations_is_an_overlap_naming_each_with_its_count():
    found = rules.shared_partners(
        [tie("amb-mtl-1", "amb"), tie("amb-mtl-2", "amb"), tie("bcn-mtl", "bcn"), tie("bcn-seoul", "bcn", "seoul")],
        NAMES,
    )
    assert len(found) == 1
    assert found[0].place == "montreal" and found[0].organisations == ("amb", "bcn")
    assert "AMB (2) and Barcelona City Council (1)" in found[0].reason
    assert {ref.key for ref in found[0].records} == {"amb-mtl-1", "amb-mtl-2", "bcn-mtl"}


def test_a_partner_city_of_one_organisation_only_is_no_overlap():
    assert rules.shared_partners([tie("a", "amb"), tie("b", "amb")], NAMES) == []


def seat(key, organisation, network="eurocities", fee=None, currency="", roles=()):
    return Seat(RecordRef("network-memberships", key, key), organisation, network, roles, fee, currency)


def test_several_seats_in_one_network_sum_their_recorded_fees_per_currency():
    found = rules.shared_networks(
        [
            seat("s1", "amb", fee=Decimal("12000"), currency="EUR", roles=("executive_committee",)),
            seat("s2", "bcn", fee=Decimal("8000"), currency="EUR"),
            seat("s3", "port"),
            seat("s4", "bcn", network="uclg"),
        ],
        NAMES,
    )
    assert len(found) == 1
    reason = found[0].reason
    assert found[0].organisations == ("amb", "bcn", "port")
    assert "3 organisations" in reason and "Eurocities" in reason
    assert "EUR 20,000 a year" in reason and "executive committee" in reason and "fee not recorded" in reason


def test_fees_in_different_currencies_are_never_added_together():
    totals = rules.fees_by_currency(
        [seat("a", "amb", fee=Decimal("10"), currency="EUR"), seat("b", "bcn", fee=Decimal("5"), currency="USD")]
    )
    assert totals == {"EUR": Decimal("10"), "USD": Decimal("5")}


def test_one_organisation_in_a_network_is_no_overlap():
    assert rules.shared_networks([seat("s1", "amb"), seat("s2", "bcn", network="uclg")], NAMES) == []


METROPOLIS = ("barcelona", "barcelona-metropolitan-area")


def effort(key, organisations, places=METROPOLIS, areas=("economic",)):
    names = tuple(p.replace("-", " ").title() for p in places)
    return Effort(RecordRef("initiatives", key, key), tuple(organisations), tuple(places), names, tuple(areas))


def test_efforts_of_two_organisations_on_one_area_for_one_territory_are_parallel():
    found = rules.parallel_efforts(
        [
            effort("bcn-brand", ["bcn"]),
            effort("amb-brand", ["amb"], places=METROPOLIS[1:]),
            effort("amb-retention", ["amb"], places=METROPOLIS[1:]),
        ],
        NAMES,
    )
    assert len(found) == 1
    finding = found[0]
    assert finding.rule == "efforts" and set(finding.organisations) == {"amb", "bcn"}
    assert "Barcelona Metropolitan Area" in finding.reason and "economic" in finding.reason
    assert {ref.key for ref in finding.records} == {"bcn-brand", "amb-brand", "amb-retention"}


def test_joint_efforts_other_areas_and_other_territories_are_not_parallel():
    joint = [effort("bcn-brand", ["bcn"]), effort("both", ["amb", "bcn"])]
    other_area = [effort("bcn-brand", ["bcn"]), effort("amb-water", ["amb"], areas=("water",))]
    elsewhere = [effort("bcn-brand", ["bcn"], places=("barcelona",)), effort("amb-x", ["amb"], places=("lyon",))]
    assert rules.parallel_efforts(joint, NAMES) == []
    assert rules.parallel_efforts(other_area, NAMES) == []
    assert rules.parallel_efforts(elsewhere, NAMES) == []


def agenda(key, areas=("Environment",), regions=("Americas",), cities=()):
    return Stakeholder(
        key,
        NAMES[key],
        policy_areas=areas,
        priority_regions=regions,
        priority_cities=cities,
        agenda=RecordRef("stakeholder-agendas", f"agenda-{key}", key),
    )


def test_shared_area_and_region_without_any_joint_record_is_a_synergy():
    found = rules.missed_synergies([agenda("amb"), agenda("bcn", cities=())], [], NAMES)
    assert len(found) == 1
    finding = found[0]
    assert finding.kind == "synergy" and set(finding.organisations) == {"amb", "bcn"}
    assert "Environment" in finding.reason and "Americas" in finding.reason
    assert {ref.key for ref in finding.records} == {"agenda-amb", "agenda-bcn"}


def test_shared_partner_cities_are_named_in_the_synergy():
    found = rules.missed_synergies(
        [agenda("amb", cities=("Montreal",)), agenda("bcn", cities=("Montreal",))], [], NAMES
    )
    assert "Montreal" in found[0].reason


def test_organisations_that_acted_together_or_differ_in_area_or_region_are_no_synergy():
    together = [Collaboration(RecordRef("engagements", "joint", "joint"), frozenset({"amb", "bcn", "port"}))]
    assert rules.missed_synergies([agenda("amb"), agenda("bcn")], together, NAMES) == []
    assert rules.missed_synergies([agenda("amb"), agenda("bcn", areas=("Culture",))], [], NAMES) == []
    assert rules.missed_synergies([agenda("amb"), agenda("bcn", regions=("Asia",))], [], NAMES) == []
    assert rules.missed_synergies([agenda("amb"), Stakeholder("bcn", "Barcelona City Council")], [], NAMES) == []


def test_every_finding_explains_itself_with_a_translatable_template_and_names_its_records():
    inputs = rules.CoordinationInputs(
        stakeholders=(agenda("amb"), agenda("bcn")),
        activities=(mission("a", ["amb"], date(2026, 5, 3)), mission("b", ["bcn"], date(2026, 5, 4))),
        ties=(tie("t1", "amb"), tie("t2", "bcn")),
        seats=(seat("s1", "amb"), seat("s2", "bcn")),
        efforts=(effort("e1", ["amb"]), effort("e2", ["bcn"])),
        names=NAMES,
    )
    found = rules.find_all(inputs)
    assert [f.rule for f in found] == ["missions", "partners", "networks", "efforts", "synergies"]
    for finding in found:
        assert finding.records and finding.reason == finding.template % finding.params
        assert "%(" not in finding.reason
    table = rules.findings_table(found)
    assert len(table.rows) == 5 and table.columns[-1] == "records"


def test_the_month_grid_places_a_multi_day_mission_on_each_of_its_days():
    trip = [mission("a", ["amb"], date(2026, 5, 30), date(2026, 6, 2))]
    may = {day.day: day for week in rules.month_grid(2026, 5, trip) for day in week}
    june = rules.month_grid(2026, 6, trip)
    days = {day.day: day for week in june for day in week}
    assert june[0][0].day.weekday() == 0
    assert [a.ref.key for a in may[date(2026, 5, 31)].activities] == ["a"]
    assert may[date(2026, 5, 29)].activities == ()
    assert days[date(2026, 6, 2)].activities and days[date(2026, 6, 3)].activities == ()
    assert days[date(2026, 7, 1)].in_month is False


def test_the_digest_lists_coming_engagements_overlaps_and_synergies_with_reasons():
    activities = [mission("soon", ["amb"], date(2026, 5, 5)), mission("later", ["bcn"], date(2026, 8, 1))]
    coming = rules.upcoming(activities, date(2026, 5, 1), 7)
    assert [a.ref.key for a in coming] == ["soon"]
    found = rules.missed_synergies([agenda("amb"), agenda("bcn")], [], NAMES)
    text = rules.digest_text("Barcelona", found, coming, NAMES)
    assert "soon" in text and "later" not in text
    assert "Overlaps (0)" in text and "Synergies (1)" in text and "stakeholder-agendas/agenda-amb" in text


def test_the_network_portfolio_reuses_the_role_scale_for_the_load_per_organisation():
    seats = [seat("s1", "amb", roles=("presidency",), fee=Decimal("100"), currency="EUR"), seat("s2", "bcn")]
    per_organisation = rules.per_organisation_table(seats, NAMES)
    rows = {row[0]: row for row in per_organisation.rows}
    assert rows["AMB"][-2] == 5 and rows["AMB"][-1] == "EUR 100"
    assert rows["Barcelona City Council"][-2] == 1
    per_network = rules.per_network_table(seats, NAMES)
    assert per_network.rows[0][:3] == ("Eurocities", 2, 5)
