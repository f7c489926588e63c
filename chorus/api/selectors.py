"""Reads of the structures directory for the API, within what a technical account may see
(`chorus.access.structures_visible_to`: public structures, and the account's own).
"""

from django.db.models import QuerySet

from chorus.access import structures_visible_to
from chorus.models import Service, Structure, TechnicalAccount

STATUS_ACTIVE = "ACTIF"
STATUS_INACTIVE = "INACTIF"
KIND_PUBLIC = "PUBLIQUE"
KIND_PRIVATE = "PRIVEE"
STATUSES = [STATUS_ACTIVE, STATUS_INACTIVE]
KINDS = [KIND_PUBLIC, KIND_PRIVATE]


def structure_search(
    *, account: TechnicalAccount, criteria: dict, private_only: bool
) -> QuerySet[Structure]:
    """rechercherStructure: blank criteria are ignored (clients send every key)."""
    structures = structures_visible_to(account)
    if private_only:
        structures = structures.filter(is_public=False)
    if identifier := criteria.get("identifiantStructure"):
        structures = structures.filter(identifier=identifier.replace(" ", ""))
    if identifier_type := criteria.get("typeIdentifiantStructure"):
        structures = structures.filter(identifier_type=identifier_type)
    for key in ("raisonSocialeStructure", "libelleStructure"):
        if name := criteria.get(key):
            structures = structures.filter(legal_name__icontains=name.strip())
    if postcode := criteria.get("adresseCodePostal"):
        structures = structures.filter(postcode=postcode.strip())
    if city := criteria.get("adresseVille"):
        structures = structures.filter(city__icontains=city.strip())
    if country := criteria.get("adresseCodePays"):
        structures = structures.filter(country_code__iexact=country.strip())
    if status := criteria.get("statutStructure"):
        structures = structures.filter(active=status == STATUS_ACTIVE)
    if kind := criteria.get("typeStructure"):
        structures = structures.filter(is_public=kind == KIND_PUBLIC)
    return structures


def structure_visible(*, account: TechnicalAccount, structure_id: int) -> Structure | None:
    return structures_visible_to(account).filter(pk=structure_id).first()


def services_of(structure: Structure) -> QuerySet[Service]:
    return Service.objects.filter(structure=structure)
