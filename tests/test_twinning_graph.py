"""Twinning graph metrics on small graphs worked out by hand, the drawings, and the pure-Python baseline."""

import pytest

from metrodiplomacy.analysis import twinning_baseline as baseline
from metrodiplomacy.analysis.twinning import (
    City,
    TwinningGraph,
    centralities,
    components_table,
    countries_table,
    country_pairs,
    degree_distribution,
    ego_network,
    summary,
)
from metrodiplomacy.analysis.twinning_svg import ego_svg, place_labels, world_map_svg

CITIES = [
    City(1, "Avignon", "FR", 43.9, 4.8),
    City(2, "Brest", "FR", 48.4, -4.5),
    City(3, "Chemnitz", "DE", 50.8, 12.9),
    City(4, "Dresden", "DE", 51.0, 13.7),
    City(5, "Empoli", "IT", 43.7, 10.9),
    City(6, "Figueres <&>", "ES", 42.3, 2.9),
]
# A triangle Avignon–Brest–Chemnitz, Dresden hanging off Chemnitz, and a lone pair; a repeated and a self pair.
PAIRS = [(1, 2), (2, 3), (3, 1), (3, 4), (5, 6), (2, 1), (1, 1)]


@pytest.fixture
def graph():
    return TwinningGraph(CITIES, PAIRS)


def value(table, metric):
    return dict(table.rows)[metric]


def test_repeated_and_self_pairs_count_once_or_not_at_all(graph):
    assert graph.graph.ecount() == 5
    assert graph.degrees == [2, 2, 3, 1, 1, 1]


def test_summary_figures_match_the_hand_count(graph):
    table = summary(graph)
    assert value(table, "cities") == 6 and value(table, "twinning pairs") == 5
    assert value(table, "connected components") == 2
    assert value(table, "cities in the largest component") == 4
    assert value(table, "share of cities in the largest component") == pytest.approx(4 / 6, abs=1e-4)
    # One triangle, five connected triples (one at each of A and B, three at C): 3 × 1 / 5.
    assert value(table, "global clustering (transitivity)") == 0.6
    assert value(table, "mean degree") == pytest.approx(10 / 6, abs=1e-3)


def test_degree_distribution_counts_cities_per_number_of_twins(graph):
    assert degree_distribution(graph).rows == ((1, 3, 0.5, 1.0), (2, 2, 0.3333, 0.5), (3, 1, 0.1667, 0.1667))


def test_components_are_ranked_by_size_with_their_hub(graph):
    rows = components_table(graph).rows
    assert rows[0][:4] == (1, 4, 4, 0.6667) and rows[0][4] == "Chemnitz (DE)"
    assert rows[1][:3] == (2, 2, 1)


def test_betweenness_is_exact_on_small_graphs_and_normalised(graph):
    rows = {row[1]: row for row in centralities(graph).rows}
    # Chemnitz lies on the shortest paths Avignon–Dresden and Brest–Dresden: 2 / ((6-1)(6-2)/2) = 0.2.
    assert rows["Chemnitz"][4] == 0.2 and rows["Avignon"][4] == 0.0
    assert centralities(graph).rows[0][1] == "Chemnitz" and "exact" in centralities(graph).notes[0]


def test_a_star_is_perfectly_disassortative():
    star = TwinningGraph([City(i, f"c{i}") for i in range(5)], [(0, i) for i in range(1, 5)])
    assert value(summary(star), "degree assortativity") == -1.0


def test_the_ego_network_lists_twins_with_shared_partners(graph):
    table = ego_network(graph, graph.find("Chemnitz"))
    assert {row[0]: row[2:] for row in table.rows} == {"Avignon": (2, 1), "Brest": (2, 1), "Dresden": (1, 0)}
    assert "3 twins in 2 countries; 3 cities within two steps; local clustering 0.333" in table.notes[0]


def test_country_aggregation_counts_each_pair_once(graph):
    assert set(country_pairs(graph).rows) == {
        ("DE", "FR", 2, 0.4),
        ("FR", "FR", 1, 0.2),
        ("DE", "DE", 1, 0.2),
        ("ES", "IT", 1, 0.2),
    }
    assert "2 of 5 pairs join two cities of the same country" in country_pairs(graph).notes[0]
    by_country = {row[0]: row[1:] for row in countries_table(graph).rows}
    assert by_country["FR"] == (2, 3, 1, 1) and by_country["DE"] == (2, 3, 1, 1)


def test_the_world_map_draws_one_arc_per_pair_and_escapes_names(graph):
    svg = world_map_svg(graph, labels=6)
    assert svg.count("<path d='M") == 5 and "Figueres &lt;&amp;&gt;" in svg and "<&>" not in svg
    assert "5 of 5 twinning pairs drawn" in svg and svg.count("<polygon") > 100


def test_past_the_limit_only_the_best_connected_pairs_are_drawn(graph):
    svg = world_map_svg(graph, max_pairs=2)
    assert svg.count("<path d='M") == 2 and "2 of 5 twinning pairs drawn (those between the best-connected" in svg


def test_the_ego_drawing_shows_twins_and_the_pairs_among_them(graph):
    svg = ego_svg(graph, graph.find("Chemnitz"), labels=1)
    assert "3 twins in 2 countries, 1 pairs among them" in svg
    assert svg.count("<line") == 3 and "Avignon (FR)" in svg and "Dresden (DE)" not in svg


def test_a_long_twin_name_is_shortened_to_fit_the_drawings_margin():
    long_names = [
        City(1, "Hollókő (settlement of the postal-code list)", "HU", 48.0, 19.6),
        City(2, "Kalonda (settlement of the postal-code list)", "SK", 48.2, 19.7),
        City(3, "Llanfairpwllgwyngyllgogerychwyrndrobwllllantysiliogogogoch", "GB", 53.2, -4.2),
    ]
    svg = ego_svg(TwinningGraph(long_names, [(1, 2), (1, 3)]), 0)
    # The kind in brackets goes first, then the name is cut; the table beside the drawing keeps it whole.
    assert ">Kalonda (SK)</text>" in svg and "Kalonda (settlement" not in svg
    assert ">Llanfairpwllgwyngyll…</text>" in svg


def test_the_pure_python_baseline_agrees_with_igraph(graph):
    ids = [city.id for city in CITIES]
    neighbours = baseline.adjacency(len(ids), [(ids.index(a), ids.index(b)) for a, b in PAIRS])
    assert baseline.degrees(neighbours) == graph.degrees
    assert sorted(map(len, baseline.components(neighbours))) == sorted(graph.components().sizes())
    assert baseline.betweenness(neighbours) == pytest.approx(graph.graph.betweenness(directed=False))
    assert baseline.pagerank(neighbours) == pytest.approx(graph.graph.pagerank(directed=False), abs=1e-6)
    sampled = baseline.betweenness(neighbours, sources=range(6))
    assert sampled == pytest.approx(graph.graph.betweenness(directed=False))


def test_map_labels_never_cover_each_other_and_crowded_points_go_unlabelled():
    # Six cities a few pixels apart (as Paris, Brussels, Amsterdam… are on a world map), one far away.
    names = ["Paris (70)", "Brussels (40)", "Amsterdam (30)", "Lille (20)", "Ghent (18)", "Bruges (15)"]
    points = [((500 + 3 * n, 200 - 3 * n), name) for n, name in enumerate(names)]
    points.append(((100, 300), "Quito (12)"))
    placed = place_labels(points, wanted=7, width=1200, height=600)
    texts = [text for _x, _y, text, _anchor in placed]
    assert texts[0] == "Paris (70)" and "Quito (12)" in texts
    assert len(placed) < 7  # some of the crowded six found no free spot
    boxes = []
    for x, y, text, anchor in placed:
        width = 6 * len(text)
        left = x if anchor == "start" else x - width
        for other in boxes:
            assert not (left < other[1] and other[0] < left + width and y - 11 < other[3] and other[2] < y), text
        boxes.append((left, left + width, y - 11, y))


def test_a_label_is_never_placed_outside_the_map():
    placed = place_labels([((1195, 5), "Far east edge (3)")], wanted=1, width=1200, height=600)
    ((x, _y, _text, anchor),) = placed
    assert anchor == "end" and x < 1195
