"""Inputs and outputs of transverses/v1/recuperer/motifs, with Chorus Pro-style field names."""

from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from chorus.api.envelope import CproResponseSerializer
from rejections.catalogue import least_disruptive_outcome
from rejections.enums import MotiveFamily, Outcome
from rejections.models import Motive

LANGUAGES = ["FR", "EN"]


def _choice(values: list[str], **kwargs) -> serializers.ChoiceField:
    """A choice field whose error lists the accepted values."""
    return serializers.ChoiceField(
        choices=values,
        required=False,
        error_messages={
            "invalid_choice": _("« {input} » n'est pas une valeur admise : utilisez %(values)s.")
            % {"values": ", ".join(values)}
        },
        **kwargs,
    )


class MotifsRequestSerializer(serializers.Serializer):
    issue = _choice(
        Outcome.values,
        help_text=_("Seulement les motifs qui permettent cette issue."),
    )
    codeMotif = serializers.CharField(
        required=False, max_length=30, help_text=_("Seulement ce motif.")
    )
    codeLangue = _choice(
        LANGUAGES,
        help_text=_("Langue des libellés, explications et corrections (FR par défaut)."),
    )


class MotifSerializer(serializers.Serializer):
    codeMotif = serializers.CharField(source="code")
    famille = serializers.ChoiceField(source="family", choices=MotiveFamily.values)
    libelle = serializers.CharField(source="label")
    explication = serializers.CharField(
        source="explanation", help_text=_("Ce qui ne va pas, écrit pour le fournisseur.")
    )
    correction = serializers.CharField(
        source="fix", help_text=_("Ce que le fournisseur doit faire.")
    )
    issuesPossibles = serializers.ListField(
        source="outcomes",
        child=serializers.ChoiceField(choices=Outcome.values),
        help_text=_(
            "suspend (statut SUSPENDUE), send_back (A_RECYCLER), reject (REJETEE), "
            "refuse_integration (refus du dépôt par la plateforme), memoire_suspend et "
            "memoire_reject (mémoires de frais de justice : SUSPENDU, REJETE)."
        ),
    )
    issueProposee = serializers.SerializerMethodField(
        help_text=_("L'issue permise qui pénalise le moins le fournisseur (null : aucune).")
    )
    commentaireObligatoire = serializers.BooleanField(source="comment_required")
    codeCycleDeVie = serializers.CharField(
        source="lifecycle_code", help_text=_("Le statut de la réforme que ce motif accompagne.")
    )

    @extend_schema_field(serializers.ChoiceField(choices=Outcome.values, allow_null=True))
    def get_issueProposee(self, motive: Motive) -> str | None:
        return least_disruptive_outcome(motive)


class MotifsResponseSerializer(CproResponseSerializer):
    listeMotifs = MotifSerializer(many=True)
