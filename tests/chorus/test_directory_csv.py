import csv
import io
from datetime import date

import pytest
from django.core.management import CommandError, call_command

from chorus.directory_csv import COLUMNS, directory_export, directory_import
from chorus.enums import PublicKind, ReceptionChannel
from chorus.models import AuditEvent, Service, Structure
from tests.chorus.factories import (
    PublicStructureFactory,
    ServiceFactory,
    StructureFactory,
    UserFactory,
    valid_siret,
)

pytestmark = pytest.mark.django_db

COMMUNE = valid_siret(70_001)
HOSPITAL = valid_siret(70_002)
LONELY = valid_siret(70_003)


def row(**cells) -> dict:
    base = {
        "type_identifiant": "SIRET",
        "identifiant": COMMUNE,
        "raison_sociale": "Commune de Valmont",
        "categorie": "COLLECTIVITE",
        "adresse": "Place de la Mairie",
        "code_postal": "76540",
        "ville": "Valmont",
        "pays": "FR",
        "numero_tva": "",
        "email": "",
        "active": "oui",
        "code_service_obligatoire": "oui",
        "engagement_obligatoire": "non",
        "engagement_ou_code_service_obligatoire": "non",
        "statut_paiement_non_remonte": "non",
        "mode_reception": "PORTAIL",
        "code_service": "",
        "libelle_service": "",
        "service_actif": "",
        "service_debut_validite": "",
        "service_fin_validite": "",
        "service_engagement_obligatoire": "",
        "service_gestion_statut_paiement": "",
    }
    base.update(cells)
    return base


def csv_bytes(
    rows: list[dict], delimiter: str = ";", header: list[str] = COLUMNS, with_header: bool = True
) -> bytes:
    stream = io.StringIO()
    writer = csv.DictWriter(stream, fieldnames=header, delimiter=delimiter, extrasaction="ignore")
    if with_header:
        writer.writeheader()
    writer.writerows(rows)
    return stream.getvalue().encode("utf-8")


def run_import(content: bytes, actor=None):
    return directory_import(file=io.BytesIO(content), actor=actor)


GOOD_ROWS = [
    row(code_service="FINANCES", libelle_service="Direction des finances"),
    row(
        code_service="ECOLES",
        libelle_service="Affaires scolaires",
        service_actif="non",
        service_debut_validite="2024-01-01",
        service_fin_validite="2025-12-31",
    ),
    row(
        identifiant=HOSPITAL,
        raison_sociale="Centre hospitalier de Valmont",
        categorie="ETABLISSEMENT_SANTE",
        code_service_obligatoire="0",
        engagement_ou_code_service_obligatoire="1",
        mode_reception="edi",
        code_service="PHARMACIE",
        libelle_service="Pharmacie",
        service_engagement_obligatoire="oui",
        service_gestion_statut_paiement="oui",
    ),
    row(identifiant=LONELY, raison_sociale="Syndicat des eaux", categorie="ETABLISSEMENT_PUBLIC"),
]


def test_import_creates_structures_and_services_with_their_parameters():
    report = run_import(csv_bytes(GOOD_ROWS))

    assert report.ok, report.errors
    assert (report.rows_read, report.structures_created, report.services_created) == (4, 3, 3)
    commune = Structure.objects.get(identifier=COMMUNE)
    assert commune.is_public and commune.kind == PublicKind.COLLECTIVITE
    assert commune.service_code_required and not commune.ej_required
    ecoles = commune.services.get(code="ECOLES")
    assert not ecoles.active
    assert (ecoles.valid_from, ecoles.valid_until) == (date(2024, 1, 1), date(2025, 12, 31))
    hospital = Structure.objects.get(identifier=HOSPITAL)
    assert hospital.ej_or_service_code_required and not hospital.service_code_required
    assert hospital.reception_channel == ReceptionChannel.EDI
    pharmacie = hospital.services.get()
    assert pharmacie.ej_required and pharmacie.payment_status_managed
    assert not Structure.objects.get(identifier=LONELY).services.exists()


def test_import_detects_a_comma_separator_and_a_byte_order_mark():
    report = run_import(b"\xef\xbb\xbf" + csv_bytes(GOOD_ROWS, delimiter=","))

    assert report.ok, report.errors
    assert report.structures_created == 3


def test_import_records_who_imported_in_the_audit_trail():
    actor = UserFactory()

    run_import(csv_bytes(GOOD_ROWS[:1]), actor=actor)

    actions = set(AuditEvent.objects.filter(actor=actor).values_list("action", flat=True))
    assert actions == {"structure_import", "service_import"}


def test_bad_rows_are_reported_with_their_line_and_column_and_good_rows_kept():
    rows = [
        row(code_service="FINANCES", libelle_service="Direction des finances"),
        row(identifiant="21370184000019", raison_sociale="Commune à la clé fausse"),
        row(identifiant=HOSPITAL, categorie="ETABLISSEMENT_SANTE", active="peut-être"),
        row(identifiant=LONELY, categorie="ETABLISSEMENT_PUBLIC", code_service="X", libelle_service="X", service_debut_validite="31/01/2026"),
        row(identifiant=valid_siret(70_004), categorie="MAIRIE"),
        row(identifiant=valid_siret(70_005), raison_sociale=""),
    ]  # fmt: skip

    report = run_import(csv_bytes(rows))

    assert report.structures_created == 1
    assert [error.line for error in report.errors] == [3, 4, 5, 6, 7]
    messages = [error.message for error in report.errors]
    assert "identifiant" in messages[0] and "clé de contrôle" in messages[0]
    assert "« active »" in messages[1] and "oui ou non" in messages[1]
    assert "service_debut_validite" in messages[2] and "AAAA-MM-JJ" in messages[2]
    assert "categorie" in messages[3] and "COLLECTIVITE" in messages[3]
    assert "raison_sociale" in messages[4]
    assert list(Structure.objects.values_list("identifier", flat=True)) == [COMMUNE]


def test_a_row_whose_service_is_invalid_leaves_no_half_written_structure():
    rows = [
        row(
            identifiant=HOSPITAL,
            categorie="ETABLISSEMENT_SANTE",
            code_service="PHARMACIE",
            libelle_service="Pharmacie",
            service_debut_validite="2026-06-01",
            service_fin_validite="2026-01-01",
        )
    ]

    report = run_import(csv_bytes(rows))

    assert len(report.errors) == 1
    assert report.errors[0].line == 2
    assert "service_fin_validite" in report.errors[0].message
    assert report.structures_created == 0
    assert not Structure.objects.exists()
    assert not AuditEvent.objects.exists()


def test_service_columns_without_a_code_are_refused():
    report = run_import(csv_bytes([row(libelle_service="Sans code")]))

    assert "code_service" in report.errors[0].message
    assert not Structure.objects.exists()


def test_structure_columns_must_agree_across_the_rows_of_its_services():
    rows = [
        row(code_service="A", libelle_service="Service A"),
        row(code_service="B", libelle_service="Service B", ville="Fécamp"),
    ]

    report = run_import(csv_bytes(rows))

    assert report.errors[0].line == 3
    assert "ligne 2" in report.errors[0].message
    assert list(Service.objects.values_list("code", flat=True)) == ["A"]


def test_a_private_structure_with_the_same_identifier_is_not_turned_public():
    StructureFactory(identifier=COMMUNE)

    report = run_import(csv_bytes(GOOD_ROWS[:1]))

    assert "structure privée" in report.errors[0].message
    assert not Structure.objects.get(identifier=COMMUNE).is_public


@pytest.mark.parametrize(
    ("header", "expected"),
    [
        ([*COLUMNS, "commentaire"], "colonnes inconnues : commentaire"),
        ([c for c in COLUMNS if c != "ville"], "colonnes manquantes : ville"),
        ([*COLUMNS, "ville"], "colonnes en double : ville"),
    ],
)
def test_a_wrong_header_refuses_the_whole_file(header, expected):
    report = run_import(csv_bytes(GOOD_ROWS, header=header))

    assert expected in report.file_error
    assert report.rows_read == 0
    assert not Structure.objects.exists()


def test_a_file_that_is_not_utf8_is_refused():
    content = csv_bytes([*GOOD_ROWS, row(identifiant=valid_siret(70_006), ville="Fécamp")])

    report = run_import(content.replace("é".encode(), "é".encode("latin-1")))

    assert "UTF-8" in report.file_error
    assert not Structure.objects.exists()


def test_a_row_with_a_wrong_number_of_cells_is_reported():
    content = csv_bytes(GOOD_ROWS[:1]) + b"SIRET;123\n"

    report = run_import(content)

    assert report.errors[0].line == 3
    assert "2 colonnes au lieu de 23" in report.errors[0].message


def test_line_numbers_count_blank_lines_and_quoted_line_breaks():
    # Line 1 header, lines 2-3 one row with a line break in a quoted cell, line 4 blank.
    content = (
        csv_bytes([row(adresse="Mairie\nPlace du Marché")])
        + b"\r\n"
        + csv_bytes([row(identifiant="123")], with_header=False)
    )

    report = run_import(content)

    assert report.structures_created == 1
    assert [error.line for error in report.errors] == [5]


def test_importing_the_same_file_twice_changes_nothing():
    content = csv_bytes(GOOD_ROWS)
    run_import(content)
    before = list(Structure.objects.order_by("pk").values())
    services_before = list(Service.objects.order_by("pk").values())
    audit_count = AuditEvent.objects.count()

    report = run_import(content)

    assert report.ok
    counts = (report.structures_created, report.structures_updated)
    assert counts + (report.services_created, report.services_updated) == (0, 0, 0, 0)
    assert list(Structure.objects.order_by("pk").values()) == before
    assert list(Service.objects.order_by("pk").values()) == services_before
    assert AuditEvent.objects.count() == audit_count


def test_a_changed_row_updates_the_structure_and_the_service_in_place():
    run_import(csv_bytes(GOOD_ROWS))

    changed = [row(ville="Fécamp", code_service="FINANCES", libelle_service="Finances et budget")]
    report = run_import(csv_bytes(changed))

    assert (report.structures_updated, report.services_updated) == (1, 1)
    commune = Structure.objects.get(identifier=COMMUNE)
    assert commune.city == "Fécamp"
    assert commune.services.get(code="FINANCES").name == "Finances et budget"
    assert Structure.objects.count() == 3


def test_export_then_import_round_trips():
    commune = PublicStructureFactory(vat_number="FR37213701840", service_code_required=True)
    ServiceFactory(structure=commune, code="A", valid_from=date(2025, 1, 1), ej_required=True)
    ServiceFactory(structure=commune, code="B", active=False)
    PublicStructureFactory(kind=PublicKind.JURIDICTION, reception_channel=ReceptionChannel.API)
    StructureFactory()  # a supplier: not part of the directory
    first = io.StringIO()
    assert directory_export(stream=first) == 3

    Structure.objects.public().delete()
    report = run_import(first.getvalue().encode())
    second = io.StringIO()
    directory_export(stream=second)

    assert report.ok, report.errors
    assert (report.structures_created, report.services_created) == (2, 2)
    assert second.getvalue() == first.getvalue()
    assert run_import(second.getvalue().encode()).structures_updated == 0


def test_commands_import_and_export_a_file(tmp_path):
    source = tmp_path / "annuaire.csv"
    source.write_bytes(csv_bytes(GOOD_ROWS))
    output = io.StringIO()

    call_command("import_directory", str(source), stdout=output)
    assert "structures : 3 créée(s)" in output.getvalue()

    exported = tmp_path / "export.csv"
    call_command("export_directory", str(exported), stderr=io.StringIO())
    assert exported.read_bytes().count(b"\r\n") == 5
    to_stdout = io.StringIO()
    call_command("export_directory", stdout=to_stdout)
    assert to_stdout.getvalue() == exported.read_bytes().decode("utf-8")


def test_import_command_fails_on_refused_rows(tmp_path):
    source = tmp_path / "annuaire.csv"
    source.write_bytes(csv_bytes([row(identifiant="123")]))

    with pytest.raises(CommandError, match="1 ligne"):
        call_command("import_directory", str(source), stdout=io.StringIO(), stderr=io.StringIO())
