"""Counts the invoices again per recipient, service and status (invoices.counts): the
counts are kept with every move; this puts them right after rows were written otherwise."""

from django.core.management.base import BaseCommand

from invoices.counts import invoice_counts_rebuild


class Command(BaseCommand):
    help = "Recalcule les comptes de factures par destinataire, service et statut."

    def add_arguments(self, parser):
        parser.add_argument(
            "--recipient", type=int, action="append", help="Id d'une structure (sinon toutes)"
        )

    def handle(self, *args, recipient, **options):
        rows = invoice_counts_rebuild(recipient_ids=recipient)
        self.stdout.write(self.style.SUCCESS(f"{rows} comptes recalculés."))
