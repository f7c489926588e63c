"""Benchmarks the validation pipeline: invoices per second, per stage and overall.

    python manage.py bench_validation [--n N] [PATH...]

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

from invoices.validation import pipeline, schematron, validate

EXAMPLE_PATTERNS = ("ubl/*.xml", "ubl/*.XML", "ubl/testfiles/*.xml", "cii/*.xml")


class Command(BaseCommand):
    help = "Mesure le débit de la validation (factures par seconde, par étape et au total)."

    def add_arguments(self, parser):
        parser.add_argument("paths", nargs="*", metavar="PATH", help="factures à valider")
        parser.add_argument("--n", type=int, default=5, help="nombre de passes (5 par défaut)")

    def handle(self, *args, **options):
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

    def _examples(self) -> list[Path]:
        folder = Path(settings.CHORUS_TESTDATA_DIR) / "en16931"
        if not folder.is_dir():
            raise CommandError(
                f"Exemples officiels introuvables dans {folder} : définissez "
                "CHORUS_TESTDATA_DIR (dossier shared/testdata) ou donnez des fichiers."
            )
        return sorted(path for pattern in EXAMPLE_PATTERNS for path in folder.glob(pattern))
