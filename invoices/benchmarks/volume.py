"""Invoices in bulk for measuring the back office at volume (`seed_volume`, `bench_backoffice`).

The world: one large recipient (a hospital group with 40 services) that receives 60 % of the
invoices, nine smaller public structures, suppliers in proportion to the volume (a few big ones,
many small ones), two agents of the large recipient (a manager, and an agent of three services).
All named "(données de mesure)" and found again by their fixed SIRETs: running the seed again
adds invoices to the same world, never another one.

Each invoice is a real canonical document (a valid JSON the invoice page reads), deposited on a
day of the last year (peaks on each month's first week and in December), and has moved since as
invoices do: made available, then certified, mandated and paid after realistic delays, or
suspended (then mostly completed), sent back or rejected; its status is the last move whose day
has come, and each move is a history row. Rows go in by COPY on PostgreSQL (executemany
elsewhere, for tests), in batches of one transaction each; the counts per recipient, service and
status are rebuilt at the end (invoices.counts).
"""

import datetime
import hashlib
import json
import random
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from decimal import Decimal

from django.db import connection, transaction
from django.utils import timezone

from chorus.enums import PublicKind, Role
from chorus.models import Membership, Service, Structure, User
from invoices.counts import invoice_counts_rebuild
from invoices.enums import INVOICE_LIFECYCLE_CODES, DepositChannel, InvoiceRole, InvoiceStatus
from invoices.models import Invoice, InvoiceStatusChange, ReceivedFile
from invoices.samples import french_invoice, french_vat_number, sample_siret

S = InvoiceStatus
LARGE_SIRET = sample_siret(700001)
OTHER_RECIPIENTS = [sample_siret(700002 + i) for i in range(9)]
MANAGER_EMAIL = "gestionnaire.volume@chu-mesure.example.org"
AGENT_EMAIL = "agent.volume@chu-mesure.example.org"
LARGE_SHARE = 0.6
BATCH = 20_000
TEMPLATES = 300

_TRADES = [
    "Menuiserie",
    "Plomberie",
    "Électricité",
    "Pharmacie",
    "Transports",
    "Restauration",
    "Nettoyage",
    "Informatique",
    "Imprimerie",
    "Fournitures",
    "Laboratoire",
    "Maintenance",
    "Sécurité",
    "Blanchisserie",
    "Travaux publics",
    "Conseil",
    "Ambulances",
    "Espaces verts",
]
_NAMES = [
    "Martin",
    "Bernard",
    "Durand",
    "Petit",
    "Robert",
    "Richard",
    "Moreau",
    "Simon",
    "Laurent",
    "Lefebvre",
    "Michel",
    "Garcia",
    "David",
    "Bertrand",
    "Roux",
    "Vincent",
    "Fournier",
    "Morel",
    "Girard",
    "André",
    "Mercier",
    "Dupont",
    "Lambert",
    "Bonnet",
    "François",
    "Martinez",
]
_FORMS = ["SARL", "SAS", "SA", "EURL", "& Fils", "Services", "Distribution"]
_SERVICES = [
    ("PHARMA", "Pharmacie"),
    ("BIOMED", "Ingénierie biomédicale"),
    ("RESTAU", "Restauration"),
    ("TECH", "Services techniques"),
    ("INFO", "Système d'information"),
    ("LOGIST", "Logistique"),
    ("BLANCH", "Blanchisserie"),
    ("ACHATS", "Achats"),
    ("TRAVAUX", "Travaux"),
    ("LABO", "Laboratoire"),
]
_LINES = [
    ("Consommables médicaux", "S", "20"),
    ("Repas servis", "S", "10"),
    ("Maintenance des équipements", "S", "20"),
    ("Médicaments", "S", "5.5"),
    ("Prestations de transport", "S", "10"),
    ("Fournitures de bureau", "S", "20"),
    ("Formation professionnelle", "E", "0"),
    ("Travaux de réparation", "S", "20"),
]


@dataclass
class World:
    large: Structure
    recipients: list[Structure]  # the large one first
    services: dict[int, list[Service]]  # by recipient id
    suppliers: list[Structure]
    manager: Membership
    agent: Membership


def world_build(*, suppliers: int) -> World:
    """The structures, services and agents of the measure, created once, added to as needed."""
    large = _public(LARGE_SIRET, "Groupe hospitalier de mesure (données de mesure)")
    others = [
        _public(siret, f"Établissement public de mesure n° {i + 2} (données de mesure)")
        for i, siret in enumerate(OTHER_RECIPIENTS)
    ]
    services = {large.pk: _services(large, 40)}
    for other in others:
        services[other.pk] = _services(other, 5)
    wanted = [(sample_siret(800000 + i), i) for i in range(suppliers)]
    found = set(
        Structure.objects.filter(identifier__in=[siret for siret, _ in wanted]).values_list(
            "identifier", flat=True
        )
    )
    missing = [
        Structure(
            identifier=siret,
            legal_name=_supplier_name(i),
            vat_number=french_vat_number(siret[:9]),
            city="Lyon",
            postcode="69001",
        )
        for siret, i in wanted
        if siret not in found
    ]
    Structure.objects.bulk_create(missing, batch_size=2000)
    by_siret = {
        s.identifier: s for s in Structure.objects.filter(identifier__in=[w for w, _ in wanted])
    }
    manager = _member(MANAGER_EMAIL, large, Role.GESTIONNAIRE_PRINCIPAL)
    agent = _member(AGENT_EMAIL, large, Role.UTILISATEUR)
    agent.services.set(services[large.pk][:3])
    return World(
        large=large,
        recipients=[large, *others],
        services=services,
        suppliers=[by_siret[siret] for siret, _ in wanted],
        manager=manager,
        agent=agent,
    )


def _supplier_name(i: int) -> str:
    rng = random.Random(i)
    return f"{rng.choice(_TRADES)} {rng.choice(_NAMES)} {rng.choice(_FORMS)} {i:05d}"


def _public(siret: str, name: str) -> Structure:
    structure, _created = Structure.objects.get_or_create(
        identifier=siret,
        defaults={
            "legal_name": name,
            "is_public": True,
            "kind": PublicKind.ETABLISSEMENT_SANTE,
            "city": "Rennes",
            "postcode": "35000",
        },
    )
    return structure


def _services(structure: Structure, count: int) -> list[Service]:
    for i in range(count):
        code, name = _SERVICES[i % len(_SERVICES)]
        Service.objects.get_or_create(
            structure=structure,
            code=f"{code}{i // len(_SERVICES) + 1:02d}",
            defaults={"name": f"{name} {i // len(_SERVICES) + 1}"},
        )
    return list(structure.services.order_by("code"))


def _member(email: str, structure: Structure, role: str) -> Membership:
    user, created = User.objects.get_or_create(email=email, defaults={"first_name": "Mesure"})
    if created:
        user.set_unusable_password()
        user.save(update_fields=["password"])
    membership, _created = Membership.objects.get_or_create(
        user=user, structure=structure, defaults={"role": role}
    )
    return membership


@dataclass
class Template:
    """A canonical document as JSON text, with the placeholders of what varies per invoice."""

    json: str
    total_without_vat: Decimal
    total_with_vat: Decimal
    amount_due: Decimal
    has_attachments: bool


_SELLER, _BUYER = sample_siret(999991), sample_siret(999992)


def _templates(rng: random.Random) -> list[Template]:
    templates = []
    for _i in range(TEMPLATES):
        lines = []
        for _n in range(rng.choice((1, 1, 2, 2, 3, 5))):
            name, category, rate = rng.choice(_LINES)
            quantity = str(rng.choice((1, 1, 2, 3, 5, 10, 12, 24, 50)))
            price = f"{rng.lognormvariate(5, 1.2):.2f}"
            lines.append((name, quantity, price, category, rate))
        document = french_invoice(
            number="@NUMBER@",
            issue_date=datetime.date(2001, 2, 3),
            seller_siret=_SELLER,
            seller_name="@SELLER_NAME@",
            buyer_siret=_BUYER,
            buyer_name="@BUYER_NAME@",
            service_code="@SERVICE@",
            engagement="@EJ@",
            lines=tuple(lines),
        )
        document.due_date = datetime.date(2001, 3, 5)
        data = _compact(document.to_dict())
        text = (
            json.dumps(data, ensure_ascii=False)
            .replace(french_vat_number(_SELLER[:9]), "@SELLER_VAT@")
            .replace(french_vat_number(_BUYER[:9]), "@BUYER_VAT@")
            .replace(_SELLER, "@SELLER@")
            .replace(_SELLER[:9], "@SELLER_SIREN@")
            .replace(_BUYER, "@BUYER@")
            .replace(_BUYER[:9], "@BUYER_SIREN@")
            .replace("2001-02-03", "@ISSUE@")
            .replace("2001-03-05", "@DUE@")
        )
        totals = document.totals
        templates.append(
            Template(
                text,
                totals.tax_exclusive_amount,
                totals.tax_inclusive_amount,
                totals.amount_due,
                bool(document.attachments),
            )
        )
    return templates


def _compact(value):
    if isinstance(value, dict):
        return {k: _compact(v) for k, v in value.items() if v not in (None, [], {})}
    if isinstance(value, list):
        return [_compact(v) for v in value]
    return value


def _fill(template: str, values: dict[str, str]) -> str:
    for name, value in values.items():
        template = template.replace(f"@{name}@", value)
    return template


@dataclass
class Move:
    at: datetime.datetime
    source: str
    target: str
    action: str
    role: str
    motive: str = ""
    comment: str = ""
    mandate_number: str = ""


def _life(rng: random.Random, deposited: datetime.datetime, now: datetime.datetime) -> list[Move]:
    """The moves of one invoice deposited at `deposited`, up to `now`."""
    system, recipient, supplier = "SYSTEME", InvoiceRole.DESTINATAIRE, InvoiceRole.FOURNISSEUR
    moves = [Move(deposited, "", S.DEPOSEE, "create", supplier)]
    at = deposited + datetime.timedelta(minutes=rng.randint(1, 30))
    plan = [(at, S.MISE_A_DISPOSITION, "make_available", system, "")]
    day = datetime.timedelta(days=1)
    at += day * rng.uniform(1, 12)
    fate = rng.random()
    if fate < 0.02:
        plan.append((at, S.REJETEE, "reject", recipient, "MONTANTTOTAL_ERR"))
    elif fate < 0.03:
        plan.append((at, S.A_RECYCLER, "send_back", recipient, "CODE_ROUTAGE_ERR"))
    else:
        if fate < 0.08:
            plan.append((at, S.SUSPENDUE, "suspend", recipient, "JUSTIF_ABS"))
            at += day * rng.uniform(2, 20)
            if rng.random() < 0.2:
                at = now + day * 365  # the supplier has not answered yet
            plan.append((at, S.COMPLETEE, "complete", supplier, ""))
            at += day * rng.uniform(1, 6)
        plan.append((at, S.SERVICE_FAIT, "certify", recipient, ""))
        at += day * rng.uniform(2, 10)
        plan.append((at, S.MANDATEE, "mandate", recipient, ""))
        at += day * rng.uniform(4, 15)
        plan.append((at, S.MISE_EN_PAIEMENT, "pay", recipient, ""))
    current = S.DEPOSEE
    for at, target, action, role, motive in plan:
        if at > now:
            break
        moves.append(
            Move(
                at,
                current,
                target,
                action,
                role,
                motive=motive,
                comment="Pièce justificative attendue." if motive == "JUSTIF_ABS" else "",
                mandate_number=f"M{rng.randint(100000, 999999)}" if target == S.MANDATEE else "",
            )
        )
        current = target
    return moves


def _deposit_days(rng: random.Random, today: datetime.date) -> tuple[list, list]:
    """The last year's days and their weights: working days, each month's first week twice
    as busy, December a third more."""
    days, weights = [], []
    for back in range(365):
        day = today - datetime.timedelta(days=back)
        weight = 0.15 if day.weekday() >= 5 else 1.0
        if day.day <= 7:
            weight *= 2
        if day.month == 12:
            weight *= 1.3
        days.append(day)
        weights.append(weight)
    return days, weights


def _reserve_ids(model, count: int) -> int:
    """The first of `count` ids taken for `model` (its sequence moved past them)."""
    table = model._meta.db_table
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute(
                "SELECT setval(pg_get_serial_sequence(%s, 'id'), "
                "nextval(pg_get_serial_sequence(%s, 'id')) + %s - 1)",
                [table, table, count],
            )
            return cursor.fetchone()[0] - count + 1
        cursor.execute(f"SELECT COALESCE(MAX(id), 0) FROM {connection.ops.quote_name(table)}")
        return cursor.fetchone()[0] + 1


def _copy(model, columns: list[str], rows: list[tuple]) -> None:
    table = connection.ops.quote_name(model._meta.db_table)
    names = ", ".join(connection.ops.quote_name(c) for c in columns)
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            with cursor.cursor.copy(f"COPY {table} ({names}) FROM STDIN") as copy:
                for row in rows:
                    copy.write_row(row)
        else:
            marks = ", ".join(["%s"] * len(columns))
            cursor.executemany(f"INSERT INTO {table} ({names}) VALUES ({marks})", rows)


def _when(value: datetime.datetime) -> str | datetime.datetime:
    if connection.vendor == "postgresql":
        return value
    return value.astimezone(datetime.UTC).replace(tzinfo=None).isoformat(" ")


_RECEIVED_COLUMNS = ["id", "file", "filename", "content_type", "size", "sha256", "created_at"]
_INVOICE_COLUMNS = [
    "id",
    "supplier_id",
    "recipient_id",
    "service_id",
    "number",
    "type_code",
    "issue_date",
    "issue_year",
    "currency",
    "seller_identifier",
    "buyer_identifier",
    "buyer_reference",
    "order_reference",
    "total_without_vat",
    "total_with_vat",
    "amount_due",
    "supplier_name",
    "due_date",
    "has_attachments",
    "channel",
    "syntax",
    "profile",
    "document",
    "status",
    "status_at",
    "received_file_id",
    "created_at",
]
_HISTORY_COLUMNS = [
    "invoice_id",
    "at",
    "source",
    "target",
    "action",
    "actor_label",
    "actor_role",
    "structure_id",
    "channel",
    "motive",
    "comment",
    "lifecycle_code",
    "mandate_number",
    "lines",
]


def seed_volume(
    *, invoices: int, seed: int | None = None, progress: Callable[[int], None] = lambda n: None
) -> World:
    """Adds `invoices` invoices to the measure's world (built first when needed)."""
    rng = random.Random(seed)
    world = world_build(suppliers=max(50, min(5000, invoices // 200)))
    templates = _templates(rng)
    now = timezone.now()
    days, weights = _deposit_days(rng, timezone.localdate(now))
    run = f"{now:%y%m%d%H%M%S}{rng.randint(0, 99):02d}"
    others = world.recipients[1:]
    # Big suppliers and small ones: the n-th takes a share in 1/n.
    supplier_weights = [1 / (n + 1) for n in range(len(world.suppliers))]
    done = 0
    while done < invoices:
        size = min(BATCH, invoices - done)
        with transaction.atomic():
            _batch(
                world, rng, templates, days, weights, supplier_weights, others, run, done, size, now
            )
        done += size
        progress(done)
    invoice_counts_rebuild(recipient_ids=[r.pk for r in world.recipients])
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            for model in (Invoice, InvoiceStatusChange, ReceivedFile, Structure):
                cursor.execute(f"ANALYZE {connection.ops.quote_name(model._meta.db_table)}")
    return world


def _batch(world, rng, templates, days, weights, supplier_weights, others, run, start, size, now):
    first_file = _reserve_ids(ReceivedFile, size)
    first_invoice = _reserve_ids(Invoice, size)
    suppliers = rng.choices(world.suppliers, weights=supplier_weights, k=size)
    deposit_days = rng.choices(days, weights=weights, k=size)
    received, rows, history = [], [], []
    channels = [DepositChannel.PORTAIL] * 3 + [DepositChannel.API] * 4 + [DepositChannel.EDI] * 3
    for i in range(size):
        supplier = suppliers[i]
        recipient = world.large if rng.random() < LARGE_SHARE else rng.choice(others)
        service = rng.choice(world.services[recipient.pk])
        template = rng.choice(templates)
        deposited = datetime.datetime.combine(
            deposit_days[i],
            datetime.time(rng.randint(7, 19), rng.randint(0, 59), rng.randint(0, 59)),
            tzinfo=datetime.UTC,
        )
        if deposited > now:
            deposited = now - datetime.timedelta(minutes=rng.randint(1, 600))
        issued = deposited.date() - datetime.timedelta(days=rng.randint(0, 10))
        due = issued + datetime.timedelta(days=30)
        number = f"V{run}-{start + i:07d}"
        ej = f"EJ{rng.randint(1000000, 9999999)}" if rng.random() < 0.7 else ""
        document = _fill(
            template.json,
            {
                "NUMBER": number,
                "SELLER_NAME": supplier.legal_name.replace('"', ""),
                "SELLER_VAT": supplier.vat_number or "",
                "SELLER_SIREN": supplier.identifier[:9],
                "SELLER": supplier.identifier,
                "BUYER_NAME": recipient.legal_name.replace('"', ""),
                "BUYER_VAT": french_vat_number(recipient.identifier[:9]),
                "BUYER_SIREN": recipient.identifier[:9],
                "BUYER": recipient.identifier,
                "SERVICE": service.code,
                "EJ": ej,
                "ISSUE": issued.isoformat(),
                "DUE": due.isoformat(),
            },
        )
        file_id, invoice_id = first_file + i, first_invoice + i
        received.append(
            (
                file_id,
                f"invoices/received/volume/{number}.xml",
                f"{number}.xml",
                "application/xml",
                len(document) * 2,
                hashlib.sha256(number.encode()).hexdigest(),
                _when(deposited),
            )
        )
        moves = _life(rng, deposited, now)
        last = moves[-1]
        rows.append(
            (
                invoice_id,
                supplier.pk,
                recipient.pk,
                service.pk,
                number,
                "380",
                issued,
                issued.year,
                "EUR",
                supplier.identifier,
                recipient.identifier,
                service.code,
                ej,
                template.total_without_vat,
                template.total_with_vat,
                template.amount_due,
                supplier.legal_name,
                due,
                _bool(template.has_attachments or rng.random() < 0.15),
                rng.choice(channels),
                "ubl",
                "urn:cen.eu:en16931:2017",
                document,
                last.target,
                _when(last.at),
                file_id,
                _when(deposited),
            )
        )
        for move in moves:
            acting = (
                supplier.pk
                if move.role == InvoiceRole.FOURNISSEUR
                else recipient.pk
                if move.role == InvoiceRole.DESTINATAIRE
                else None
            )
            history.append(
                (
                    invoice_id,
                    _when(move.at),
                    move.source,
                    move.target,
                    move.action,
                    "plateforme" if acting is None else "Mesure",
                    move.role,
                    acting,
                    "SYSTEME" if acting is None else "PORTAIL",
                    move.motive,
                    move.comment,
                    INVOICE_LIFECYCLE_CODES.get(move.target, ""),
                    move.mandate_number,
                    "[]",
                )
            )
    _copy(ReceivedFile, _RECEIVED_COLUMNS, received)
    _copy(Invoice, _INVOICE_COLUMNS, rows)
    _copy(InvoiceStatusChange, _HISTORY_COLUMNS, history)


def _bool(value: bool):
    return value if connection.vendor == "postgresql" else int(value)


def volume_invoices(world: World) -> Iterator[int]:
    return Invoice.objects.filter(recipient__in=world.recipients).values_list("pk", flat=True)
