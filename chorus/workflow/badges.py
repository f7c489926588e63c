"""Status badges: each status enum declares one tone per status, beside its codes."""

from collections.abc import Mapping

from django.db import models

# The DSFR badge tones (fr-badge--<tone>).
TONES = frozenset({"success", "error", "warning", "info", "new"})

_DECLARED: dict[str, tuple[type[models.TextChoices], Mapping[str, str]]] = {}


def declare_badges(statuses: type[models.TextChoices], tones: Mapping[str, str]) -> None:
    """Declares the badge tone of every status of an enum; a missing one is a bug at start-up."""
    missing = set(statuses.values) - set(tones)
    unknown = set(tones.values()) - TONES
    if missing or unknown:
        raise ValueError(f"{statuses.__name__}: no tone for {missing}, unknown tones {unknown}")
    _DECLARED[statuses.__name__] = (statuses, tones)


def badge(code: str, statuses: str | type[models.TextChoices]) -> dict[str, str]:
    """`{code, label, tone}` of a status code of the named (or given) enum."""
    name = statuses if isinstance(statuses, str) else statuses.__name__
    enum, tones = _DECLARED[name]
    if code not in enum.values:
        return {"code": code, "label": code, "tone": "info"}
    return {"code": code, "label": str(enum(code).label), "tone": tones[code]}
