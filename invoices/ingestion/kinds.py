"""Documents other than invoices that flows carry (a mémoire de frais de justice in an E3
flow), each registered by the app that owns it (see `invoices.ingestion.pipeline`).

Kept apart from the pipeline so that the report (`invoices.ingestion.report`) and the apps
registering a kind import it without the pipeline's dependencies.
"""

from collections.abc import Callable
from dataclasses import dataclass

from invoices import canonical
from invoices.models import Flow, FlowItem
from invoices.validation import Finding


@dataclass(frozen=True)
class FlowKind:
    """A document other than an invoice carried by a flow (see the module's docstring).

    `deposit(item=, document=, actor=)` records it from its canonical reading and answers the
    findings; any fatal one refuses the item, and then nothing it wrote may be kept (it
    raises or rolls back its own savepoint)."""

    syntax: str
    business_process: str
    deposit: Callable[..., list[Finding]]
    # What the flow's report says of an item's document (number, id, status), if anything.
    report_entry: Callable[[FlowItem], dict] | None = None


_FLOW_KINDS: dict[str, FlowKind] = {}


def flow_kind_register(kind: FlowKind) -> None:
    """Called by the app that owns the kind, from its AppConfig.ready()."""
    _FLOW_KINDS[kind.syntax] = kind


def flow_kind_of(flow: Flow, document: canonical.Invoice | None) -> FlowKind | None:
    """The kind of document of a flow's item: declared by the flow's syntax, else recognised
    by its business process (BT-23); None for an invoice."""
    if flow.syntax:
        return _FLOW_KINDS.get(flow.syntax)
    if document is None or not document.business_process:
        return None
    for kind in _FLOW_KINDS.values():
        if document.business_process.strip() == kind.business_process:
            return kind
    return None


def flow_kind_report(item: FlowItem) -> dict:
    """The report's fields naming the document of an item of a registered kind, if any."""
    kind = _FLOW_KINDS.get(item.flow.syntax)
    if kind is None or kind.report_entry is None:
        return {}
    return kind.report_entry(item)
