"""Exports the directory of public structures and services as CSV (the import's format)."""

from pathlib import Path

from django.core.management.base import BaseCommand

from chorus.directory_csv import directory_export


class Command(BaseCommand):
    help = (
        "Exporte l'annuaire des structures publiques et de leurs services en CSV (UTF-8, « ; »), "
        "dans le format de import_directory ; sur la sortie standard sans chemin."
    )

    def add_arguments(self, parser):
        parser.add_argument("path", nargs="?", type=Path, help="Fichier CSV à écrire.")

    def handle(self, *args, path: Path | None, **options):
        if path is None:
            directory_export(stream=self.stdout)
            return
        with path.open("w", encoding="utf-8", newline="") as stream:
            rows = directory_export(stream=stream)
        self.stderr.write(f"{rows} ligne(s) écrite(s) dans {path}.")
