"""Adds invoices in bulk to a measuring world, for the back office's benchmark
(invoices.benchmarks.volume; `bench_backoffice` measures the pages on them)."""

import time

from django.core.management.base import BaseCommand, CommandError
from django.db import connection

from invoices.benchmarks.volume import AGENT_EMAIL, MANAGER_EMAIL, seed_volume
from invoices.models import Invoice


class Command(BaseCommand):
    help = (
        "Ajoute N factures réalistes (fournisseurs, services, statuts répartis sur un an, "
        "historique) au monde de mesure : chaque exécution AJOUTE des factures, sans rien "
        "remplacer. Rapide sur PostgreSQL (COPY)."
    )

    def add_arguments(self, parser):
        parser.add_argument("--invoices", type=int, required=True, help="Factures à ajouter")
        parser.add_argument("--seed", type=int, default=None, help="Graine du tirage aléatoire")

    def handle(self, *args, invoices, seed, **options):
        if invoices < 1:
            raise CommandError("--invoices doit être au moins 1.")
        if connection.vendor != "postgresql":
            self.stdout.write(
                self.style.WARNING(
                    "Base autre que PostgreSQL : insertions par lots (lent au-delà de "
                    "quelques milliers de factures)."
                )
            )
        before = Invoice.objects.count()
        started = time.monotonic()

        def progress(done):
            elapsed = time.monotonic() - started
            self.stdout.write(f"  {done:>10,} / {invoices:,} factures ({elapsed:.0f} s)")

        world = seed_volume(invoices=invoices, seed=seed, progress=progress)
        elapsed = time.monotonic() - started
        after = Invoice.objects.count()
        self.stdout.write(
            self.style.SUCCESS(
                f"{invoices:,} factures ajoutées en {elapsed:.0f} s (additif : {before:,} → "
                f"{after:,} factures en base). Destinataire principal : "
                f"{world.large.legal_name} ({world.large.identifier}), "
                f"{len(world.suppliers):,} fournisseurs. Agents : {MANAGER_EMAIL} (gestionnaire), "
                f"{AGENT_EMAIL} (3 services); sans mot de passe (bench_backoffice les connecte)."
            )
        )
