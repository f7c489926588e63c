"""Builds the demo world: public recipients, suppliers, a user for every role, API clients,
and invoices at every status on both sides.

Idempotent: every object is looked up by its natural key and only written (and audited) when it
is missing or differs, so running the command twice leaves the same world.
"""

import json
from decimal import Decimal

from django.contrib.auth.hashers import check_password
from django.core.management.base import BaseCommand
from django.db import transaction
from oauth2_provider.models import Application

from chorus.enums import (
    Channel,
    EngagementStatus,
    IdentifierType,
    PublicKind,
    ReceptionChannel,
    Role,
)
from chorus.models import (
    BankAccount,
    EngagementJuridique,
    Membership,
    Service,
    Structure,
    TechnicalAccount,
    User,
)
from chorus.services import audit_record
from energy_refunds.demo import energy_refunds_demo_seed
from invoices.channels.backoffice.demo import DemoBulk, backoffice_demo_seed
from invoices.demo import DemoInvoice, Move, demo_invoices_seed, tasks_inline
from invoices.enums import DepositChannel
from invoices.enums import InvoiceStatus as S
from justice_fees.demo import demo_memoires_seed
from rejections.demo import demo_refused_deposits_seed

DEMO_PASSWORD = "Demo-Chorus-2026"
ADMIN_PASSWORD = "Admin-Chorus-2026"
ADMIN_ROLE = "administrateur"

# The demo credentials are public on purpose: they are printed by `seed_demo --json` and
# listed in the README. django-oauth-toolkit stores only a hash of the client secret.
API_CLIENT_ID = "demo-menuiserie-durand"
API_CLIENT_SECRET = "demo-secret-menuiserie-durand-2026"
TECHNICAL_LOGIN = "TECH_MENUISERIE_DURAND@cpro.fr"
TECHNICAL_PASSWORD = "Tech-Demo-Durand-2026"
RECIPIENT_TECHNICAL_LOGIN = "TECH_MONTRESOR@cpro.fr"
EDI_TECHNICAL_LOGIN = "TECH_LOGISTIQUE_VDL@cpro.fr"
HOSPITAL_TECHNICAL_LOGIN = "TECH_CH_VAL_DE_BRENNE@cpro.fr"

DRAC = "11004561400010"
COMMUNE = "21370184000018"
HOSPITAL = "26370043700019"
TRIBUNAL = "17500113000210"
DDFIP = "13001232100373"
SME = "81234567600025"
ETI = "39587612100041"
MICRO = "90214438500017"
INTERPRETER = "84409127200014"
FARM = "49811726600011"

PUBLIC_STRUCTURES = [
    {
        "identifier": DRAC,
        "legal_name": "Direction régionale des affaires culturelles Centre-Val de Loire",
        "kind": PublicKind.ETAT,
        "address_line": "6 rue de la Manufacture",
        "postcode": "45000",
        "city": "Orléans",
        "ej_required": True,
        "services": [
            ("DRAC-ACHATS", "Pôle achats et marchés publics", True),
            ("DRAC-PATRIMOINE", "Conservation régionale des monuments historiques", True),
        ],
        "ejs": [
            ("1300045678", "DRAC-ACHATS", "12500.00"),
            ("1300045679", "DRAC-PATRIMOINE", "48000.00"),
            ("1300045680", None, "3200.00"),
        ],
    },
    {
        "identifier": COMMUNE,
        "legal_name": "Commune de Montrésor-sur-Indre",
        "kind": PublicKind.COLLECTIVITE,
        "address_line": "Place de la Mairie",
        "postcode": "37460",
        "city": "Montrésor-sur-Indre",
        "service_code_required": True,
        "services": [
            ("FINANCES", "Direction des finances", False),
            ("TECHNIQUE", "Services techniques", False),
            ("ECOLES", "Affaires scolaires et périscolaires", False),
        ],
        "ejs": [("BC-2026-0042", "TECHNIQUE", "4800.00")],
    },
    {
        "identifier": HOSPITAL,
        "legal_name": "Centre hospitalier du Val de Brenne",
        "kind": PublicKind.ETABLISSEMENT_SANTE,
        "address_line": "2 boulevard Tonnellé",
        "postcode": "37000",
        "city": "Tours",
        "ej_or_service_code_required": True,
        "reception_channel": ReceptionChannel.EDI,
        # It also invoices other public structures (meals for the commune's schools).
        "vat_number": "FR72263700437",
        "bank": ("FR7610071370000000100000787", "TRPUFRP1"),
        "services": [
            ("PHARMACIE", "Pharmacie à usage intérieur", False),
            ("ACHATS-LOGISTIQUE", "Direction des achats et de la logistique", False),
        ],
        "ejs": [("CHVB-2026-000123", "PHARMACIE", "7350.00")],
    },
    {
        "identifier": TRIBUNAL,
        "legal_name": "Tribunal judiciaire de Brenne-sur-Loire",
        "kind": PublicKind.JURIDICTION,
        "address_line": "1 place du Palais",
        "postcode": "41000",
        "city": "Blois",
        "services": [("FRAIS-JUSTICE", "Service centralisateur des frais de justice", False)],
        "ejs": [],
    },
    {
        "identifier": DDFIP,
        "legal_name": "Direction départementale des finances publiques d'Indre-et-Loire",
        "kind": PublicKind.DDFIP,
        "address_line": "94 boulevard Béranger",
        "postcode": "37000",
        "city": "Tours",
        "service_code_required": True,
        "ej_required": True,
        "payment_status_not_reported": True,
        "services": [
            ("SFACT", "Service facturier", True),
            ("REMB-ENERGIE", "Remboursements de taxes énergétiques agricoles", False),
        ],
        "ejs": [("2100078901", "SFACT", "15000.00")],
    },
]

SUPPLIERS = [
    {
        "identifier": SME,
        "legal_name": "Menuiserie Durand SAS",
        "vat_number": "FR19812345676",
        "address_line": "14 rue des Artisans",
        "postcode": "37100",
        "city": "Tours",
        "email": "contact@menuiserie-durand.example",
        "bank": ("FR7630004008210001234567849", "BNPAFRPP"),
    },
    {
        "identifier": ETI,
        "legal_name": "Logistique Val de Loire SA",
        "vat_number": "FR48395876121",
        "address_line": "200 avenue des Droits de l'Homme",
        "postcode": "45000",
        "city": "Orléans",
        "email": "facturation@logistique-val-de-loire.example",
        "bank": ("FR7610278060210009876543258", "CMCIFR2A"),
    },
    {
        "identifier": MICRO,
        "legal_name": "Camille Martin Graphisme (EI)",
        "vat_number": "",
        "address_line": "3 impasse des Tilleuls",
        "postcode": "41000",
        "city": "Blois",
        "email": "camille@martin-graphisme.example",
        "bank": ("FR8120041010050500123K02241", "PSSTFRPP"),
    },
    {
        "identifier": INTERPRETER,
        "legal_name": "Olga Petrova, interprète-traductrice (EI)",
        "vat_number": "",
        "address_line": "27 quai de la Loire",
        "postcode": "41000",
        "city": "Blois",
        "email": "olga.petrova@interpretariat.example",
        "bank": ("FR7616706000500001122334434", "AGRIFRPP867"),
    },
    {
        "identifier": FARM,
        "legal_name": "GAEC des Trois Chênes",
        "vat_number": "FR74498117266",
        "address_line": "Lieu-dit La Gravelle",
        "postcode": "37460",
        "city": "Montrésor-sur-Indre",
        "email": "gaec.troischenes@agri.example",
        "bank": ("FR7611306000300005566778863", "AGRIFRPP813"),
    },
]

# (e-mail, first name, last name, structure, role, services handled)
MEMBERS = [
    ("claire.durand@menuiserie-durand.example", "Claire", "Durand", SME, Role.GESTIONNAIRE_PRINCIPAL, []),
    ("marc.lefevre@menuiserie-durand.example", "Marc", "Lefèvre", SME, Role.GESTIONNAIRE_SECONDAIRE, []),
    ("lea.moreau@menuiserie-durand.example", "Léa", "Moreau", SME, Role.UTILISATEUR, []),
    ("julien.bernard@logistique-val-de-loire.example", "Julien", "Bernard", ETI, Role.GESTIONNAIRE_PRINCIPAL, []),
    ("camille@martin-graphisme.example", "Camille", "Martin", MICRO, Role.GESTIONNAIRE_PRINCIPAL, []),
    ("olga.petrova@interpretariat.example", "Olga", "Petrova", INTERPRETER, Role.GESTIONNAIRE_PRINCIPAL, []),
    ("paul.girard@gaec-trois-chenes.example", "Paul", "Girard", FARM, Role.GESTIONNAIRE_PRINCIPAL, []),
    ("sophie.lambert@drac-centre.example", "Sophie", "Lambert", DRAC, Role.GESTIONNAIRE_PRINCIPAL, []),
    ("thomas.roux@drac-centre.example", "Thomas", "Roux", DRAC, Role.UTILISATEUR, ["DRAC-ACHATS"]),
    ("nadia.benali@montresor-sur-indre.example", "Nadia", "Benali", COMMUNE, Role.GESTIONNAIRE_PRINCIPAL, []),
    ("hugo.petit@montresor-sur-indre.example", "Hugo", "Petit", COMMUNE, Role.UTILISATEUR, ["FINANCES"]),
    ("isabelle.fontaine@ch-val-de-brenne.example", "Isabelle", "Fontaine", HOSPITAL, Role.GESTIONNAIRE_PRINCIPAL, []),
    ("antoine.mercier@tj-brenne-sur-loire.example", "Antoine", "Mercier", TRIBUNAL, Role.GESTIONNAIRE_PRINCIPAL, ["FRAIS-JUSTICE"]),
    ("lucie.perrin@tj-brenne-sur-loire.example", "Lucie", "Perrin", TRIBUNAL, Role.UTILISATEUR, ["FRAIS-JUSTICE"]),
    ("helene.marchand@tj-brenne-sur-loire.example", "Hélène", "Marchand", TRIBUNAL, Role.UTILISATEUR, []),
    ("elodie.garnier@ddfip-indre-et-loire.example", "Élodie", "Garnier", DDFIP, Role.GESTIONNAIRE_PRINCIPAL, []),
]  # fmt: skip
ADMIN_EMAIL = "admin@chorus-libre.example"
# Who reads their notifications once a day rather than at once.
DIGEST_READERS = {"hugo.petit@montresor-sur-indre.example"}

# The software of a supplier (deposits, follow-up) and of a recipient (processing, statuses),
# each with its OAuth client; and technical accounts for EDI exchanges.
API_CLIENTS = {
    "api": {
        "structure": SME,
        "name": "Logiciel de facturation de Menuiserie Durand (démo)",
        "client_id": API_CLIENT_ID,
        "client_secret": API_CLIENT_SECRET,
        "technical_login": TECHNICAL_LOGIN,
        "technical_password": TECHNICAL_PASSWORD,
    },
    "api_recipient": {
        "structure": COMMUNE,
        "name": "Logiciel financier de la commune de Montrésor-sur-Indre (démo)",
        "client_id": "demo-commune-montresor",
        "client_secret": "demo-secret-commune-montresor-2026",
        "technical_login": RECIPIENT_TECHNICAL_LOGIN,
        "technical_password": "Tech-Demo-Montresor-2026",
    },
    "edi_supplier": {
        "structure": ETI,
        "technical_login": EDI_TECHNICAL_LOGIN,
        "technical_password": "Tech-Demo-Logistique-2026",
    },
    "edi_recipient": {
        "structure": HOSPITAL,
        "technical_login": HOSPITAL_TECHNICAL_LOGIN,
        "technical_password": "Tech-Demo-Hopital-2026",
    },
}

CLAIRE = "claire.durand@menuiserie-durand.example"
HUGO = "hugo.petit@montresor-sur-indre.example"
NADIA = "nadia.benali@montresor-sur-indre.example"
SOPHIE = "sophie.lambert@drac-centre.example"
THOMAS = "thomas.roux@drac-centre.example"
ISABELLE = "isabelle.fontaine@ch-val-de-brenne.example"
ELODIE = "elodie.garnier@ddfip-indre-et-loire.example"
# The tribunal's agent of the service centralisateur and its certifying magistrate.
LUCIE = "lucie.perrin@tj-brenne-sur-loire.example"
HELENE = "helene.marchand@tj-brenne-sur-loire.example"
JOINERY = (
    ("Fourniture et pose de fenêtres en chêne double vitrage", "4", "C62", "685.00", "20"),
    ("Main-d'œuvre de dépose des anciennes menuiseries", "6", "HUR", "52.00", "20"),
)
JOINERY_CORRECTED = (
    ("Fourniture et pose de fenêtres en chêne double vitrage", "3", "C62", "685.00", "20"),
    ("Main-d'œuvre de dépose des anciennes menuiseries", "6", "HUR", "52.00", "20"),
)
REPAIRS = (("Réparation de portes de classe", "3", "C62", "240.00", "20"),)
TRANSPORT = (
    ("Transport de matériel médical sous température dirigée", "12", "C62", "145.00", "20"),
    ("Forfait de manutention", "1", "LS", "320.00", "20"),
)
MEALS = (("Repas livrés aux écoles (convention de restauration)", "1450", "C62", "3.80", "10"),)

# At every status, on both sides, through every deposit channel; one intra-public invoice.
# Most come through the supplier's software: rendering a portal invoice's PDF takes a while.
API = DepositChannel.API
DEMO_INVOICES = [
    DemoInvoice("FA-2026-0101", SME, COMMUNE, "TECHNIQUE", "BC-2026-0042", JOINERY, depositor=CLAIRE, days_ago=3),
    DemoInvoice("FA-2026-0102", SME, COMMUNE, "FINANCES", "", REPAIRS, channel=API, depositor=TECHNICAL_LOGIN, days_ago=12,
                moves=(Move(HUGO, S.SUSPENDUE, "JUSTIF_ABS", "Merci de joindre le procès-verbal de réception des travaux signé."),)),
    DemoInvoice("FA-2026-0103", SME, COMMUNE, "FINANCES", "", REPAIRS, channel=API, depositor=TECHNICAL_LOGIN, days_ago=20,
                moves=(Move(HUGO, S.SUSPENDUE, "JUSTIF_ABS", "Le bon de livraison manque."),
                       Move(CLAIRE, S.COMPLETEE, comment="Le bon de livraison signé par M. Petit est joint à ce message."))),
    DemoInvoice("FA-2026-0104", SME, COMMUNE, "FINANCES", "", JOINERY, channel=API, depositor=TECHNICAL_LOGIN, days_ago=15,
                moves=(Move(HUGO, S.A_RECYCLER, "CODE_ROUTAGE_ERR", "Ces travaux relèvent des services techniques : code service TECHNIQUE."),)),
    DemoInvoice("FA-2026-0105", SME, COMMUNE, "FINANCES", "", JOINERY, channel=API, depositor=TECHNICAL_LOGIN, days_ago=25,
                moves=(Move(NADIA, S.REJETEE, "MONTANTTOTAL_ERR", "Le devis accepté portait sur 3 fenêtres, la facture en compte 4."),)),
    # Its correction, keyed again from it on the portal ("corriger et renvoyer"): 3 windows.
    DemoInvoice("FA-2026-0109", SME, COMMUNE, "FINANCES", "", JOINERY_CORRECTED, depositor=CLAIRE, days_ago=6, replaces="FA-2026-0105"),
    DemoInvoice("FA-2026-0099", SME, COMMUNE, "FINANCES", "", REPAIRS, channel=API, depositor=TECHNICAL_LOGIN, days_ago=40,
                moves=(Move(HUGO, S.REJETEE, "DOUBLE_FACT", "Ces réparations ont déjà été facturées par la facture FA-2026-0087."),
                       Move(CLAIRE, S.REJETEE))),
    DemoInvoice("FA-2026-0106", SME, DRAC, "DRAC-ACHATS", "1300045678", JOINERY, channel=API, depositor=TECHNICAL_LOGIN, days_ago=18,
                moves=(Move(THOMAS, S.SERVICE_FAIT, comment="Pose constatée le 12."),)),
    DemoInvoice("FA-2026-0107", SME, DRAC, "DRAC-PATRIMOINE", "1300045679", JOINERY, channel=API, depositor=TECHNICAL_LOGIN, days_ago=28,
                moves=(Move(SOPHIE, S.SERVICE_FAIT), Move(SOPHIE, S.MANDATEE, mandate_number="2026-M-000451"))),
    DemoInvoice("FA-2026-0108", SME, COMMUNE, "TECHNIQUE", "BC-2026-0042", REPAIRS, channel=API, depositor=TECHNICAL_LOGIN, days_ago=45,
                moves=(Move(NADIA, S.SERVICE_FAIT), Move(NADIA, S.MANDATEE, mandate_number="M-2026-0077"),
                       Move(RECIPIENT_TECHNICAL_LOGIN, S.MISE_EN_PAIEMENT))),
    DemoInvoice("LVL-2026-5531", ETI, HOSPITAL, "PHARMACIE", "CHVB-2026-000123", TRANSPORT, channel=DepositChannel.EDI, depositor=EDI_TECHNICAL_LOGIN, days_ago=2),
    DemoInvoice("LVL-2026-5540", ETI, DRAC, "DRAC-ACHATS", "1300045680", TRANSPORT, channel=API, depositor=EDI_TECHNICAL_LOGIN, days_ago=5),
    DemoInvoice("CHVB-2026-0012", HOSPITAL, COMMUNE, "ECOLES", "", MEALS, depositor=ISABELLE, days_ago=8),
    # The DDFiP does not report payment statuses: its supplier is told so.
    DemoInvoice("LVL-2026-5550", ETI, DDFIP, "SFACT", "2100078901", TRANSPORT, channel=API, depositor=EDI_TECHNICAL_LOGIN, days_ago=9,
                moves=(Move(ELODIE, S.SUSPENDUE, "JUSTIF_ABS", "Joignez les lettres de voiture des douze transports."),)),
]  # fmt: skip


# The commune's finance department's day (the reception dashboard): invoices arrived this
# week, two waiting past the legal 30 days, and a morning's certifications done in bulk by
# Hugo, one refused (FA-2026-0102 is suspended).
BACKOFFICE_DEMO_INVOICES = [
    DemoInvoice("FA-2026-0110", SME, COMMUNE, "FINANCES", "", REPAIRS, channel=API, depositor=TECHNICAL_LOGIN, days_ago=2),
    DemoInvoice("FA-2026-0111", SME, COMMUNE, "FINANCES", "", REPAIRS, channel=API, depositor=TECHNICAL_LOGIN, days_ago=5),
    DemoInvoice("FA-2026-0112", SME, COMMUNE, "FINANCES", "", JOINERY, channel=API, depositor=TECHNICAL_LOGIN, days_ago=6),
    DemoInvoice("FA-2026-0113", SME, COMMUNE, "FINANCES", "", REPAIRS, channel=API, depositor=TECHNICAL_LOGIN, days_ago=33),
    DemoInvoice("FA-2026-0114", SME, COMMUNE, "FINANCES", "", JOINERY, channel=API, depositor=TECHNICAL_LOGIN, days_ago=38),
    DemoInvoice("LVL-2026-5560", ETI, COMMUNE, "FINANCES", "", TRANSPORT, channel=API, depositor=EDI_TECHNICAL_LOGIN, days_ago=0),
]  # fmt: skip
BACKOFFICE_DEMO_BULK = DemoBulk(
    by=HUGO,
    structure=COMMUNE,
    action="certify",
    numbers=("FA-2026-0110", "FA-2026-0111", "FA-2026-0112", "FA-2026-0102"),
    comment="Réparations constatées lors de la tournée du lundi.",
)


def _upsert(model, lookup: dict, values: dict, *, password: str | None = None):
    """Creates or updates one object by its natural key; writes and audits only on a change."""
    obj = model.objects.filter(**lookup).first()
    created = obj is None
    if created:
        obj = model(**lookup)
        changed = list(values)
    else:
        changed = [name for name, value in values.items() if getattr(obj, name) != value]
    for name, value in values.items():
        setattr(obj, name, value)
    if password is not None and (created or not obj.check_password(password)):
        obj.set_password(password)
        changed.append("password")
    obj.full_clean()
    if created or changed:
        obj.save()
        audit_record(
            actor=None,
            action=f"{model._meta.model_name}_seed_demo",
            target=obj,
            channel=Channel.SYSTEME,
            details={"created": created, "fields": [] if created else changed},
        )
    return obj


def _seed_public(spec: dict) -> Structure:
    values = {
        key: spec.get(key, default)
        for key, default in (
            ("legal_name", ""),
            ("kind", ""),
            ("address_line", ""),
            ("postcode", ""),
            ("city", ""),
            ("service_code_required", False),
            ("ej_required", False),
            ("ej_or_service_code_required", False),
            ("payment_status_not_reported", False),
            ("reception_channel", ReceptionChannel.PORTAIL),
            ("vat_number", ""),
        )
    }
    structure = _upsert(
        Structure,
        {"identifier_type": IdentifierType.SIRET, "identifier": spec["identifier"]},
        {"is_public": True, "active": True, **values},
    )
    for code, name, ej_required in spec["services"]:
        _upsert(
            Service,
            {"structure": structure, "code": code},
            {"name": name, "ej_required": ej_required, "active": True},
        )
    if "bank" in spec:
        _seed_bank_account(structure, *spec["bank"])
    for number, service_code, amount in spec["ejs"]:
        service = structure.services.get(code=service_code) if service_code else None
        _upsert(
            EngagementJuridique,
            {"structure": structure, "number": number},
            {"service": service, "amount": Decimal(amount), "status": EngagementStatus.OUVERT},
        )
    return structure


def _seed_supplier(spec: dict) -> Structure:
    structure = _upsert(
        Structure,
        {"identifier_type": IdentifierType.SIRET, "identifier": spec["identifier"]},
        {
            "is_public": False,
            "kind": "",
            "active": True,
            **{
                key: spec[key]
                for key in ("legal_name", "vat_number", "address_line", "postcode", "city", "email")
            },
        },
    )
    _seed_bank_account(structure, *spec["bank"])
    return structure


def _seed_bank_account(structure: Structure, iban: str, bic: str) -> None:
    _upsert(
        BankAccount,
        {"structure": structure, "iban": iban},
        {"label": "Compte principal", "holder": structure.legal_name, "bic": bic, "active": True},
    )


def _seed_members() -> None:
    for email, first_name, last_name, identifier, role, service_codes in MEMBERS:
        user = _upsert(
            User,
            {"email": email},
            {
                "first_name": first_name,
                "last_name": last_name,
                "is_active": True,
                "email_digest": email in DIGEST_READERS,
            },
            password=DEMO_PASSWORD,
        )
        structure = Structure.objects.get(identifier_type="SIRET", identifier=identifier)
        membership = _upsert(Membership, {"user": user, "structure": structure}, {"role": role})
        services = set(structure.services.filter(code__in=service_codes))
        if set(membership.services.all()) != services:
            membership.services.set(services)
            audit_record(
                actor=None,
                action="membership_services_seed_demo",
                target=membership,
                channel=Channel.SYSTEME,
                details={"services": sorted(service_codes)},
            )
    _upsert(
        User,
        {"email": ADMIN_EMAIL},
        {
            "first_name": "Alex",
            "last_name": "Administrateur",
            "is_staff": True,
            "is_superuser": True,
            "is_active": True,
        },
        password=ADMIN_PASSWORD,
    )


def _seed_api_client(client: dict) -> None:
    """A technical account and the OAuth client of the software that uses it."""
    structure = Structure.objects.get(identifier_type="SIRET", identifier=client["structure"])
    _upsert(
        TechnicalAccount,
        {"login": client["technical_login"]},
        {"structure": structure, "active": True},
        password=client["technical_password"],
    )
    if "client_id" not in client:
        return
    application = Application.objects.filter(client_id=client["client_id"]).first()
    wanted = {
        "name": client["name"],
        "client_type": Application.CLIENT_CONFIDENTIAL,
        "authorization_grant_type": Application.GRANT_CLIENT_CREDENTIALS,
        "hash_client_secret": True,
    }
    if (
        application is not None
        and all(getattr(application, name) == value for name, value in wanted.items())
        and check_password(client["client_secret"], application.client_secret)
    ):
        return
    created = application is None
    application = application or Application(client_id=client["client_id"])
    for name, value in wanted.items():
        setattr(application, name, value)
    # Saved in plain text here; the model hashes it on save.
    application.client_secret = client["client_secret"]
    application.save()
    audit_record(
        actor=None,
        action="application_seed_demo",
        target=application,
        channel=Channel.SYSTEME,
        structure=structure,
        details={"created": created},
    )


@transaction.atomic
def demo_world_seed() -> None:
    for spec in PUBLIC_STRUCTURES:
        _seed_public(spec)
    for spec in SUPPLIERS:
        _seed_supplier(spec)
    _seed_members()
    for client in API_CLIENTS.values():
        _seed_api_client(client)


def demo_world_describe() -> dict:
    """The demo world as read back from the database, credentials included."""
    structures = []
    for spec in [*PUBLIC_STRUCTURES, *SUPPLIERS]:
        structure = Structure.objects.get(identifier_type="SIRET", identifier=spec["identifier"])
        structures.append(
            {
                "identifier": structure.identifier,
                "identifier_type": structure.identifier_type,
                "name": structure.legal_name,
                "public": structure.is_public,
                "kind": structure.kind or None,
                "service_code_required": structure.service_code_required,
                "ej_required": structure.ej_required,
                "ej_or_service_code_required": structure.ej_or_service_code_required,
                "reception_channel": structure.reception_channel,
                "services": [
                    {"code": service.code, "name": service.name, "ej_required": service.ej_required}
                    for service in structure.services.order_by("code")
                ],
                "ejs": [
                    {"number": ej.number, "service": ej.service.code if ej.service else None}
                    for ej in structure.engagements.select_related("service").order_by("number")
                ],
                "bank_accounts": [
                    {"iban": account.iban, "bic": account.bic}
                    for account in structure.bank_accounts.order_by("iban")
                ],
            }
        )
    users = []
    for email, *_names, identifier, _role, _services in MEMBERS:
        membership = Membership.objects.select_related("structure").get(
            user__email=email, structure__identifier=identifier
        )
        users.append(
            {
                "email": email,
                "password": DEMO_PASSWORD,
                "role": membership.role,
                "structure": membership.structure.identifier,
                "public": membership.structure.is_public,
                "services": sorted(service.code for service in membership.services.all()),
            }
        )
    admin_user = User.objects.get(email=ADMIN_EMAIL)
    users.append(
        {
            "email": admin_user.email,
            "password": ADMIN_PASSWORD,
            "role": ADMIN_ROLE,
            "structure": None,
            "public": None,
            "services": [],
        }
    )
    return {
        "structures": structures,
        "users": users,
        **{key: _client_describe(API_CLIENTS[key]) for key in ("api", "api_recipient")},
    }


def _client_describe(client: dict) -> dict:
    technical = TechnicalAccount.objects.select_related("structure").get(
        login=client["technical_login"]
    )
    return {
        "client_id": client["client_id"],
        "client_secret": client["client_secret"],
        "technical_login": technical.login,
        "technical_password": client["technical_password"],
        "structure": technical.structure.identifier,
    }


class Command(BaseCommand):
    help = "Crée ou remet à jour le monde de démonstration (idempotent)."

    def add_arguments(self, parser):
        parser.add_argument(
            "--json",
            action="store_true",
            help="Affiche le monde de démonstration en JSON (identifiants et mots de passe).",
        )

    def handle(self, *args, **options):
        # Every notification the seed triggers goes to fictitious addresses: kept in memory,
        # so that the console (and `--json`) shows only the world.
        with tasks_inline():
            demo_world_seed()
            demo_invoices_seed(DEMO_INVOICES)
            demo_invoices_seed(BACKOFFICE_DEMO_INVOICES)
            backoffice_demo_seed(
                invoices=DEMO_INVOICES + BACKOFFICE_DEMO_INVOICES, bulk=BACKOFFICE_DEMO_BULK
            )
            demo_refused_deposits_seed(
                supplier=SME, recipient=COMMUNE, technical_login=TECHNICAL_LOGIN
            )
            demo_memoires_seed(
                tribunal=TRIBUNAL,
                interpreter=INTERPRETER,
                provider_email="olga.petrova@interpretariat.example",
                agent_email=LUCIE,
                magistrate_email=HELENE,
            )
            refund_logins = energy_refunds_demo_seed(DEMO_PASSWORD)
        world = demo_world_describe()
        if options["json"]:
            self.stdout.write(json.dumps(world, ensure_ascii=False, indent=2))
            return
        self.stdout.write(
            f"Monde de démonstration prêt : {len(world['structures'])} structures, "
            f"{len(world['users'])} comptes."
        )
        for user in world["users"]:
            self.stdout.write(
                f"  {user['email']:50} {user['password']:20} {user['role']} {user['structure'] or ''}"
            )
        self.stdout.write(
            f"  Frais de justice : agent {LUCIE}, magistrat {HELENE}, "
            f"interprète olga.petrova@interpretariat.example (mot de passe {DEMO_PASSWORD})"
        )
        self.stdout.write("Remboursements TIC (agriculteurs, DDFiP) :")
        for email, password, role in refund_logins:
            self.stdout.write(f"  {email:50} {password:20} {role}")
        for key, label in (("api", "API (fournisseur)"), ("api_recipient", "API (destinataire)")):
            api = world[key]
            self.stdout.write(
                f"  {label} : client_id={api['client_id']} client_secret={api['client_secret']} "
                f"compte technique={api['technical_login']} / {api['technical_password']}"
            )
