"""Measures the agents' pages at the seeded volume (`seed_volume`), through the real views
with Django's test client logged in as an agent of the large recipient.

To see how the figures change with the volume (they must not grow with the table):

    manage.py seed_volume --invoices 100000
    manage.py bench_backoffice --save /tmp/bench-100k.json
    manage.py seed_volume --invoices 900000          # adds: 1,000,000 in all
    manage.py bench_backoffice --compare /tmp/bench-100k.json
"""

import datetime
import json
import os
import random
import statistics
import time
from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.db import connection
from django.db.models import Count
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from chorus.models import Membership, Structure
from chorus.pagination import cursor_encode
from invoices.benchmarks.volume import AGENT_EMAIL, LARGE_SIRET, MANAGER_EMAIL
from invoices.counts import invoice_counts_for
from invoices.enums import InvoiceStatus
from invoices.models import Invoice

TARGET_MS = 150


class Command(BaseCommand):
    help = "Mesure p50 et p95 des pages des agents au volume chargé par seed_volume."

    def add_arguments(self, parser):
        parser.add_argument("--runs", type=int, default=30, help="Mesures par page")
        parser.add_argument("--save", help="Enregistre les chiffres (JSON) pour --compare")
        parser.add_argument("--compare", help="Chiffres enregistrés d'un autre volume")

    def handle(self, *args, runs, save, compare, **options):
        large = Structure.objects.filter(identifier=LARGE_SIRET).first()
        if large is None:
            raise CommandError("Aucune donnée de mesure : lancez d'abord seed_volume.")
        settings.DEBUG = False
        manager = Membership.objects.select_related("user").get(
            user__email=MANAGER_EMAIL, structure=large
        )
        agent = Membership.objects.select_related("user").get(
            user__email=AGENT_EMAIL, structure=large
        )
        total = Invoice.objects.count()
        held = Invoice.objects.filter(recipient=large).count()
        self.stdout.write(
            f"{connection.vendor}, {total:,} factures en base, dont {held:,} reçues par "
            f"{large.legal_name}; {runs} mesures par page; charge de la machine "
            f"{os.getloadavg()[0]:.1f} ({os.cpu_count()} cœurs).\n"
        )
        client, agent_client = Client(), Client()
        client.force_login(manager.user)
        agent_client.force_login(agent.user)
        rng = random.Random(8)
        inbox = reverse("reception:invoice_list")
        results = {}

        results["Boîte de réception, 1re page"] = self.measure(
            runs, lambda: self.get(client, inbox, {"tab": ""})
        )
        results["Boîte de réception, 1re page (agent de 3 services)"] = self.measure(
            runs, lambda: self.get(agent_client, inbox, {"tab": ""})
        )
        results["Onglet « À traiter », 1re page"] = self.measure(
            runs, lambda: self.get(client, inbox, {"tab": "a_traiter", "sort": "echeance"})
        )
        cursors = self.page_cursors(large, 500)
        results["Boîte de réception, page 500"] = self.measure(
            runs, lambda: self.get(client, inbox, {"tab": "", "apres": rng.choice(cursors)})
        )
        searches = self.searches(large)
        results["Recherche fournisseur + dates + statut"] = self.measure(
            runs, lambda: self.get(client, inbox, rng.choice(searches))
        )
        ids = list(
            Invoice.objects.filter(recipient=large)
            .order_by("-created_at")
            .values_list("pk", flat=True)[:5000:50]
        )
        results["Page d'une facture (avec précédente / suivante)"] = self.measure(
            runs,
            lambda: self.get(
                client, reverse("reception:invoice_detail", args=[rng.choice(ids)]), {"tab": ""}
            ),
        )
        results["Comptes par statut (onglets)"] = self.measure(
            runs, lambda: invoice_counts_for(manager)
        )
        results["Tableau de bord"] = self.measure(
            runs, lambda: self.get(client, reverse("reception:dashboard"), {})
        )
        results["Tableau de bord (agent de 3 services)"] = self.measure(
            runs, lambda: self.get(agent_client, reverse("reception:dashboard"), {})
        )
        export = reverse("reception:invoice_export")
        results["Export CSV de 10 000 factures"] = self.measure(
            max(5, runs // 5), lambda: self.get(client, export, {"tab": ""}, limit=10_000)
        )
        first_byte = self.measure(
            max(5, runs // 5), lambda: self.get(client, export, {"tab": ""}, limit=1)
        )
        rows_per_second = 10_000 / (results["Export CSV de 10 000 factures"]["p50"] / 1000)
        queries = self.queries(client, inbox, cursors[0])
        self.report(results, compare)
        self.stdout.write(f"\nRequêtes SQL : {queries}")
        self.stdout.write(
            f"Export CSV : {rows_per_second:,.0f} lignes/s ; premières lignes reçues en "
            f"{first_byte['p50']:.1f} ms (p50), {first_byte['p95']:.1f} ms (p95)."
        )
        if save:
            Path(save).write_text(
                json.dumps({"invoices": total, "held": held, "results": results}, indent=1)
            )
            self.stdout.write(f"Chiffres enregistrés dans {save}.")

    def get(self, client: Client, url: str, params: dict, limit: int | None = None):
        response = client.get(url, params)
        if response.status_code != 200:
            raise CommandError(f"{url} {params} : HTTP {response.status_code}")
        if response.streaming:
            lines = 0
            for chunk in response.streaming_content:
                lines += chunk.count(b"\n")
                if limit and lines > limit:
                    break
            response.close()  # ends the export's cursor when the reader stopped early
        return response

    def measure(self, runs: int, call) -> dict:
        for _ in range(3):
            call()  # warm the caches, as an agent's day does
        timings = []
        for _ in range(runs):
            started = time.perf_counter()
            call()
            timings.append((time.perf_counter() - started) * 1000)
        timings.sort()
        # The database's share, apart from the processor's load: the SQL of one more call.
        with CaptureQueriesContext(connection) as captured:
            call()
        sql = sum(float(query["time"]) for query in captured.captured_queries) * 1000
        return {
            "sql": sql,
            "p50": statistics.median(timings),
            "p95": timings[min(len(timings) - 1, round(0.95 * (len(timings) - 1)))],
            "max": timings[-1],
        }

    def page_cursors(self, large, page: int) -> list[str]:
        """Cursors of pages around `page` of the inbox (sorted by deposit, newest first), as
        following "next" 499 times would give them."""
        rows = (
            Invoice.objects.filter(recipient=large)
            .order_by("-created_at", "-pk")
            .values_list("created_at", "pk")[(page - 1) * 20 - 1 : (page + 20) * 20 : 20]
        )
        return [cursor_encode(row) for row in rows]

    def searches(self, large) -> list[dict]:
        """Supplier + deposits over one, three or six months + a status, as an agent types
        them: the supplier by the start of its name (its trade and name, matching a few
        suppliers) or by its SIRET, busy suppliers and quiet ones."""
        suppliers = list(
            Invoice.objects.filter(recipient=large)
            .values("supplier__legal_name", "supplier__identifier")
            .annotate(n=Count("id"))
            .order_by("-n")[:200]
        )
        latest = Invoice.objects.filter(recipient=large).latest("created_at").created_at.date()
        searches = []
        for index, row in enumerate(suppliers[::20]):
            words = row["supplier__legal_name"].split()
            term = row["supplier__identifier"] if index % 2 else " ".join(words[:-2])
            for months, status in (
                (1, InvoiceStatus.MISE_A_DISPOSITION),
                (3, "SERVICE_FAIT"),
                (6, InvoiceStatus.MISE_EN_PAIEMENT),
            ):
                searches.append(
                    {
                        "supplier": term,
                        "deposited_from": (
                            latest - datetime.timedelta(days=30 * months)
                        ).isoformat(),
                        "deposited_to": latest.isoformat(),
                        "status": status,
                    }
                )
        return searches

    def queries(self, client, inbox, cursor) -> str:
        counted = []
        for params in ({"tab": ""}, {"tab": "", "apres": cursor}):
            with CaptureQueriesContext(connection) as captured:
                self.get(client, inbox, params)
            counted.append(str(len(captured)))
        return f"boîte de réception {counted[0]} (1re page), {counted[1]} (page 500)"

    def report(self, results: dict, compare: str | None):
        before = json.loads(Path(compare).read_text()) if compare else None
        header = f"{'Mesure':<52} {'p50 ms':>8} {'p95 ms':>8} {'SQL ms':>8}"
        if before:
            header += f"   {'à ' + format(before['invoices'], ',') + ' : p50 / p95 / SQL':>32}"
        self.stdout.write(header)
        self.stdout.write("-" * len(header))
        for name, figures in results.items():
            line = (
                f"{name:<52} {figures['p50']:>8.1f} {figures['p95']:>8.1f} "
                f"{figures.get('sql', 0):>8.1f}"
            )
            if before and name in before["results"]:
                old = before["results"][name]
                line += f"   {old['p50']:>12.1f} / {old['p95']:.1f} / {old.get('sql', 0):.1f}"
            flag = "" if figures["p95"] < TARGET_MS else f"  > {TARGET_MS} ms"
            self.stdout.write(line + flag)
