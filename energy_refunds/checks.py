"""The checks of a refund request, one function each. Each returns the message to show on
the field concerned, or None when the value passes; forms, services and the API call the
same functions (the field each one explains is named in `FUEL_INVOICE_CHECKS`)."""

import datetime
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from chorus.identifiers import normalise_siret
from energy_refunds.enums import PLAUSIBLE_MAXIMUM, PRODUCT_UNITS, Product, Unit
from energy_refunds.models import Campaign, FuelInvoice, Rate, RefundRequest


def _day(value: datetime.date) -> str:
    return date_format(value, "SHORT_DATE_FORMAT")


def delivery_date_check(delivery_date: datetime.date, year: int) -> str | None:
    """The delivery falls in the request's year (the refund follows the delivery date)."""
    if delivery_date.year != year:
        return _(
            "La livraison du %(date)s n'est pas de %(year)d : une demande ne porte que sur les "
            "livraisons de son année. Déclarez-la dans la demande de %(other)d."
        ) % {"date": _day(delivery_date), "year": year, "other": delivery_date.year}
    return None


def invoice_date_check(invoice_date: datetime.date) -> str | None:
    if invoice_date > timezone.localdate():
        return _("La date de facture ne peut pas être dans le futur.")
    return None


def campaign_open_check(year: int, today: datetime.date | None = None) -> str | None:
    """The campaign of the delivery year exists, has opened and has not closed for every
    product (each product's own deadline is product_deadline_check's)."""
    today = today or timezone.localdate()
    campaign = Campaign.objects.filter(year=year).first()
    if campaign is None:
        return _(
            "La campagne de remboursement des livraisons %(year)d n'est pas encore ouverte."
        ) % {"year": year}
    if today < campaign.opens_on:
        return _(
            "La campagne des livraisons %(year)d ouvre le %(date)s : revenez à cette date."
        ) % {"year": year, "date": _day(campaign.opens_on)}
    last = max([campaign.closes_on, *campaign.deadlines.values_list("closes_on", flat=True)])
    if today > last:
        return _(
            "La campagne des livraisons %(year)d est close depuis le %(date)s : plus aucun "
            "produit de cette année ne peut être demandé."
        ) % {"year": year, "date": _day(last)}
    return None


def product_deadline_check(
    year: int, product: str, today: datetime.date | None = None
) -> str | None:
    """The product's deadline in its campaign has not passed."""
    today = today or timezone.localdate()
    campaign = Campaign.objects.prefetch_related("deadlines").filter(year=year).first()
    if campaign is None:
        return None  # campaign_open_check explains it
    deadline = campaign.deadline(product)
    if today > deadline:
        return _(
            "La date limite de demande pour le produit « %(product)s » livré en %(year)d était "
            "le %(date)s."
        ) % {"product": Product(product).label, "year": year, "date": _day(deadline)}
    return None


def rate_published_check(year: int, product: str) -> str | None:
    if not Rate.objects.filter(year=year, product=product).exists():
        return _(
            "Le taux de remboursement du produit « %(product)s » livré en %(year)d n'est pas "
            "encore publié : ce produit ne peut pas être demandé pour l'instant."
        ) % {"product": Product(product).label, "year": year}
    return None


def supplier_siret_check(siret: str) -> str | None:
    try:
        normalise_siret(siret)
    except ValidationError as exc:
        return exc.messages[0]
    return None


def invoice_claimed_once_check(
    *, beneficiary_id: int, supplier_siret: str, number: str, exclude_pk: int | None = None
) -> str | None:
    """The same supplier invoice (supplier SIRET and number) is claimed once across all the
    beneficiary's requests."""
    try:
        supplier_siret = normalise_siret(supplier_siret)
    except ValidationError:
        return None  # supplier_siret_check explains it
    found = (
        FuelInvoice.objects.filter(
            beneficiary_id=beneficiary_id,
            supplier_siret=supplier_siret,
            number__iexact=number.strip(),
        )
        .exclude(pk=exclude_pk)
        .select_related("request")
        .first()
    )
    if found:
        return _(
            "La facture %(number)s de ce fournisseur est déjà déclarée dans la demande "
            "%(reference)s (livraisons %(year)d)."
        ) % {"number": number, "reference": found.request.reference, "year": found.request.year}
    return None


def quantity_check(quantity: Decimal) -> str | None:
    if quantity <= 0:
        return _(
            "La quantité doit être supérieure à zéro : saisissez la quantité livrée inscrite sur "
            "la facture."
        )
    return None


def quantity_warning(product: str, quantity: Decimal) -> str | None:
    """Not an error: a quantity unusual for one invoice, often litres typed for hectolitres."""
    maximum = PLAUSIBLE_MAXIMUM.get(product)
    if maximum is not None and quantity > maximum:
        return _(
            "%(quantity)s %(unit)s sur une seule facture, c'est inhabituel : vérifiez l'unité "
            "(la quantité se déclare en %(unit)s)."
        ) % {"quantity": quantity, "unit": Product(product).unit_label}
    return None


def unit_check(product: str, unit: str) -> str | None:
    """The quantity is declared in the unit of the product's rate."""
    expected = PRODUCT_UNITS[product]
    if unit != expected:
        given = Unit(unit).label if unit in Unit.values else unit
        return _("Le produit « %(product)s » se déclare en %(expected)s, pas en %(given)s.") % {
            "product": Product(product).label,
            "expected": Unit(expected).label,
            "given": given,
        }
    return None


def fuel_invoice_errors(
    *, request: RefundRequest, data: dict, exclude_pk: int | None = None
) -> dict[str, list[str]]:
    """Every check of one fuel invoice line, by field (`data` is a form's cleaned data:
    supplier_siret, number, invoice_date, delivery_date, product, quantity, unit)."""
    errors: dict[str, list[str]] = {}

    def add(field: str, message: str | None) -> None:
        if message:
            errors.setdefault(field, []).append(message)

    product = data.get("product")
    if data.get("supplier_siret"):
        add("supplier_siret", supplier_siret_check(data["supplier_siret"]))
        if data.get("number"):
            add(
                "number",
                invoice_claimed_once_check(
                    beneficiary_id=request.beneficiary_id,
                    supplier_siret=data["supplier_siret"],
                    number=data["number"],
                    exclude_pk=exclude_pk,
                ),
            )
    if data.get("delivery_date"):
        add("delivery_date", delivery_date_check(data["delivery_date"], request.year))
    if data.get("invoice_date"):
        add("invoice_date", invoice_date_check(data["invoice_date"]))
    if data.get("quantity") is not None:
        add("quantity", quantity_check(data["quantity"]))
    if product:
        add("product", rate_published_check(request.year, product))
        add("product", product_deadline_check(request.year, product))
        if data.get("unit"):
            add("unit", unit_check(product, data["unit"]))
    return errors


def deposit_errors(request: RefundRequest) -> dict[str, list[str]]:
    """What stops a request being deposited, by field of the request."""
    errors: dict[str, list[str]] = {}

    def add(field: str, message: str | None) -> None:
        if message:
            errors.setdefault(field, []).append(message)

    add("year", campaign_open_check(request.year))
    invoices = list(request.invoices.all())
    if not invoices:
        add("invoices", _("Ajoutez au moins une facture de carburant livré dans l'année."))
    products = {i.product for i in invoices}
    for product in sorted(products):
        add("invoices", rate_published_check(request.year, product))
        add("invoices", product_deadline_check(request.year, product))
    for invoice in invoices:
        add("invoices", delivery_date_check(invoice.delivery_date, request.year))
    if products & Product.needing_de_minimis() and not request.de_minimis_declared:
        add(
            "de_minimis_declared",
            _(
                "Le fioul lourd et le gaz naturel relèvent du régime de minimis : cochez la "
                "déclaration de minimis."
            ),
        )
    if request.advance_requested and not request.advance_commitment:
        add(
            "advance_commitment",
            _("Pour recevoir l'avance, prenez l'engagement de déposer la demande suivante."),
        )
    if request.bank_account_id is None:
        add("bank_account", _("Indiquez le compte bancaire (IBAN) du remboursement."))
    if request.instructor_id is None:
        add(
            "instructor",
            _(
                "Aucune DDFiP n'instruit les demandes de votre département : choisissez-en une "
                "dans votre profil."
            ),
        )
    return errors
