"""Template filters of the staff UI: office-clock dates as dd/mm/yyyy HH:mm, labels of choices."""

from django import template
from django.utils import timezone
from django.utils.translation import gettext as _

register = template.Library()


@register.filter
def vndt(value):
    """``dd/mm/yyyy HH:mm`` on the office clock; empty for None."""
    if not value:
        return ""
    return timezone.localtime(value).strftime("%d/%m/%Y %H:%M")


@register.filter
def vntime(value):
    """``HH:mm`` on the office clock."""
    if not value:
        return ""
    return timezone.localtime(value).strftime("%H:%M")


@register.filter
def vndate(value):
    if not value:
        return ""
    if hasattr(value, "hour"):
        value = timezone.localtime(value)
    return value.strftime("%d/%m/%Y")


@register.filter
def label(value, choices):
    """The label of ``value`` in a TextChoices class."""
    try:
        return choices(value).label
    except ValueError:
        return value


@register.filter
def doc_kind(value):
    from procedures.models import DocumentKind

    try:
        return DocumentKind(value).label
    except ValueError:
        return value


@register.simple_tag
def page_url(query, number):
    return f"?{query}&page={number}" if query else f"?page={number}"


@register.filter
def yesno_vi(value):
    return _("yes") if value else _("no")
