"""Import and export of the directory of public structures and their services, as CSV.

One row per service, the structure's columns repeated on each of its rows; a structure without
services is one row whose service columns are empty. The admin page and the `import_directory`
and `export_directory` commands all call these two functions.
"""

import csv
import io
from dataclasses import dataclass, field
from datetime import date

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from chorus.enums import Channel, IdentifierType, PublicKind, ReceptionChannel
from chorus.identifiers import normalise_identifier
from chorus.models import Service, Structure, User
from chorus.services import audit_record

# Column name -> model field, in the order of the exported file.
STRUCTURE_COLUMNS = {
    "type_identifiant": "identifier_type",
    "identifiant": "identifier",
    "raison_sociale": "legal_name",
    "categorie": "kind",
    "adresse": "address_line",
    "code_postal": "postcode",
    "ville": "city",
    "pays": "country_code",
    "numero_tva": "vat_number",
    "email": "email",
    "active": "active",
    "code_service_obligatoire": "service_code_required",
    "engagement_obligatoire": "ej_required",
    "engagement_ou_code_service_obligatoire": "ej_or_service_code_required",
    "statut_paiement_non_remonte": "payment_status_not_reported",
    "mode_reception": "reception_channel",
}
SERVICE_COLUMNS = {
    "code_service": "code",
    "libelle_service": "name",
    "service_actif": "active",
    "service_debut_validite": "valid_from",
    "service_fin_validite": "valid_until",
    "service_engagement_obligatoire": "ej_required",
    "service_gestion_statut_paiement": "payment_status_managed",
}
COLUMNS = [*STRUCTURE_COLUMNS, *SERVICE_COLUMNS]

# What an empty cell means where the column may be left empty.
STRUCTURE_DEFAULTS = {
    "identifier_type": IdentifierType.SIRET,
    "country_code": "FR",
    "active": True,
    "service_code_required": False,
    "ej_required": False,
    "ej_or_service_code_required": False,
    "payment_status_not_reported": False,
    "reception_channel": ReceptionChannel.PORTAIL,
}
SERVICE_DEFAULTS = {
    "active": True,
    "valid_from": None,
    "valid_until": None,
    "ej_required": False,
    "payment_status_managed": False,
}
BOOLEAN_FIELDS = {
    "active",
    "service_code_required",
    "ej_required",
    "ej_or_service_code_required",
    "payment_status_not_reported",
    "payment_status_managed",
}
DATE_FIELDS = {"valid_from", "valid_until"}
CHOICE_FIELDS = {
    "identifier_type": IdentifierType,
    "kind": PublicKind,
    "reception_channel": ReceptionChannel,
}
TRUE_WORDS = {"oui", "1"}
FALSE_WORDS = {"non", "0"}


@dataclass
class RowError:
    line: int
    message: str


@dataclass
class DirectoryImportReport:
    rows_read: int = 0
    structures_created: int = 0
    structures_updated: int = 0
    services_created: int = 0
    services_updated: int = 0
    errors: list[RowError] = field(default_factory=list)
    # Set when the file as a whole is refused (encoding, header): nothing was imported.
    file_error: str = ""

    @property
    def ok(self) -> bool:
        return not self.file_error and not self.errors


class RowInvalid(Exception):
    """A row that cannot be imported; the message says which column and how to fix it."""


def _column_of(field_name: str, service: bool) -> str:
    columns = SERVICE_COLUMNS if service else STRUCTURE_COLUMNS
    return next((column for column, name in columns.items() if name == field_name), field_name)


def _parse_cell(column: str, field_name: str, raw: str, default):
    value = raw.strip()
    if value == "":
        return default
    if field_name in BOOLEAN_FIELDS:
        lowered = value.lower()
        if lowered in TRUE_WORDS:
            return True
        if lowered in FALSE_WORDS:
            return False
        raise RowInvalid(
            _(
                "colonne « %(column)s » : « %(value)s » n'est pas reconnu ; écrivez oui ou non (ou 1 ou 0)."
            )
            % {"column": column, "value": value}
        )
    if field_name in DATE_FIELDS:
        try:
            return date.fromisoformat(value)
        except ValueError:
            raise RowInvalid(
                _(
                    "colonne « %(column)s » : « %(value)s » n'est pas une date ; écrivez-la AAAA-MM-JJ, par exemple 2026-01-31."
                )
                % {"column": column, "value": value}
            ) from None
    if field_name in CHOICE_FIELDS:
        choices = CHOICE_FIELDS[field_name]
        upper = value.upper()
        if upper not in choices.values:
            raise RowInvalid(
                _(
                    "colonne « %(column)s » : « %(value)s » est inconnu ; valeurs possibles : %(choices)s."
                )
                % {"column": column, "value": value, "choices": ", ".join(choices.values)}
            )
        return upper
    return value


def _parse_values(row: dict[str, str], columns: dict[str, str], defaults: dict) -> dict:
    return {
        name: _parse_cell(column, name, row[column], defaults.get(name, ""))
        for column, name in columns.items()
    }


def _validation_message(exc: ValidationError, service: bool) -> str:
    if not hasattr(exc, "error_dict"):
        return " ".join(exc.messages)
    return " ; ".join(
        _("colonne « %(column)s » : %(message)s")
        % {"column": _column_of(name, service), "message": " ".join(messages)}
        for name, messages in exc.message_dict.items()
    )


def _upsert(instance, values: dict, *, service: bool) -> tuple[bool, list[str]]:
    """Validates and saves only if something changed: re-importing a file writes nothing.

    Returns whether the row was created and the names of the fields that changed.
    """
    created = instance.pk is None
    before = {name: getattr(instance, name) for name in values}
    for name, value in values.items():
        setattr(instance, name, value)
    try:
        instance.full_clean()
    except ValidationError as exc:
        raise RowInvalid(_validation_message(exc, service)) from exc
    # Compared after full_clean, which normalises (VAT number): "FR 44..." equals "FR44...".
    changed = [name for name in values if getattr(instance, name) != before[name]]
    if created or changed:
        instance.save()
    return created, [] if created else changed


def _import_row(row: dict[str, str], *, line: int, actor, channel: str, seen: dict):
    """Imports one row; returns the structure's key, its values and what was written."""
    structure_values = _parse_values(row, STRUCTURE_COLUMNS, STRUCTURE_DEFAULTS)
    service_values = _parse_values(row, SERVICE_COLUMNS, SERVICE_DEFAULTS)
    try:
        identifier = normalise_identifier(
            structure_values["identifier_type"], structure_values["identifier"]
        )
    except ValidationError as exc:
        raise RowInvalid(
            _("colonne « identifiant » : %(message)s") % {"message": " ".join(exc.messages)}
        ) from exc
    structure_values["identifier"] = identifier
    key = (structure_values["identifier_type"], identifier)

    # The structure's columns are repeated on each of its rows: they must agree.
    first = seen.get(key)
    if first is not None and first[1] != structure_values:
        raise RowInvalid(
            _(
                "les colonnes de la structure %(identifier)s diffèrent de celles de la ligne "
                "%(line)d ; recopiez-les à l'identique sur chaque ligne de ses services."
            )
            % {"identifier": identifier, "line": first[0]}
        )

    structure = Structure.objects.filter(
        identifier_type=key[0], identifier=identifier
    ).first() or Structure(is_public=True)
    if not structure.is_public:
        raise RowInvalid(
            _(
                "la structure %(identifier)s existe déjà comme structure privée (fournisseur) ; "
                "l'annuaire ne contient que des structures publiques."
            )
            % {"identifier": identifier}
        )
    structure_created, structure_changed = _upsert(structure, structure_values, service=False)
    outcome = {"structure_created": structure_created, "structure_changed": bool(structure_changed)}
    if structure_created or structure_changed:
        audit_record(
            actor=actor,
            action="structure_import" if structure_created else "structure_import_update",
            target=structure,
            channel=channel,
            details={"line": line, "fields": structure_changed},
        )

    if service_values["code"]:
        service = Service.objects.filter(
            structure=structure, code=service_values["code"]
        ).first() or Service(structure=structure)
        service_created, service_changed = _upsert(service, service_values, service=True)
        outcome["service_created"] = service_created
        outcome["service_changed"] = bool(service_changed)
        if service_created or service_changed:
            audit_record(
                actor=actor,
                action="service_import" if service_created else "service_import_update",
                target=service,
                channel=channel,
                details={"line": line, "fields": service_changed},
            )
    elif any(row[column].strip() for column in SERVICE_COLUMNS):
        raise RowInvalid(
            _(
                "colonne « code_service » vide alors que d'autres colonnes du service sont remplies ; "
                "indiquez le code du service, ou videz toutes les colonnes du service."
            )
        )
    return key, structure_values, outcome


def _decode(file) -> str:
    content = file.read()
    if isinstance(content, str):
        return content.lstrip("\ufeff")
    try:
        return content.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise RowInvalid(
            _(
                "le fichier n'est pas encodé en UTF-8 (octet illisible en position %(position)d) ; "
                "enregistrez-le en « CSV UTF-8 » depuis votre tableur."
            )
            % {"position": exc.start}
        ) from exc


def _header_problem(header: list[str]) -> str:
    names = [name.strip() for name in header]
    unknown = [name for name in names if name not in COLUMNS]
    missing = [name for name in COLUMNS if name not in names]
    duplicated = sorted({name for name in names if names.count(name) > 1})
    problems = []
    if unknown:
        problems.append(_("colonnes inconnues : %(names)s") % {"names": ", ".join(unknown)})
    if missing:
        problems.append(_("colonnes manquantes : %(names)s") % {"names": ", ".join(missing)})
    if duplicated:
        problems.append(_("colonnes en double : %(names)s") % {"names": ", ".join(duplicated)})
    if not problems:
        return ""
    return _(
        "La ligne d'en-tête du fichier ne correspond pas au format de l'annuaire (%(problems)s). "
        "Elle doit nommer exactement les %(count)d colonnes du format, dans n'importe quel ordre : "
        "exportez l'annuaire (commande export_directory, ou bouton « Exporter l'annuaire » de "
        "l'administration) pour obtenir un fichier modèle."
    ) % {"problems": " ; ".join(problems), "count": len(COLUMNS)}


def directory_import(
    *, file, actor: User | None, channel: str = Channel.SYSTEME
) -> DirectoryImportReport:
    """Creates or updates public structures and services from a CSV file (bytes or text).

    Each row is imported in its own savepoint: a bad row is reported with its line number and
    leaves nothing behind, the good rows are kept. A file whose header is wrong is refused whole.
    """
    report = DirectoryImportReport()
    try:
        text = _decode(file)
    except RowInvalid as exc:
        report.file_error = _("Fichier refusé : %(reason)s") % {"reason": exc}
        return report
    first_line = text.split("\n", 1)[0]
    if not first_line.strip():
        report.file_error = _(
            "Fichier refusé : la première ligne est vide ; elle doit nommer les colonnes : %(expected)s."
        ) % {"expected": ", ".join(COLUMNS)}
        return report
    delimiter = ";" if first_line.count(";") >= first_line.count(",") else ","
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)
    header = next(reader)
    report.file_error = _header_problem(header)
    if report.file_error:
        return report
    header = [name.strip() for name in header]

    seen: dict[tuple[str, str], tuple[int, dict]] = {}
    counted: set = set()
    with transaction.atomic():
        line = reader.line_num
        for cells in reader:
            start, line = line + 1, reader.line_num
            if not any(cell.strip() for cell in cells):
                continue
            report.rows_read += 1
            if len(cells) != len(header):
                report.errors.append(
                    RowError(
                        start,
                        _(
                            "la ligne compte %(found)d colonnes au lieu de %(expected)d ; vérifiez "
                            "le séparateur « %(delimiter)s » et les guillemets autour des valeurs "
                            "qui le contiennent."
                        )
                        % {"found": len(cells), "expected": len(header), "delimiter": delimiter},
                    )
                )
                continue
            row = dict(zip(header, cells, strict=True))
            try:
                with transaction.atomic():
                    key, values, outcome = _import_row(
                        row, line=start, actor=actor, channel=channel, seen=seen
                    )
            except RowInvalid as exc:
                report.errors.append(RowError(start, str(exc)))
                continue
            seen.setdefault(key, (start, values))
            # A structure repeated on several rows counts once, as created or as updated.
            if key not in counted:
                if outcome["structure_created"]:
                    report.structures_created += 1
                    counted.add(key)
                elif outcome["structure_changed"]:
                    report.structures_updated += 1
                    counted.add(key)
            if outcome.get("service_created"):
                report.services_created += 1
            elif outcome.get("service_changed"):
                report.services_updated += 1
    return report


def _cell(value) -> str:
    if isinstance(value, bool):
        return "oui" if value else "non"
    if isinstance(value, date):
        return value.isoformat()
    return "" if value is None else str(value)


def directory_export(*, stream) -> int:
    """Writes every public structure and its services to a text stream; returns the row count."""
    writer = csv.writer(stream, delimiter=";", lineterminator="\r\n")
    writer.writerow(COLUMNS)
    rows = 0
    structures = Structure.objects.public().order_by("identifier_type", "identifier")
    for structure in structures.prefetch_related("services"):
        structure_cells = [_cell(getattr(structure, name)) for name in STRUCTURE_COLUMNS.values()]
        services = sorted(structure.services.all(), key=lambda service: service.code)
        if not services:
            writer.writerow(structure_cells + [""] * len(SERVICE_COLUMNS))
            rows += 1
        for service in services:
            writer.writerow(
                structure_cells
                + [_cell(getattr(service, name)) for name in SERVICE_COLUMNS.values()]
            )
            rows += 1
    return rows
