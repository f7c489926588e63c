"""The motive catalogue for connectors: which code to send with traiter/recue, and what the
supplier will read."""

from django.utils import translation

from chorus.api.base import CproView, cpro_operation
from chorus.api.envelope import cpro_success
from rejections.api.serializers import MotifsRequestSerializer, MotifsResponseSerializer
from rejections.models import Motive


class MotifsView(CproView):
    @cpro_operation(
        operation_id="recupererMotifs",
        summary="Motifs de suspension, de renvoi, de rejet et de refus",
        tag="Transverses",
        request=MotifsRequestSerializer,
        response=MotifsResponseSerializer,
        description=(
            "Le catalogue des motifs actifs : le code à donner en motif de "
            "factures/v1/traiter/recue, son libellé, l'explication et la correction que lit le "
            "fournisseur, les issues qu'il permet et celle qui pénalise le moins."
        ),
    )
    def post(self, request):
        data = self.validated(MotifsRequestSerializer)
        motives = Motive.objects.filter(active=True)
        if "codeMotif" in data:
            motives = motives.filter(code=data["codeMotif"])
        if "issue" in data:
            motives = [m for m in motives if data["issue"] in m.outcomes]
        with translation.override(data.get("codeLangue", "FR").lower()):
            return cpro_success(MotifsResponseSerializer, listeMotifs=list(motives))
