"""Imports the directory of public structures and services from a CSV file."""

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from chorus.directory_csv import directory_import
from chorus.enums import Channel


class Command(BaseCommand):
    help = (
        "Importe l'annuaire des structures publiques et de leurs services depuis un fichier CSV "
        "(format décrit dans le README). Code de sortie 1 si une ligne est refusée."
    )

    def add_arguments(self, parser):
        parser.add_argument("path", type=Path, help="Chemin du fichier CSV à importer.")

    def handle(self, *args, path: Path, **options):
        if not path.is_file():
            raise CommandError(f"Fichier introuvable : {path}")
        with path.open("rb") as file:
            report = directory_import(file=file, actor=None, channel=Channel.SYSTEME)
        if report.file_error:
            raise CommandError(report.file_error)
        self.stdout.write(
            f"{report.rows_read} ligne(s) lue(s) ; structures : {report.structures_created} "
            f"créée(s), {report.structures_updated} mise(s) à jour ; services : "
            f"{report.services_created} créé(s), {report.services_updated} mis à jour."
        )
        for error in report.errors:
            self.stderr.write(f"Ligne {error.line} : {error.message}")
        if report.errors:
            raise CommandError(
                f"{len(report.errors)} ligne(s) refusée(s), rien d'écrit pour elles."
            )
