"""Reads of the platform core shared by several pages."""

from django.db.models import Q, QuerySet

from chorus.models import Structure


def public_structures_search(query: str) -> QuerySet[Structure]:
    """Active public structures matching every word of `query` (the start of their SIRET or
    postcode, part of their name or city), by name: the directory and the portal's recipient
    suggestions find the same structures."""
    structures = Structure.objects.public().active()
    for term in query.split():
        structures = structures.filter(
            Q(identifier__startswith=term)
            | Q(legal_name__icontains=term)
            | Q(postcode__startswith=term)
            | Q(city__icontains=term)
        )
    return structures.order_by("legal_name", "identifier")
