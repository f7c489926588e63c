"""The agents' inbox search: the form, the invoices it finds among those the agent may see,
sorted, and how many there are.

`received_search(membership, params)` is the one entry point of the inbox, the invoice page's
"previous / next", the bulk actions and the CSV export. The queryset it returns reads only the
list's columns (never the stored document nor the file) and is ordered by one of the sorts the
indexes serve (invoices.models.Invoice.Meta.indexes), then by id: pages are read by keyset
(chorus.pagination.keyset_page) with `received_sort`.
"""

import re
from dataclasses import dataclass

from django import forms
from django.db.models import CharField, Q, QuerySet, Value
from django.db.models.functions import Coalesce
from django.http import QueryDict
from django.utils.translation import gettext_lazy as _

from chorus.forms import DsfrBaseForm
from chorus.models import Membership, Service, Structure
from chorus.pagination import AFTER, BEFORE, capped_count
from invoices.counts import invoice_counts_for
from invoices.enums import INVOICE_STAGES, STAGE_OF_STATUS, DepositChannel, InvoiceStatus
from invoices.models import Invoice, invoice_stage
from invoices.selectors import invoices_received_for

S = InvoiceStatus


@dataclass(frozen=True)
class Tab:
    slug: str
    label: str
    statuses: tuple[str, ...]


# The inbox's tabs, in the order of the work: each a stage (a group of statuses).
_TAB_LABELS = {
    "a_traiter": _("À traiter"),
    "suspendues": _("Suspendues"),
    "service_fait": _("Service fait"),
    "mandatees": _("Mandatées"),
    "payees": _("Mises en paiement"),
    "rejetees": _("Rejetées"),
    "renvoyees": _("Renvoyées pour recyclage"),
    "en_acheminement": _("En acheminement"),
}
TABS = tuple(Tab(slug, _TAB_LABELS[slug], statuses) for slug, statuses in INVOICE_STAGES.items())
TABS_BY_SLUG = {tab.slug: tab for tab in TABS}

# Each sort: the column and whether it runs downwards; then by id, the same way.
SORTS = {
    "-depot": ("created_at", True),
    "depot": ("created_at", False),
    "echeance": ("due_date", False),
    "-echeance": ("due_date", True),
    "-montant": ("total_with_vat", True),
    "montant": ("total_with_vat", False),
    "fournisseur": ("supplier_name", False),
    "-fournisseur": ("supplier_name", True),
}
DEFAULT_SORT = "-depot"
SORT_CHOICES = [
    ("-depot", _("Dépôt, le plus récent d'abord")),
    ("depot", _("Dépôt, le plus ancien d'abord")),
    ("echeance", _("Échéance, la plus proche d'abord")),
    ("-echeance", _("Échéance, la plus lointaine d'abord")),
    ("-montant", _("Montant TTC, le plus élevé d'abord")),
    ("montant", _("Montant TTC, le plus faible d'abord")),
    ("fournisseur", _("Fournisseur, de A à Z")),
    ("-fournisseur", _("Fournisseur, de Z à A")),
]

# The columns a list of invoices shows, and its sort keys: nothing else is read.
LIST_COLUMNS = (
    "id",
    "number",
    "type_code",
    "issue_date",
    "currency",
    "supplier_name",
    "seller_identifier",
    "order_reference",
    "total_with_vat",
    "due_date",
    "status",
    "status_at",
    "channel",
    "has_attachments",
    "created_at",
    "service__code",
    "service__name",
)

# Beyond this many, a search other than a tab or a service says "more than" instead of
# counting every invoice it finds.
COUNT_LIMIT = 1000

# A supplier name matching up to this many suppliers searches their ids, listed.
SUPPLIERS_LISTED = 500

_DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
_SIRET_START = re.compile(r"^\d[\d ]*$")


class ReceivedSearchForm(DsfrBaseForm):
    tab = forms.ChoiceField(
        label=_("Onglet"),
        choices=[("", _("Toutes"))] + [(tab.slug, tab.label) for tab in TABS],
        required=False,
        widget=forms.HiddenInput,
    )
    number = forms.CharField(label=_("Numéro de facture"), max_length=200, required=False)
    supplier = forms.CharField(
        label=_("Fournisseur"), help_text=_("Nom ou SIRET"), max_length=250, required=False
    )
    status = forms.ChoiceField(
        label=_("Statut"),
        choices=[("", _("Tous les statuts"))] + InvoiceStatus.choices,
        required=False,
    )
    service = forms.TypedChoiceField(
        label=_("Service"),
        coerce=int,
        empty_value=None,
        required=False,
        error_messages={"invalid_choice": _("Choisissez un de vos services.")},
    )
    ej = forms.CharField(label=_("Engagement juridique"), max_length=200, required=False)
    deposited_from = forms.DateField(label=_("Déposée à partir du"), required=False, widget=_DATE)
    deposited_to = forms.DateField(label=_("Déposée jusqu'au"), required=False, widget=_DATE)
    date_from = forms.DateField(label=_("Émise à partir du"), required=False, widget=_DATE)
    date_to = forms.DateField(label=_("Émise jusqu'au"), required=False, widget=_DATE)
    amount_min = forms.DecimalField(
        label=_("Montant TTC minimum"),
        help_text=_("En euros, par exemple 1500"),
        required=False,
        min_value=0,
        max_digits=19,
        decimal_places=2,
        localize=True,
    )
    amount_max = forms.DecimalField(
        label=_("Montant TTC maximum"),
        help_text=_("En euros, par exemple 1500"),
        required=False,
        min_value=0,
        max_digits=19,
        decimal_places=2,
        localize=True,
    )
    channel = forms.ChoiceField(
        label=_("Canal de dépôt"),
        choices=[("", _("Tous les canaux"))] + DepositChannel.choices,
        required=False,
    )
    attachments = forms.ChoiceField(
        label=_("Pièces jointes"),
        choices=[("", _("Avec ou sans")), ("oui", _("Avec pièces jointes")), ("non", _("Sans"))],
        required=False,
    )
    sort = forms.ChoiceField(label=_("Trier par"), choices=SORT_CHOICES, required=False)

    def __init__(self, *args, membership: Membership, **kwargs):
        super().__init__(*args, **kwargs)
        services = Service.objects.filter(structure_id=membership.structure_id)
        if not membership.is_manager:
            services = services.filter(agents=membership)
        # Listed once (a model choice field would read them through a server-side cursor).
        self.services = {service.pk: service for service in services.order_by("code")}
        self.fields["service"].choices = [("", _("Tous vos services"))] + [
            (pk, str(service)) for pk, service in self.services.items()
        ]

    def clean_service(self) -> Service | None:
        pk = self.cleaned_data["service"]
        return None if pk is None else self.services[pk]

    def clean(self):
        data = super().clean()
        for low, high, message in (
            ("deposited_from", "deposited_to", _("La fin doit suivre le début.")),
            ("date_from", "date_to", _("La fin doit suivre le début.")),
            ("amount_min", "amount_max", _("Le maximum doit dépasser le minimum.")),
        ):
            if data.get(low) is not None and data.get(high) is not None and data[high] < data[low]:
                self.add_error(high, message)
        return data

    MAIN_FIELDS = ("number", "supplier", "status", "service", "sort")

    def main_fields(self):
        return [self[name] for name in self.MAIN_FIELDS]

    def more_fields(self):
        return [
            self[name] for name in self.fields if name not in self.MAIN_FIELDS and name != "tab"
        ]

    @property
    def chosen_sort(self) -> str:
        data = getattr(self, "cleaned_data", None) or {}
        return data.get("sort") or DEFAULT_SORT

    def only_counted_criteria(self) -> bool:
        """Whether the search narrows by tab, status and service alone: the kept counts
        (invoices.counts) then give its exact size."""
        data = self.cleaned_data
        return not any(
            data.get(name) not in (None, "")
            for name in self.fields
            if name not in ("tab", "status", "service", "sort")
        )


def received_sort(form: ReceivedSearchForm) -> tuple[str, bool]:
    """The column the search sorts by and whether it runs downwards (then by id)."""
    key, descending = SORTS[form.chosen_sort if form.is_bound and form.is_valid() else DEFAULT_SORT]
    if key == "supplier_name" and getattr(form, "few_suppliers", False):
        key = SUPPLIER_SORT
    return key, descending


# Sorting by supplier within a search of a few suppliers: the same order, by an expression the
# supplier-name index does not serve, so that the database reads those suppliers' invoices
# first (a walk along the index would pass over all the others). Its column on the invoice:
SUPPLIER_SORT = "supplier_sort"
SORT_COLUMNS = {SUPPLIER_SORT: "supplier_name"}
# A supplier search matching at most this many suppliers (or a SIRET) is "a few suppliers".
FEW_SUPPLIERS = 100


def received_list(membership: Membership) -> QuerySet[Invoice]:
    """The invoices the agent sees, as lists read them: their columns only."""
    return (
        invoices_received_for(membership)
        .select_related(None)
        .select_related("service")
        .only(*LIST_COLUMNS)
    )


def received_search(
    membership: Membership, params: QueryDict
) -> tuple[ReceivedSearchForm, QuerySet]:
    """The inbox search form bound to `params` and the invoices it finds among those the agent
    sees, sorted (the sort chosen, then id). Invalid criteria find nothing narrower: the
    form carries their errors and the whole inbox is returned."""
    form = ReceivedSearchForm(params or None, membership=membership)
    invoices = received_list(membership)
    if form.is_bound and form.is_valid():
        criteria, form.few_suppliers = _criteria(form.cleaned_data)
        invoices = invoices.alias(stage=invoice_stage()).filter(criteria)
    key, descending = received_sort(form)
    if key == SUPPLIER_SORT:
        invoices = invoices.annotate(
            **{SUPPLIER_SORT: Coalesce("supplier_name", Value(""), output_field=CharField())}
        )
    sign = "-" if descending else ""
    return form, invoices.order_by(f"{sign}{key}", f"{sign}pk")


def _criteria(data: dict) -> tuple[Q, bool]:
    """The filters, and whether they narrow to a few suppliers (FEW_SUPPLIERS)."""
    criteria, few_suppliers = Q(), False
    # The stage leads the tabs' indexes: a status is searched within its stage.
    if data.get("tab"):
        criteria &= Q(stage=data["tab"])
    if data.get("status"):
        criteria &= Q(stage=STAGE_OF_STATUS[data["status"]], status=data["status"])
    if data.get("service"):
        criteria &= Q(service=data["service"])
    if data.get("number", "").strip():
        criteria &= Q(number__icontains=data["number"].strip())
    term = data.get("supplier", "").strip()
    if term:
        if _SIRET_START.match(term):
            criteria &= Q(seller_identifier__startswith=term.replace(" ", ""))
            few_suppliers = True
        else:
            # The suppliers named so, then their invoices: the structures are far fewer, and
            # their ids listed let the database estimate how many invoices they hold.
            suppliers = Structure.objects.filter(legal_name__icontains=term).values_list(
                "pk", flat=True
            )
            ids = list(suppliers[: SUPPLIERS_LISTED + 1])
            criteria &= Q(supplier__in=ids if len(ids) <= SUPPLIERS_LISTED else suppliers)
            few_suppliers = len(ids) <= FEW_SUPPLIERS
    if data.get("ej", "").strip():
        criteria &= Q(order_reference=data["ej"].strip())
    for field, lookup, name in (
        ("created_at__date", "gte", "deposited_from"),
        ("created_at__date", "lte", "deposited_to"),
        ("issue_date", "gte", "date_from"),
        ("issue_date", "lte", "date_to"),
        ("total_with_vat", "gte", "amount_min"),
        ("total_with_vat", "lte", "amount_max"),
    ):
        if data.get(name) is not None:
            criteria &= Q(**{f"{field}__{lookup}": data[name]})
    if data.get("channel"):
        criteria &= Q(channel=data["channel"])
    if data.get("attachments"):
        criteria &= Q(has_attachments=data["attachments"] == "oui")
    return criteria, few_suppliers


@dataclass(frozen=True)
class TabCount:
    tab: Tab | None  # None: every invoice
    count: int
    current: bool
    query: str  # the search's query string with this tab


def _valid_data(form: ReceivedSearchForm) -> dict:
    return form.cleaned_data if form.is_bound and form.is_valid() else {}


def received_counts(membership: Membership, form: ReceivedSearchForm) -> dict[str, int]:
    """The invoices per status the agent holds within the service searched, from the kept
    counts (invoices.counts): read once per page, for its tabs and its total."""
    service = _valid_data(form).get("service")
    return invoice_counts_for(membership, service_ids=[service.pk] if service else ())


def received_tabs(form: ReceivedSearchForm, counts: dict[str, int]) -> list[TabCount]:
    """The tabs with the invoices the agent holds in each (`received_counts`): no invoice is
    counted."""
    current = _valid_data(form).get("tab", "")
    params = form.data.copy() if form.is_bound else QueryDict(mutable=True)
    for name in (AFTER, BEFORE):
        params.pop(name, None)
    tabs = []
    for tab in (None, *TABS):
        params["tab"] = tab.slug if tab else ""
        statuses = tab.statuses if tab else S.values
        tabs.append(
            TabCount(
                tab=tab,
                count=sum(counts.get(status, 0) for status in statuses),
                current=(tab.slug if tab else "") == current,
                query=params.urlencode(),
            )
        )
    return tabs


@dataclass(frozen=True)
class Total:
    count: int
    at_least: bool  # True: there are more than `count` (the search was not counted through)


def received_total(form: ReceivedSearchForm, invoices: QuerySet, counts: dict[str, int]) -> Total:
    """How many invoices the search finds: exact from the kept counts (`received_counts`)
    when it narrows by tab, status and service only, else counted up to COUNT_LIMIT at most."""
    if not form.is_bound or not form.is_valid() or form.only_counted_criteria():
        data = _valid_data(form)
        statuses = set(S.values)
        if data.get("tab"):
            statuses &= set(TABS_BY_SLUG[data["tab"]].statuses)
        if data.get("status"):
            statuses &= {data["status"]}
        return Total(sum(counts.get(status, 0) for status in statuses), at_least=False)
    return Total(*capped_count(invoices, COUNT_LIMIT))
