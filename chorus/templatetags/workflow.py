"""`{% status_badge document %}` or `{% status_badge code "EnumName" %}`: one fr-badge per
status, its tone declared beside the status enum (chorus.workflow.badges)."""

from django import template

from chorus.workflow import workflow_of
from chorus.workflow.badges import badge

register = template.Library()


@register.inclusion_tag("components/status_badge.html")
def status_badge(value, statuses=None):
    if statuses is None:  # a document of a workflow kind
        statuses = workflow_of(value).statuses
        value = value.status
    return badge(value, statuses)
