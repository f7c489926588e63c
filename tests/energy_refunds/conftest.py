import datetime
from dataclasses import dataclass
from decimal import Decimal

import pytest

from chorus.enums import Channel
from chorus.workflow import Actor
from energy_refunds import services
from energy_refunds.enums import Product
from tests.chorus.factories import MembershipFactory
from tests.energy_refunds.factories import (
    BeneficiaryFactory,
    DdfipFactory,
    FarmFactory,
    InstructionOfficeFactory,
)

GNR = Product.GNR


@pytest.fixture(autouse=True)
def _in_french():
    """Messages are read in French, whatever language a previous test left active."""
    from django.utils import translation

    with translation.override("fr"):
        yield


@dataclass
class World:
    ddfip: object
    other_ddfip: object
    beneficiary: object
    other_beneficiary: object
    farmer: object  # membership
    instructor: object  # membership
    other_farmer: object
    other_instructor: object

    @property
    def farm_actor(self) -> Actor:
        return Actor.member(self.farmer)

    @property
    def instructor_actor(self) -> Actor:
        return Actor.member(self.instructor)


def keep_2023_campaign_open() -> None:
    """The seeded 2023 campaign closes on 31 Dec 2026: the tests move its end a year past
    today so that they do not depend on the day they run."""
    from django.utils import timezone

    from energy_refunds.models import Campaign

    Campaign.objects.filter(year=2023).update(
        closes_on=timezone.localdate() + datetime.timedelta(days=365)
    )


@pytest.fixture
def world(db) -> World:
    keep_2023_campaign_open()
    ddfip = DdfipFactory(legal_name="DDFiP d'Indre-et-Loire", postcode="37000")
    other_ddfip = DdfipFactory(legal_name="DDFiP de Loir-et-Cher", postcode="41000")
    InstructionOfficeFactory(departement="37", structure=ddfip)
    InstructionOfficeFactory(departement="41", structure=other_ddfip)
    beneficiary = BeneficiaryFactory(structure=FarmFactory(legal_name="GAEC des Chênes"))
    other = BeneficiaryFactory(structure=FarmFactory(legal_name="EARL du Cher", postcode="41000"))
    return World(
        ddfip=ddfip,
        other_ddfip=other_ddfip,
        beneficiary=beneficiary,
        other_beneficiary=other,
        farmer=MembershipFactory(structure=beneficiary.structure),
        instructor=MembershipFactory(structure=ddfip),
        other_farmer=MembershipFactory(structure=other.structure),
        other_instructor=MembershipFactory(structure=other_ddfip),
    )


def line(number="F-1", product=GNR, quantity="10", delivery=datetime.date(2023, 3, 8), **extra):
    from energy_refunds.enums import PRODUCT_UNITS

    return {
        "supplier_name": "Coopérative du Lochois",
        "supplier_siret": "73282932000074",
        "number": number,
        "invoice_date": delivery,
        "delivery_date": delivery,
        "product": product,
        "quantity": Decimal(quantity),
        "unit": PRODUCT_UNITS[product],
        **extra,
    }


def draft(world: World, year=2023, lines=(), **options):
    request = services.refund_request_create(
        beneficiary=world.beneficiary, actor=world.farm_actor, year=year, **options
    )
    for data in lines:
        services.fuel_invoice_add(request=request, actor=world.farm_actor, **data)
    return request


def api_actor(account) -> Actor:
    return Actor.account(account, channel=Channel.API)
