"""`{% bar_chart chart %}`: a chorus.charts.Chart as an SVG picture followed by its data table."""

from django import template

register = template.Library()


@register.inclusion_tag("components/chart.html")
def bar_chart(chart):
    return {"chart": chart, "drawing": None if chart.is_empty else chart.svg()}
