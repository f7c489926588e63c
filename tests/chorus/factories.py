"""Factories of the platform core, shared by every app's tests.

Identifiers are generated with valid check digits (Luhn), as the models require.
"""

import factory

from chorus.enums import IdentifierType, PublicKind, Role
from chorus.identifiers import sample_siret
from chorus.models import (
    BankAccount,
    EngagementJuridique,
    Membership,
    Service,
    Structure,
    TechnicalAccount,
    User,
)

DEFAULT_PASSWORD = "Motdepasse-solide-2026"


valid_siret = sample_siret


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = User
        skip_postgeneration_save = True

    email = factory.Sequence(lambda n: f"personne{n}@exemple.fr")
    first_name = factory.Faker("first_name", locale="fr_FR")
    last_name = factory.Faker("last_name", locale="fr_FR")
    password = factory.PostGenerationMethodCall("set_password", DEFAULT_PASSWORD)

    @factory.post_generation
    def _save(obj, create, extracted, **kwargs):
        if create:
            obj.save()


class StructureFactory(factory.django.DjangoModelFactory):
    """A private supplier by default; `PublicStructureFactory` for a recipient."""

    class Meta:
        model = Structure

    is_public = False
    identifier_type = IdentifierType.SIRET
    identifier = factory.Sequence(lambda n: valid_siret(n + 1))
    legal_name = factory.Sequence(lambda n: f"Entreprise {n}")
    address_line = "1 rue de la République"
    postcode = "75001"
    city = "Paris"


class PublicStructureFactory(StructureFactory):
    is_public = True
    kind = PublicKind.COLLECTIVITE
    legal_name = factory.Sequence(lambda n: f"Commune {n}")
    identifier = factory.Sequence(lambda n: valid_siret(n + 50_000))


class ServiceFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Service

    structure = factory.SubFactory(PublicStructureFactory)
    code = factory.Sequence(lambda n: f"SERV{n:04d}")
    name = factory.Sequence(lambda n: f"Service {n}")


class MembershipFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Membership

    user = factory.SubFactory(UserFactory)
    structure = factory.SubFactory(StructureFactory)
    role = Role.GESTIONNAIRE_PRINCIPAL


class EngagementJuridiqueFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = EngagementJuridique

    structure = factory.SubFactory(PublicStructureFactory)
    number = factory.Sequence(lambda n: f"EJ{n:08d}")
    amount = 10000


class BankAccountFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = BankAccount

    structure = factory.SubFactory(StructureFactory)
    label = "Compte principal"
    holder = factory.SelfAttribute("structure.legal_name")
    iban = "FR7630006000011234567890189"
    bic = "AGRIFRPP"


class TechnicalAccountFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = TechnicalAccount
        skip_postgeneration_save = True

    login = factory.Sequence(lambda n: f"TECH_{n:05d}@cpro.fr")
    structure = factory.SubFactory(StructureFactory)
    password = factory.PostGenerationMethodCall("set_password", DEFAULT_PASSWORD)

    @factory.post_generation
    def _save(obj, create, extracted, **kwargs):
        if create:
            obj.save()
