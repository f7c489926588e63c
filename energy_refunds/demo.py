"""The demo world's energy refunds: the GAEC's profile and bank account, the DDFiP of
Indre-et-Loire with an instructor, two more farms, and requests at several statuses, one of
them with the advance paid the year before deducted.

Called from seed_demo after the structures and users exist. Idempotent: a request already
there (same beneficiary and year) is left as it is. Past campaigns are closed today, so the
2022 request is carried through its moves directly on the workflow core (as an import of
last year's file would), the 2023 ones through the services.
"""

import datetime
from decimal import Decimal

from django.core.files.base import ContentFile
from django.db import transaction
from weasyprint import HTML

from chorus.enums import IdentifierType, Role
from chorus.models import BankAccount, Membership, Structure, User
from chorus.workflow import Actor, history_start, status_transition
from energy_refunds import services
from energy_refunds.enums import BeneficiaryKind, RefundStatus
from energy_refunds.models import Beneficiary, FuelInvoice, InstructionOffice, RefundRequest
from invoices.demo import tasks_inline

S = RefundStatus
GAEC = "49811726600011"
DDFIP = "13001232100373"
CUMA = "77567144900012"
EARL = "83245190000027"
INSTRUCTOR_EMAIL = "julie.marchand@ddfip-indre-et-loire.example"
FARMS = [
    # SIRET, name, postcode, city, kind, IBAN, BIC, member e-mail, first name, last name
    (CUMA, "CUMA de la Brenne", "37600", "Loches", BeneficiaryKind.CUMA,
     "FR7614707000010000123456730", "CCBPFRPP", "louis.moreau@cuma-brenne.example", "Louis", "Moreau"),
    (EARL, "EARL du Val d'Indre", "37250", "Montbazon", BeneficiaryKind.SOCIETE_AGRICOLE,
     "FR7617806001230004567890197", "AGRIFRPP878", "anne.roussel@earl-val-indre.example", "Anne", "Roussel"),
]  # fmt: skip
COOP = ("Coopérative agricole du Lochois", "73282932000074")
GAZ = ("Gaz de la Touraine", "55210055400013")


def _user(email, first, last, password) -> User:
    user = User.objects.filter(email=email).first()
    if user is None:
        user = User(email=email, first_name=first, last_name=last)
        user.set_password(password)
        user.save()
    return user


def _member(email, first, last, structure, role, password) -> Membership:
    user = _user(email, first, last, password)
    membership, _created = Membership.objects.get_or_create(
        user=user, structure=structure, defaults={"role": role}
    )
    return membership


def _beneficiary(structure, kind, iban, bic) -> Beneficiary:
    account = BankAccount.objects.filter(structure=structure, iban=iban).first()
    if account is None:
        account = BankAccount(
            structure=structure,
            label="Compte principal",
            holder=structure.legal_name,
            iban=iban,
            bic=bic,
        )
        account.full_clean()
        account.save()
    beneficiary, _created = Beneficiary.objects.get_or_create(
        structure=structure, defaults={"kind": kind, "bank_account": account}
    )
    return beneficiary


_PDF = None


def _invoice_pdf() -> bytes:
    """A one-page copy of a fuel invoice, rendered once."""
    global _PDF
    if _PDF is None:
        _PDF = HTML(
            string="<h1>Facture de carburant (copie)</h1><p>Document de démonstration.</p>"
        ).write_pdf()
    return _PDF


def _lines(request, lines):
    for supplier, number, day, product, quantity in lines:
        invoice = FuelInvoice(
            request=request,
            beneficiary=request.beneficiary,
            supplier_name=supplier[0],
            supplier_siret=supplier[1],
            number=number,
            invoice_date=day,
            delivery_date=day,
            product=product,
            quantity=Decimal(quantity),
            unit={"GNR": "HL", "GN_COMBUSTIBLE": "MWH", "GN_CARBURANT": "MWH"}.get(
                product, "100KG"
            ),
        )
        invoice.pdf.save(f"{number}.pdf", ContentFile(_invoice_pdf()), save=False)
        invoice.save()


def _draft(beneficiary, actor, year, lines, **options) -> RefundRequest | None:
    if RefundRequest.objects.filter(beneficiary=beneficiary, year=year).exists():
        return None
    request = services.refund_request_create(
        beneficiary=beneficiary, actor=actor, year=year, **options
    )
    _lines(request, lines)
    return request


def _past_request(beneficiary, actor, instructor_actor) -> None:
    """The GAEC's 2022 request, paid with the advance on 2023 (décret 2024-76)."""
    if RefundRequest.objects.filter(beneficiary=beneficiary, year=2022).exists():
        return
    request = RefundRequest.objects.create(
        reference="TIC-2022-DEMO01",
        beneficiary=beneficiary,
        year=2022,
        instructor=services.instructor_for(beneficiary),
        bank_account=beneficiary.bank_account,
        advance_requested=True,
        advance_commitment=True,
        de_minimis_declared=True,
    )
    history_start(document=request, actor=actor)
    _lines(
        request,
        [
            (COOP, "CL-22-0412", datetime.date(2022, 3, 14), "GNR", "38"),
            (COOP, "CL-22-1187", datetime.date(2022, 9, 2), "GNR", "44.5"),
            (GAZ, "GT-22-0093", datetime.date(2022, 11, 20), "GN_COMBUSTIBLE", "61.2"),
        ],
    )
    status_transition(document=request, target=S.DEPOSEE, actor=actor)
    services.refund_request_take(request=request, actor=instructor_actor)
    services.refund_request_validate(request=request, actor=instructor_actor)
    services.refund_request_pay(request=request, actor=instructor_actor)
    services.refund_request_record_payment(
        request=request, actor=instructor_actor, payment_reference="DGFIP-TIC-2023-004512"
    )


def energy_refunds_demo_seed(password: str) -> list[tuple[str, str, str]]:
    """Seeds the refunds' demo world; returns the logins to print (e-mail, password, role)."""
    with transaction.atomic(), tasks_inline():
        ddfip = Structure.objects.get(identifier_type=IdentifierType.SIRET, identifier=DDFIP)
        InstructionOffice.objects.get_or_create(departement="37", defaults={"structure": ddfip})
        instructor = _member(
            INSTRUCTOR_EMAIL, "Julie", "Marchand", ddfip, Role.UTILISATEUR, password
        )
        instructor_actor = Actor.member(instructor)

        gaec = Structure.objects.get(identifier_type=IdentifierType.SIRET, identifier=GAEC)
        gaec_bank = gaec.bank_accounts.first()
        gaec_beneficiary = _beneficiary(
            gaec, BeneficiaryKind.SOCIETE_AGRICOLE, gaec_bank.iban, gaec_bank.bic
        )
        paul = Membership.objects.get(structure=gaec, role=Role.GESTIONNAIRE_PRINCIPAL)
        gaec_actor = Actor.member(paul)
        _past_request(gaec_beneficiary, gaec_actor, instructor_actor)
        request = _draft(
            gaec_beneficiary, gaec_actor, 2023,
            [(COOP, "CL-23-0320", datetime.date(2023, 3, 9), "GNR", "41"),
             (COOP, "CL-23-1054", datetime.date(2023, 8, 28), "GNR", "47.25"),
             (GAZ, "GT-23-0101", datetime.date(2023, 12, 4), "GN_COMBUSTIBLE", "58.4")],
            advance_requested=True, advance_commitment=True, de_minimis_declared=True,
        )  # fmt: skip
        if request is not None:
            services.refund_request_deposit(request=request, actor=gaec_actor)
            services.refund_request_take(request=request, actor=instructor_actor)
            services.refund_request_validate(request=request, actor=instructor_actor)

        logins = [(INSTRUCTOR_EMAIL, password, "instructeur DDFiP 37")]
        for siret, name, postcode, city, kind, iban, bic, email, first, last in FARMS:
            structure, _created = Structure.objects.get_or_create(
                identifier_type=IdentifierType.SIRET,
                identifier=siret,
                defaults={
                    "legal_name": name,
                    "postcode": postcode,
                    "city": city,
                    "address_line": "Le Bourg",
                },
            )
            membership = _member(
                email, first, last, structure, Role.GESTIONNAIRE_PRINCIPAL, password
            )
            beneficiary = _beneficiary(structure, kind, iban, bic)
            logins.append((email, password, f"bénéficiaire TIC {name}"))
            actor = Actor.member(membership)
            if siret == CUMA:
                request = _draft(
                    beneficiary, actor, 2023,
                    [(COOP, "CL-23-2210", datetime.date(2023, 5, 16), "GNR", "120"),
                     (COOP, "CL-23-2298", datetime.date(2023, 10, 3), "GNR", "96.4")],
                )  # fmt: skip
                if request is not None:
                    services.refund_request_deposit(request=request, actor=actor)
                    services.refund_request_take(request=request, actor=instructor_actor)
                    services.refund_request_suspend(
                        request=request,
                        actor=instructor_actor,
                        motive="TIC_PIECE_MANQUANTE",
                        comment="Joignez le relevé d'identité bancaire au nom de la CUMA.",
                    )
            else:
                request = _draft(
                    beneficiary, actor, 2023,
                    [(COOP, "CL-23-0877", datetime.date(2023, 6, 21), "GNR", "22.8")],
                )  # fmt: skip
                if request is not None:
                    services.refund_request_deposit(request=request, actor=actor)
        logins.append((paul.user.email, password, "bénéficiaire TIC GAEC des Trois Chênes"))
    return logins
