"""Serves the EDI channel: the SFTP server where partners deposit flows and fetch reports.

    python manage.py run_sftp [--host HOST] [--port PORT]

Listens on settings.EDI_SFTP_HOST / EDI_SFTP_PORT unless told otherwise and serves until
SIGTERM or SIGINT; it then stops listening, closes the partners' connections and hands over
what they were uploading (as interrupted uploads, each with its report) before exiting.
"""

import asyncio
import logging
import signal

from django.conf import settings
from django.core.management.base import BaseCommand

from invoices.channels.edi import server
from invoices.channels.edi.receive import on_upload

logger = logging.getLogger(__name__)


class Command(BaseCommand):
    help = "Lance le serveur SFTP du canal EDI (dépôt des flux, comptes rendus dans out/)."

    def add_arguments(self, parser):
        parser.add_argument("--host", default=settings.EDI_SFTP_HOST, help="adresse d'écoute")
        parser.add_argument("--port", type=int, default=settings.EDI_SFTP_PORT, help="port")

    def handle(self, *args, host, port, **options):
        asyncio.run(self._serve(host, port))

    async def _serve(self, host: str, port: int) -> None:
        stop = asyncio.Event()
        loop = asyncio.get_running_loop()
        for signum in (signal.SIGTERM, signal.SIGINT):
            loop.add_signal_handler(signum, stop.set)
        acceptor = await server.serve(host, port, on_upload)
        self.stdout.write(f"Serveur SFTP EDI à l'écoute sur {host}:{acceptor.get_port()}")
        logger.info("EDI SFTP server listening on %s:%s", host, acceptor.get_port())
        await stop.wait()
        logger.info("EDI SFTP server stopping")
        await server.shutdown(acceptor)
        self.stdout.write("Serveur SFTP EDI arrêté.")
