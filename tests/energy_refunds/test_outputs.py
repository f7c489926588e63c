"""The decision letter says what was decided, with the amounts the pages show."""

import io
from decimal import Decimal

import pytest
from pypdf import PdfReader

from energy_refunds import outputs, services
from tests.energy_refunds.conftest import draft, line

pytestmark = pytest.mark.django_db


def _text(pdf: bytes) -> str:
    text = " ".join(page.extract_text() for page in PdfReader(io.BytesIO(pdf)).pages)
    return " ".join(text.split())  # lines wrapped by the layout joined again


def _instructed(world, **options):
    request = draft(
        world,
        lines=[line("G1", quantity="88.25"), line("N1", product="GN_COMBUSTIBLE", quantity="58.4")],
        de_minimis_declared=True,
        **options,
    )
    services.refund_request_deposit(request=request, actor=world.farm_actor)
    services.refund_request_take(request=request, actor=world.instructor_actor)
    return request


def test_the_letter_of_a_validated_request_gives_each_product_and_the_advance(world):
    request = _instructed(world, advance_requested=True, advance_commitment=True)
    services.refund_request_validate(
        request=request,
        actor=world.instructor_actor,
        adjusted_amount=Decimal("1700.00"),
        reason="Livraison N1 en partie pour la maison d'habitation",
    )

    text = _text(outputs.decision_letter_pdf(request))

    assert "acceptée" in text
    assert request.reference in text
    for figure in ("1320,22", "457,27", "1777,49", "1700,00", "850,00", "2550,00"):
        assert figure in text, figure
    assert "maison d'habitation" in text


def test_the_letter_is_in_french_whatever_the_readers_language(world):
    from django.utils import translation

    request = _instructed(world)
    services.refund_request_validate(request=request, actor=world.instructor_actor)
    with translation.override("en"):
        text = _text(outputs.decision_letter_pdf(request))
    assert "Gazole non routier" in text and "Non-road" not in text


def test_the_letter_of_a_rejected_request_gives_the_motive(world):
    request = _instructed(world)
    services.refund_request_reject(
        request=request,
        actor=world.instructor_actor,
        motive="TIC_NON_ELIGIBLE",
        comment="Activité de paysagiste.",
    )

    text = _text(outputs.decision_letter_pdf(request))

    assert "rejetée" in text
    assert "Demandeur non éligible" in text and "Activité de paysagiste." in text
