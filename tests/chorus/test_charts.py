import re

from django.template import Context, Template

from chorus.charts import Chart, Reference, Series, _ticks


def render(chart):
    return Template("{% load charts %}{% bar_chart chart %}").render(Context({"chart": chart}))


def test_ticks_are_round_and_cover_the_top():
    assert _ticks(0) == [0, 1]
    assert _ticks(7) == [0, 2, 4, 6, 8]
    assert _ticks(95) == [0, 50, 100]
    assert _ticks(1200) == [0, 500, 1000, 1500]
    assert _ticks(30) == [0, 10, 20, 30]


def test_bars_scale_to_the_largest_value_and_the_reference_line():
    chart = Chart(
        title="Délai",
        labels=["janv.", "févr."],
        series=[Series("Délai moyen", [15, 45])],
        reference=Reference(30, "30 jours"),
    )
    drawing = chart.svg()
    short, tall = drawing["bars"]
    assert tall["height"] == 3 * short["height"]
    assert drawing["reference"]["y"] > tall["y"]  # 30 is drawn below 45


def test_chart_is_drawn_with_its_data_table_and_no_inline_style():
    html = render(
        Chart(title="Rejets", labels=["A", "B"], series=[Series("Rejets", [3, 0])], unit="factures")
    )
    assert "<svg" in html and 'role="img"' in html
    assert "<caption>Rejets (factures)</caption>" in html
    assert "style=" not in html and "<style" not in html


def test_empty_chart_shows_only_the_table_saying_so():
    html = render(Chart(title="Rejets", labels=[], series=[Series("Rejets", [])]))
    assert "<svg" not in html
    assert "Aucune donnée" in html


def test_coordinates_stay_numbers_in_french():
    """SVG reads "12,5" as two coordinates: the drawing is never localised."""
    from django.utils import translation

    chart = Chart(title="Délai", labels=["a", "b", "c"], series=[Series("Délai", [1.5, 7, 3])])
    with translation.override("fr"):
        html = render(chart)
    coordinates = re.findall(r'\s(?:x|y|width|height|x1|x2|y1|y2)="([^"]*)"', html)
    assert coordinates and all("," not in value for value in coordinates)
