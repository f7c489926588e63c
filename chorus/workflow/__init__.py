"""One workflow core for every document kind (invoices, flows, mémoires, refund requests).

A kind declares its statuses (a TextChoices enum with a badge tone each), a table of
transitions and a history model; `status_transition` is the one way any caller moves a
document, and `available_transitions` tells what an actor may do now.
"""

from chorus.workflow.core import (
    SYSTEM,
    Actor,
    Transition,
    TransitionRefused,
    Workflow,
    available_transitions,
    history_start,
    register,
    status_transition,
    workflow_of,
)

__all__ = [
    "SYSTEM",
    "Actor",
    "Transition",
    "TransitionRefused",
    "Workflow",
    "available_transitions",
    "history_start",
    "register",
    "status_transition",
    "workflow_of",
]
