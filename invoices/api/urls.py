"""Routes of the invoice and transverse operations, as Chorus Pro names them (no trailing
slash). Included from chorus/api/urls.py above its catch-all route."""

from django.urls import path

from invoices.api import views

FACTURES = "cpro/factures/v1/"
TRANSVERSES = "cpro/transverses/v1/"

urlpatterns = [
    path(f"{FACTURES}deposer/flux", views.DeposerFluxView.as_view(), name="cpro_deposer_flux"),
    path(f"{FACTURES}verifier", views.VerifierView.as_view(), name="cpro_verifier"),
    path(f"{FACTURES}soumettre", views.SoumettreFactureView.as_view(), name="cpro_soumettre"),
    path(
        f"{FACTURES}rechercher/fournisseur",
        views.RechercherFournisseurView.as_view(),
        name="cpro_rechercher_factures_fournisseur",
    ),
    path(
        f"{FACTURES}rechercher/recipiendaire",
        views.RechercherRecipiendaireView.as_view(),
        name="cpro_rechercher_factures_recipiendaire",
    ),
    path(
        f"{FACTURES}consulter/fournisseur",
        views.ConsulterFournisseurView.as_view(),
        name="cpro_consulter_facture_fournisseur",
    ),
    path(
        f"{FACTURES}consulter/recipiendaire",
        views.ConsulterRecipiendaireView.as_view(),
        name="cpro_consulter_facture_recipiendaire",
    ),
    path(
        f"{FACTURES}consulter/historique",
        views.ConsulterHistoriqueView.as_view(),
        name="cpro_consulter_historique",
    ),
    path(
        f"{FACTURES}traiter/recue",
        views.TraiterFactureRecueView.as_view(),
        name="cpro_traiter_facture_recue",
    ),
    path(f"{FACTURES}completer", views.CompleterFactureView.as_view(), name="cpro_completer"),
    path(f"{FACTURES}recycler", views.RecyclerFactureView.as_view(), name="cpro_recycler"),
    path(f"{FACTURES}traiterRejet", views.TraiterRejetView.as_view(), name="cpro_traiter_rejet"),
    path(
        f"{FACTURES}telecharger/groupe",
        views.TelechargerGroupeView.as_view(),
        name="cpro_telecharger_groupe",
    ),
    path(f"{TRANSVERSES}consulterCR", views.ConsulterCRView.as_view(), name="cpro_consulter_cr"),
    path(
        f"{TRANSVERSES}consulterCRDetaille",
        views.ConsulterCRDetailleView.as_view(),
        name="cpro_consulter_cr_detaille",
    ),
    path(
        f"{TRANSVERSES}recuperer/etats/traitement",
        views.EtatsTraitementView.as_view(),
        name="cpro_etats_traitement",
    ),
    path(
        f"{TRANSVERSES}ajouter/fichier",
        views.AjouterFichierView.as_view(),
        name="cpro_ajouter_fichier",
    ),
]
