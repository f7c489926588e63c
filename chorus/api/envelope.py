"""The Chorus Pro envelope (`codeRetour`, `libelle`) and list pagination, shared by every operation.

A list request carries its page in `parametres` or `parametresRecherche` (or a key of its own,
such as `parametresRechercherServicesStructure`):
`{nbResultatsParPage, pageResultatDemandee, triColonne, triSens}`; the answer carries
`parametresRetour {nbResultatsParPage, pageCourante, pages, total}`.
"""

import math
from dataclasses import dataclass
from typing import ClassVar

from django.db.models import QuerySet
from django.utils.translation import gettext_lazy as _
from rest_framework import serializers
from rest_framework.response import Response

from chorus.api.errors import SUCCESS

DEFAULT_PAGE_SIZE = 10
# Larger pages are brought down to this size, as Chorus Pro does: the client reads
# `parametresRetour.pages` and asks for the next pages.
MAX_PAGE_SIZE = 100
ASCENDING = "Ascendant"
DESCENDING = "Descendant"


# Ids are signed 64-bit integers in the database: a larger number names nothing, and a
# database cannot even compare it.
MAX_ID = 2**63 - 1


class IdField(serializers.IntegerField):
    """An id sent by a client: 0 to 2^63 - 1 (0 and null mean "none", as clients send)."""

    def __init__(self, **kwargs):
        kwargs.setdefault("min_value", 0)
        kwargs.setdefault("max_value", MAX_ID)
        super().__init__(**kwargs)


def optional_list(child: serializers.Field, **kwargs) -> serializers.ListField:
    """A list that may be absent or null, but whose items may not be null."""
    return serializers.ListField(child=child, required=False, allow_null=True, **kwargs)


class CproResponseSerializer(serializers.Serializer):
    """Every successful answer: `codeRetour` 0 and `libelle` GCU_MSG_01_000."""

    codeRetour = serializers.IntegerField(help_text=_("0 : le traitement a réussi."))
    libelle = serializers.CharField(
        help_text=_("Code du message : GCU_MSG_01_000 en cas de succès.")
    )


def cpro_success(serializer_class: type[CproResponseSerializer], **data) -> Response:
    """A 200 answer in the envelope, serialised by the operation's output serializer."""
    payload = {"codeRetour": SUCCESS.code_retour, "libelle": SUCCESS.code, **data}
    return Response(serializer_class(payload).data)


class FieldErrorSerializer(serializers.Serializer):
    champ = serializers.CharField(
        help_text=_("Chemin du champ en erreur, par exemple structure.identifiantStructure.")
    )
    message = serializers.CharField(help_text=_("Ce qui ne va pas et comment le corriger."))


class ErrorSerializer(serializers.Serializer):
    """Every error answer (4xx, 5xx)."""

    codeRetour = serializers.IntegerField(
        help_text=_("Non nul : groupe × 1000 + numéro du message.")
    )
    libelle = serializers.CharField(help_text=_("« code du message : explication et correction »."))
    erreurs = FieldErrorSerializer(
        many=True, required=False, help_text=_("Pour une requête invalide : une entrée par champ.")
    )


class PaginationSerializer(serializers.Serializer):
    nbResultatsParPage = serializers.IntegerField(
        required=False,
        allow_null=True,
        min_value=1,
        max_value=MAX_ID,
        help_text=_("Résultats par page : %(default)s par défaut, au plus %(max)s.")
        % {"default": DEFAULT_PAGE_SIZE, "max": MAX_PAGE_SIZE},
    )
    pageResultatDemandee = serializers.IntegerField(
        required=False,
        allow_null=True,
        min_value=1,
        # The offset of the page stays within what a database counts.
        max_value=MAX_ID // MAX_PAGE_SIZE,
        help_text=_("Page demandée, à partir de 1."),
    )
    triColonne = serializers.CharField(
        required=False,
        allow_blank=True,
        allow_null=True,
        help_text=_("Colonne de tri ; les valeurs admises sont données par chaque opération."),
    )
    triSens = serializers.CharField(
        required=False,
        allow_blank=True,
        allow_null=True,
        help_text=_("Ascendant (par défaut) ou Descendant."),
    )

    def to_internal_value(self, data):
        # Some clients spell the key "triSense".
        if isinstance(data, dict) and "triSense" in data and "triSens" not in data:
            data = {**data, "triSens": data["triSense"]}
        return super().to_internal_value(data)

    def validate_triSens(self, value):
        if not value or not value.strip():
            return ASCENDING
        normalised = value.strip().capitalize()
        if normalised not in (ASCENDING, DESCENDING):
            raise serializers.ValidationError(
                _("« %(value)s » n'est pas un sens de tri : écrivez Ascendant ou Descendant.")
                % {"value": value}
            )
        return normalised


@dataclass(frozen=True)
class PageRequest:
    size: int
    number: int
    ordering: tuple[str, ...]


class PaginatedRequestSerializer(serializers.Serializer):
    """Base of a list operation's request serializer.

    Subclasses set `sort_columns` ({triColonne value: model field}) and `default_sort`, and may
    declare the operation's own pagination key as another `PaginationSerializer` field. The
    validated data then carries `page`, a `PageRequest` for `paginate()`.
    """

    sort_columns: ClassVar[dict[str, str]] = {}
    default_sort: ClassVar[str] = "pk"

    parametres = PaginationSerializer(
        required=False, allow_null=True, help_text=_("Pagination et tri de la réponse.")
    )
    parametresRecherche = PaginationSerializer(
        required=False, allow_null=True, help_text=_("Autre nom accepté pour « parametres ».")
    )

    def validate(self, attrs):
        attrs = super().validate(attrs)
        blocks = {
            name: attrs.pop(name)
            for name, field in self.fields.items()
            if isinstance(field, PaginationSerializer) and name in attrs
        }
        key, block = next(((k, b) for k, b in blocks.items() if b), ("parametres", {}))
        attrs["page"] = self._page_request(key, block)
        return attrs

    def _page_request(self, key: str, block: dict) -> PageRequest:
        column = (block.get("triColonne") or "").strip()
        field = self.default_sort
        if column:
            by_name = {name.lower(): field for name, field in self.sort_columns.items()}
            if column.lower() not in by_name:
                raise serializers.ValidationError(
                    {
                        key: {
                            "triColonne": [
                                _(
                                    "« %(column)s » n'est pas une colonne de tri : utilisez %(allowed)s."
                                )
                                % {"column": column, "allowed": ", ".join(self.sort_columns)}
                            ]
                        }
                    }
                )
            field = by_name[column.lower()]
        prefix = "-" if block.get("triSens") == DESCENDING else ""
        return PageRequest(
            size=min(block.get("nbResultatsParPage") or DEFAULT_PAGE_SIZE, MAX_PAGE_SIZE),
            number=block.get("pageResultatDemandee") or 1,
            ordering=(prefix + field, prefix + "pk"),
        )


class PaginationResultSerializer(serializers.Serializer):
    nbResultatsParPage = serializers.IntegerField()
    pageCourante = serializers.IntegerField()
    pages = serializers.IntegerField()
    total = serializers.IntegerField()


class PaginatedResponseSerializer(CproResponseSerializer):
    parametresRetour = PaginationResultSerializer()


def paginate(queryset: QuerySet, page: PageRequest) -> tuple[list, dict]:
    """The requested page of the queryset and its `parametresRetour`."""
    total = queryset.count()
    start = (page.number - 1) * page.size
    items = list(queryset.order_by(*page.ordering)[start : start + page.size])
    return items, {
        "nbResultatsParPage": page.size,
        "pageCourante": page.number,
        "pages": math.ceil(total / page.size),
        "total": total,
    }
