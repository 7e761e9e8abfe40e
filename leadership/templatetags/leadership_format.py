"""Number formats of the dashboard (Vietnamese separators through Django's localisation)."""

from django import template

from leadership import figures

register = template.Library()


@register.filter
def pct(value):
    """0.8125 → "81,3 %"; None → "–"."""
    return figures.percent(value)


@register.filter
def hrs(value):
    """Working hours with one decimal; None → "–"."""
    return figures.hours(value)
