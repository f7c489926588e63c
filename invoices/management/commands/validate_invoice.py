"""Validates invoice files (UBL, CII, Factur-X) through the whole validation pipeline.

    python manage.py validate_invoice PATH... [--json] [--no-recipient-check]

Prints the detected format and profile and every finding; with --json, one JSON object per
line and file. Exit status 0 when no file has a fatal finding, 1 otherwise.
"""

import json
from pathlib import Path

from django.core.management.base import BaseCommand

from invoices.validation import validate_path


class Command(BaseCommand):
    help = "Valide des factures (UBL, CII, Factur-X) : lecture sûre, XSD, Schematron, règles de la plateforme."

    def add_arguments(self, parser):
        parser.add_argument("paths", nargs="+", metavar="PATH", help="fichiers à valider")
        parser.add_argument("--json", action="store_true", help="une ligne JSON par fichier")
        parser.add_argument(
            "--no-recipient-check",
            action="store_true",
            help="ne pas appliquer les règles qui consultent l'annuaire (normes seules)",
        )

    def handle(self, *args, **options):
        any_fatal = False
        for name in options["paths"]:
            report = validate_path(Path(name), recipient_check=not options["no_recipient_check"])
            any_fatal |= not report.valid
            if options["json"]:
                self.stdout.write(
                    json.dumps({"file": name, **report.to_dict()}, ensure_ascii=False)
                )
            else:
                self._write_text(name, report)
        if any_fatal:
            raise SystemExit(1)

    def _write_text(self, name, report):
        fatal = len(report.fatal_findings)
        warnings = len(report.findings) - fatal
        verdict = "valide" if report.valid else "refusée"
        self.stdout.write(
            f"{name} : format {report.format or 'inconnu'}, profil {report.profile or 'inconnu'}"
            f" — {verdict} ({fatal} erreur(s) bloquante(s), {warnings} avertissement(s))"
        )
        for finding in report.findings:
            where = f" {finding.location}" if finding.location else ""
            self.stdout.write(f"  [{finding.severity}] {finding.rule}{where}")
            self.stdout.write(f"      {finding.message_fr}")
