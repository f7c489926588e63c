"""Benchmarks the deposit pipeline end to end on the real stack, through a real channel.

    python manage.py bench_ingest --invoices 500 --channel edi [--workers 2] [--kb 30]

Needs PostgreSQL (DATABASE_URL) and Redis (REDIS_URL): it runs against them, in the database
the command is given. It creates (once) the benchmark data, generates N valid invoices with the
project's writers, then starts everything itself on loopback, on a Celery queue of its own:
a `celery -A chorus worker` with --workers processes, and the channel's server (`run_sftp` for
EDI, `runserver` for the API), all with DJANGO_DEBUG=false. A warm-up flow runs first,
untimed. Then:
- EDI: one zip of the N invoices is uploaded over SFTP (paramiko) into the partner's in/;
- API: N deposits of one invoice each go to POST /cpro/factures/v1/deposer/flux with an
  OAuth token and the cpro-account header (the API rate limit is lifted for the run).
It waits for every flow to be final and prints, from the database: invoices per second end to
end (first receipt to last MISE_A_DISPOSITION), p50 and p95 latency per invoice (its
MISE_A_DISPOSITION minus its flow's receipt), the workers' peak memory (RSS of the worker's
processes, sampled), the validation stage's rate on the same invoices in this one process and
the ratio of the two; for the API, the deposer/flux answer time p50/p95. Every process started
is stopped at the end; their logs stay in var/bench/<run>/.
"""

import logging
import os
import secrets
import socket
import sys
import time
from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone

from invoices.benchmarks.processes import process_start, worker_environment, worker_start

MIB = 1024 * 1024


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


class Command(BaseCommand):
    help = (
        "Mesure le débit de bout en bout du dépôt de factures (EDI ou API) sur la pile réelle : "
        "PostgreSQL, Redis et de vrais processus Celery."
    )

    def add_arguments(self, parser):
        parser.add_argument("--invoices", type=int, default=100, help="nombre de factures (100)")
        parser.add_argument("--channel", choices=["edi", "api"], default="edi", help="canal")
        parser.add_argument(
            "--workers",
            type=int,
            default=os.cpu_count() or 1,
            help="processus de travail Celery (par défaut, le nombre de cœurs)",
        )
        parser.add_argument(
            "--kb", type=int, default=30, help="taille visée de chaque facture en Ko (30)"
        )
        parser.add_argument(
            "--timeout", type=int, default=1800, help="attente maximale du traitement, en s"
        )

    def handle(self, *args, **options):
        self._check_stack()
        if options["invoices"] < 2 or options["workers"] < 1:
            raise CommandError(
                "Donnez au moins 2 factures (--invoices) et 1 processus (--workers)."
            )
        try:
            from invoices.benchmarks import ingest
        except ImportError as exc:
            raise CommandError(
                "Le banc d'essai génère ses factures avec les fabriques des tests (dossier "
                f"tests/) : lancez-le depuis une copie complète du dépôt ({exc})."
            ) from exc
        self.ingest = ingest
        logging.getLogger("paramiko").setLevel(logging.WARNING)  # one line per SFTP session
        self.options = options
        self.run = timezone.localtime().strftime("%Y%m%d%H%M%S")
        self.log_dir = Path(settings.BASE_DIR) / "var" / "bench" / self.run
        self.api = options["channel"] == "api"

        world = ingest.bench_world()
        # A flow declared CII over the API must hold CII; EDI flows mix both syntaxes.
        syntaxes = ["cii"] if self.api else ["ubl", "cii"]
        make = dict(syntaxes=syntaxes, target_bytes=options["kb"] * 1024)
        documents = ingest.bench_documents(
            world, count=options["invoices"], prefix=f"BENCH-{self.run}", **make
        )
        warmup = ingest.bench_documents(
            world, count=2 * options["workers"], prefix=f"BENCH-{self.run}-W", **make
        )
        sizes = sorted(len(data) for _name, data in documents)
        self.stdout.write(
            f"Banc d'essai {self.run} : {len(documents)} factures {'/'.join(syntaxes).upper()} "
            f"de {sizes[0] // 1024} à {sizes[-1] // 1024} Ko, canal {options['channel'].upper()}, "
            f"{options['workers']} processus de travail ; journaux dans {self.log_dir}"
        )
        validation = ingest.validation_rate(documents, world.supplier)
        self.stdout.write(f"  validation seule, dans ce processus : {validation:.1f} factures/s")

        processes = []
        try:
            worker, server, port = self._start(processes)
            self._deposit(world, warmup, port)  # untimed: caches, connections, first queries
            with ingest.MemorySampler(worker.rss_bytes) as memory:
                flow_ids, latency, reports_after = self._deposit(world, documents, port)
            figures = ingest.flows_figures(flow_ids)
            workers_count = len(worker.pids())
        finally:
            for process in reversed(processes):
                process.stop()
        self._report(figures, validation, memory.peak, workers_count, latency, reports_after)

    def _check_stack(self) -> None:
        if "postgresql" not in settings.DATABASES["default"]["ENGINE"]:
            raise CommandError(
                "bench_ingest mesure la pile réelle : définissez DATABASE_URL=postgres://... "
                "(la base où créer les données du banc d'essai)."
            )
        if not settings.CELERY_BROKER_URL.startswith("redis"):
            raise CommandError(
                "bench_ingest mesure la pile réelle : définissez REDIS_URL=redis://... "
                "(courtier Celery des processus de travail)."
            )

    def _start(self, processes: list):
        options = self.options
        queue = f"bench-{self.run}-{os.getpid()}"
        environment = worker_environment(
            queue=queue,
            DJANGO_DEBUG="false",
            DJANGO_SECRET_KEY=os.environ.get("DJANGO_SECRET_KEY") or secrets.token_urlsafe(50),
            API_RATE_LIMIT="1000000/min",  # a policy, not a cost: lifted to measure
        )
        worker = worker_start(
            name=queue,
            environment=environment,
            concurrency=options["workers"],
            log_path=self.log_dir / "worker.log",
        )
        processes.append(worker)
        port = _free_port()
        manage = [sys.executable, str(Path(settings.BASE_DIR) / "manage.py")]
        if self.api:
            command = [*manage, "runserver", f"127.0.0.1:{port}", "--noreload", "--skip-checks"]
            name, ready = "runserver", "Quit the server with"
        else:
            command = [*manage, "run_sftp", "--host", "127.0.0.1", "--port", str(port)]
            name, ready = "run_sftp", "à l'écoute"
        server = process_start(
            name=name,
            command=command,
            environment=environment,
            log_path=self.log_dir / f"{name}.log",
            ready=ready,
        )
        processes.append(server)
        for process in processes:
            process.wait_ready()
        return worker, server, port

    def _deposit(self, world, documents, port):
        """Deposits `documents` through the channel, waits for their flows to be final;
        returns the flow ids, for the API the deposit answer times, for EDI how long after the
        flow's final state its reports were in out/."""
        from invoices.api.latency import api_headers, deposit_latency
        from invoices.enums import FlowSyntax
        from invoices.models import Flow

        ingest = self.ingest
        latency = reports_after = None
        if self.api:
            client = ingest.LoopbackHttp(port)
            headers = api_headers(
                access_token=client.access_token(world),
                login=world.account.login,
                password=world.password,
            )
            latency = deposit_latency(
                client=client, headers=headers, documents=documents, syntax=FlowSyntax.CII
            )
            names = [name for name, _data in documents]
            flow_ids = list(
                Flow.objects.filter(technical_account=world.account, filename__in=names)
                .values_list("pk", flat=True)
                .distinct()
            )
        else:
            filename = f"{documents[0][0].split('.')[0]}-lot.zip"
            ingest.sftp_upload(
                port=port, world=world, filename=filename, data=ingest.zip_of(documents)
            )
            deadline = time.monotonic() + 60
            flow_ids = []
            while not flow_ids and time.monotonic() < deadline:
                time.sleep(0.05)
                flow_ids = list(
                    Flow.objects.filter(
                        technical_account=world.account, filename=filename
                    ).values_list("pk", flat=True)
                )
            if not flow_ids:
                raise CommandError(f"Le dépôt SFTP de {filename} n'est pas devenu un flux.")
        try:
            ingest.flows_wait(flow_ids, timeout=self.options["timeout"])
            if not self.api:
                reports_after = ingest.edi_reports_wait(
                    flow_ids[0], filename, timeout=self.options["timeout"]
                )
        except TimeoutError as exc:
            raise CommandError(f"Traitement inachevé : {exc}.") from exc
        return flow_ids, latency, reports_after

    def _report(self, figures, validation, peak_rss, processes, latency, reports_after):
        write = self.stdout.write
        write(
            f"  factures : {figures.invoices}, intégrées {figures.integrated}, "
            f"refusées {figures.refused}"
        )
        if figures.refused:
            write(self.style.WARNING(f"  premier refus : {figures.first_refusal}"))
        write(
            f"  de bout en bout (réception -> MISE_A_DISPOSITION) : {figures.rate:.1f} "
            f"factures/s, dernière facture {figures.seconds:.1f} s après la réception"
        )
        write(
            f"  latence par facture : p50 {figures.centile(50):.2f} s, "
            f"p95 {figures.centile(95):.2f} s"
        )
        ratio = figures.rate / validation
        per_process = ratio / self.options["workers"]
        write(
            f"  rapport bout en bout / validation seule : {ratio:.2f} (objectif >= 0,7 en EDI) ; "
            f"par processus de travail : {per_process:.2f}"
        )
        write(f"  mémoire des workers (pic RSS, {processes} processus) : {peak_rss / MIB:.0f} Mio")
        if reports_after is not None:
            write(
                f"  comptes rendus JSON et PDF dans out/ : {reports_after:.1f} s après l'état "
                "final du flux"
            )
        if latency is not None:
            write(
                f"  deposer/flux : {latency.samples} dépôts, p50 {latency.p50_ms:.1f} ms, "
                f"p95 {latency.p95_ms:.1f} ms, max {latency.max_ms:.1f} ms (objectif p95 < 200 ms)"
            )
