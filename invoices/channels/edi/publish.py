"""Integration reports of EDI flows, dropped in the partner's `out/` once the flow is final.

Each report is written twice from the same `flow_report` data:
`out/<numeroFluxDepot>_<name uploaded>.json` (UTF-8) and `.pdf`. Files are written under a
temporary name outside the partner's tree, then renamed into `out/`, so a partner never
downloads half a report. Publishing again rewrites the same files: harmless.

A byte-identical re-send gets the original flow (see `flow_receive`): its report is
published again under the name of the re-send, so every upload has a report. The names of
re-sends are kept as empty marker files under `<EDI_ROOT>/.resent/<flow id>/` until the flow
is final and its reports are written.
"""

import contextlib
import json
import logging
import os
import tempfile
from pathlib import Path

from django.conf import settings
from django.core.serializers.json import DjangoJSONEncoder
from django.db import transaction
from django.utils import translation

from invoices.channels.edi.server import OUTBOX, account_root, staging_dir
from invoices.enums import DepositChannel, FlowStatus
from invoices.ingestion.report import flow_report
from invoices.ingestion.report_pdf import report_pdf
from invoices.models import Flow
from invoices.workflow import FLOW_WORKFLOW

logger = logging.getLogger(__name__)

# Room for "FLX<date><id>_" and ".json" within the usual 255-byte file name limit.
_NAME_MAX_BYTES = 200


def _safe_name(uploaded_name: str) -> str:
    """The uploaded name as one bounded path component."""
    name = uploaded_name.replace("/", "_").replace("\\", "_").replace("\0", "_")
    return name.encode()[:_NAME_MAX_BYTES].decode(errors="ignore")


def report_base_name(flow: Flow, uploaded_name: str) -> str:
    """`<numeroFluxDepot>_<name uploaded>`: the report's file name without its extension."""
    return f"{flow.number}_{_safe_name(uploaded_name)}"


def _resent_dir(flow_id: int) -> Path:
    return Path(settings.EDI_ROOT) / ".resent" / str(flow_id)


def _uploaded_names(flow: Flow) -> list[str]:
    """The names under which this flow's report is due: the EDI upload and its re-sends."""
    names = [_safe_name(flow.filename)] if flow.channel == DepositChannel.EDI else []
    resent = _resent_dir(flow.pk)
    if resent.is_dir():
        names += sorted(marker.name for marker in resent.iterdir())
    return list(dict.fromkeys(names))


@FLOW_WORKFLOW.on_enter(*FlowStatus.final())
def _publish_when_final(change) -> None:
    """A flow's reports are due in its partner's out/ once it reaches its end."""
    from invoices.tasks import flow_reports_publish_task

    flow_reports_publish_task.delay(change.flow_id)


def flow_resent_register(flow: Flow, uploaded_name: str) -> None:
    """Answers a re-send with the original flow's report under the re-sent name."""
    resent = _resent_dir(flow.pk)
    resent.mkdir(parents=True, exist_ok=True)
    # The marker is written before the queueing: the flow may become final meanwhile, and
    # the publication run at that moment then sees the marker too.
    (resent / _safe_name(uploaded_name)).touch()
    flow_reports_queue(flow)


def flow_reports_queue(flow: Flow) -> None:
    """Queues, after commit, the publication of a flow's reports if a partner awaits them."""
    if flow.technical_account_id is None or not _uploaded_names(flow):
        return
    from invoices.tasks import flow_reports_publish_task

    transaction.on_commit(lambda: flow_reports_publish_task.delay(flow.pk))


def write_atomically(target: Path, data: bytes) -> None:
    """Writes a file a partner may fetch: complete or absent, never half written."""
    # The temporary file sits outside the partner's tree, on the same file system as out/.
    with tempfile.NamedTemporaryFile(dir=staging_dir(), suffix=".report", delete=False) as tmp:
        tmp.write(data)
        tmp.flush()
        os.fsync(tmp.fileno())
    try:
        os.chmod(tmp.name, 0o644)
        os.replace(tmp.name, target)
    except BaseException:
        Path(tmp.name).unlink(missing_ok=True)
        raise


def flow_reports_publish(flow_id: int) -> list[Path]:
    """Writes a final flow's JSON and PDF reports in its partner's out/; returns their paths."""
    flow = Flow.objects.filter(pk=flow_id).first()
    if flow is None or not flow.is_final or flow.technical_account_id is None:
        return []
    names = _uploaded_names(flow)
    if not names:
        return []
    with translation.override("fr"):  # partners' reports are in French, like the PDF
        report = flow_report(flow)
        as_json = json.dumps(report, cls=DjangoJSONEncoder, ensure_ascii=False, indent=2)
    as_pdf = report_pdf(report)
    outbox = account_root(flow.technical_account_id) / OUTBOX
    written = []
    for name in names:
        base = report_base_name(flow, name)
        for suffix, data in ((".json", as_json.encode("utf-8")), (".pdf", as_pdf)):
            write_atomically(outbox / f"{base}{suffix}", data)
            written.append(outbox / f"{base}{suffix}")
    # Only the markers just published go: a re-send registered meanwhile queued its own run.
    resent = _resent_dir(flow.pk)
    for name in names:
        (resent / name).unlink(missing_ok=True)
    with contextlib.suppress(OSError):
        resent.rmdir()
    logger.info("flow %s: reports published as %s", flow.number, ", ".join(p.name for p in written))
    return written
