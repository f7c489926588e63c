"""Benchmarks the validation pipeline: invoices per second, per stage and overall.

    python manage.py bench_validation [--n N] [PATH...]
    python manage.py bench_validation --sizes

With --sizes: the time of one validation against the document's size, for legitimate
invoices of 10 to 2,000 lines (invoices.samples, UBL and CII) and for hostile ones (20,000
empty elements in a note, 5,000 wrong line amounts in UBL, 2 million empty elements): what
each costs and how it ends (valid, or the first refusal and the number of findings).

Validates the official EN 16931 examples (from settings.CHORUS_TESTDATA_DIR, or the files
given) N times in this one process, standards only (the platform rules need a directory),
and prints the rate of each stage, of the whole pipeline, and the ratio of the pipeline's
rate to the Schematron stage's rate alone: the closer to 1, the less everything else adds
to the dominant stage. Stylesheets are compiled on a first, untimed pass.
"""

import time
from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from invoices.formats import write_cii, write_ubl
from invoices.samples import (
    cii_with_empty_elements,
    french_invoice,
    invoice_lines,
    ubl_with_wrong_line_amounts,
)
from invoices.validation import pipeline, schematron, validate

EXAMPLE_PATTERNS = ("ubl/*.xml", "ubl/*.XML", "ubl/testfiles/*.xml", "cii/*.xml")


class Command(BaseCommand):
    help = "Mesure le débit de la validation (factures par seconde, par étape et au total)."

    def add_arguments(self, parser):
        parser.add_argument("paths", nargs="*", metavar="PATH", help="factures à valider")
        parser.add_argument("--n", type=int, default=5, help="nombre de passes (5 par défaut)")
        parser.add_argument(
            "--sizes",
            action="store_true",
            help="temps d'une validation selon la taille, factures légitimes et hostiles",
        )

    def handle(self, *args, **options):
        if options["sizes"]:
            self._sizes()
            return
        paths = [Path(p) for p in options["paths"]] or self._examples()
        invoices = [path.read_bytes() for path in paths]
        for data in invoices:  # compiles what the examples need, untimed
            validate(data, recipient_check=False)

        totals = dict.fromkeys(pipeline.STAGES, 0.0)
        count = 0
        start = time.perf_counter()
        for _ in range(options["n"]):
            for data in invoices:
                report = validate(data, recipient_check=False)
                for stage, seconds in report.timings.items():
                    totals[stage] += seconds
                count += 1
        elapsed = time.perf_counter() - start

        self.stdout.write(
            f"{count} validations ({len(invoices)} factures x {options['n']} passes), "
            f"{schematron.compiled_count()} feuilles de style compilées une fois"
        )
        for stage in pipeline.STAGES:
            if totals[stage]:
                self.stdout.write(
                    f"  {stage:<11} {count / totals[stage]:>10.1f} factures/s"
                    f"  ({1000 * totals[stage] / count:.3f} ms/facture)"
                )
        self.stdout.write(f"  {'pipeline':<11} {count / elapsed:>10.1f} factures/s")
        ratio = totals["schematron"] / elapsed
        self.stdout.write(f"ratio débit pipeline / débit Schematron seul : {ratio:.3f}")

    def _sizes(self) -> None:
        for _label, data in _documents()[:2]:  # compiles both stylesheets, untimed
            validate(data, recipient_check=False)
        self.stdout.write(f"{'document':<44} {'taille':>10} {'temps':>10}  résultat")
        for label, data in _documents():
            start = time.perf_counter()
            report = validate(data, recipient_check=False)
            elapsed = time.perf_counter() - start
            if report.valid:
                result = "valide"
            else:
                result = f"refusé {report.fatal_findings[0].rule}, {len(report.findings)} constats"
            self.stdout.write(
                f"{label:<44} {len(data) / 1024:>7.0f} Ko {1000 * elapsed:>7.0f} ms  {result}"
            )

    def _examples(self) -> list[Path]:
        folder = Path(settings.CHORUS_TESTDATA_DIR) / "en16931"
        if not folder.is_dir():
            raise CommandError(
                f"Exemples officiels introuvables dans {folder} : définissez "
                "CHORUS_TESTDATA_DIR (dossier shared/testdata) ou donnez des fichiers."
            )
        return sorted(path for pattern in EXAMPLE_PATTERNS for path in folder.glob(pattern))


def _documents() -> list[tuple[str, bytes]]:
    documents = []
    for lines in (10, 100, 500, 1000, 2000):
        invoice = french_invoice(lines=invoice_lines(lines + (-lines) % 4))
        documents.append((f"UBL légitime, {lines} lignes", write_ubl(invoice)))
        documents.append((f"CII légitime, {lines} lignes", write_cii(invoice)))
    facturx_basic = b"urn:cen.eu:en16931:2017#compliant#urn:factur-x.eu:1p0:basic"
    return documents + [
        ("CII, 20 000 éléments vides (note)", cii_with_empty_elements(20_000)),
        (
            "Factur-X BASIC, 20 000 éléments vides",
            cii_with_empty_elements(20_000, guideline=facturx_basic),
        ),
        ("UBL, 5 000 montants de ligne faux", ubl_with_wrong_line_amounts(5_000)),
        ("XML, 2 millions d'éléments vides", b"<Invoice>" + b"<a/>" * 2_000_000 + b"</Invoice>"),
    ]
