"""Factories of the energy refunds: a farm with its profile, the DDFiP of its département."""

import datetime
from decimal import Decimal

import factory

from chorus.enums import PublicKind
from energy_refunds.enums import BeneficiaryKind, Product
from energy_refunds.models import Beneficiary, FuelInvoice, InstructionOffice, RefundRequest
from tests.chorus.factories import BankAccountFactory, PublicStructureFactory, StructureFactory


class DdfipFactory(PublicStructureFactory):
    kind = PublicKind.DDFIP
    legal_name = factory.Sequence(lambda n: f"DDFiP {n}")
    postcode = "37000"
    city = "Tours"


class InstructionOfficeFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = InstructionOffice
        django_get_or_create = ("departement",)

    departement = "37"
    structure = factory.SubFactory(DdfipFactory)


class FarmFactory(StructureFactory):
    legal_name = factory.Sequence(lambda n: f"GAEC {n}")
    postcode = "37460"
    city = "Montrésor"


class BeneficiaryFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Beneficiary

    structure = factory.SubFactory(FarmFactory)
    kind = BeneficiaryKind.SOCIETE_AGRICOLE
    bank_account = factory.SubFactory(
        BankAccountFactory, structure=factory.SelfAttribute("..structure")
    )


class RefundRequestFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = RefundRequest

    reference = factory.Sequence(lambda n: f"TIC-TEST-{n:06d}")
    beneficiary = factory.SubFactory(BeneficiaryFactory)
    year = 2023
    bank_account = factory.SelfAttribute("beneficiary.bank_account")


class FuelInvoiceFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = FuelInvoice

    request = factory.SubFactory(RefundRequestFactory)
    beneficiary = factory.SelfAttribute("request.beneficiary")
    supplier_name = "Coopérative agricole du Lochois"
    supplier_siret = "73282932000074"
    number = factory.Sequence(lambda n: f"F-{n:05d}")
    invoice_date = datetime.date(2023, 3, 10)
    delivery_date = datetime.date(2023, 3, 8)
    product = Product.GNR
    quantity = Decimal("10")
    unit = "HL"
