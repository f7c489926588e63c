"""Factories of the suppliers app."""

import factory

from suppliers.models import JoinRequest
from tests.chorus.factories import StructureFactory, UserFactory


class JoinRequestFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = JoinRequest

    user = factory.SubFactory(UserFactory)
    structure = factory.SubFactory(StructureFactory)
