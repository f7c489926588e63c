import pytest
from django.contrib import admin
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import translation
from oauth2_provider.models import Application

from chorus.enums import Channel, IdentifierType, PublicKind, ReceptionChannel
from chorus.models import AuditEvent, BankAccount, Service, Structure, TechnicalAccount, User
from chorus.services import audit_record
from tests.chorus.factories import (
    PublicStructureFactory,
    ServiceFactory,
    StructureFactory,
    TechnicalAccountFactory,
    UserFactory,
    valid_siret,
)
from tests.chorus.test_directory_csv import GOOD_ROWS, csv_bytes, row

pytestmark = pytest.mark.django_db


@pytest.fixture
def superuser():
    return User.objects.create_superuser("admin@exemple.fr", "Motdepasse-solide-2026")


@pytest.fixture
def admin_client(client, superuser):
    client.force_login(superuser)
    return client


def structure_data(**fields) -> dict:
    data = {
        "is_public": "on",
        "kind": PublicKind.COLLECTIVITE,
        "identifier_type": IdentifierType.SIRET,
        "identifier": valid_siret(80_001),
        "legal_name": "Commune de Valmont",
        "country_code": "FR",
        "reception_channel": ReceptionChannel.PORTAIL,
        "active": "on",
        "services-TOTAL_FORMS": "0",
        "services-INITIAL_FORMS": "0",
        "services-MIN_NUM_FORMS": "0",
        "services-MAX_NUM_FORMS": "1000",
    }
    data.update(fields)
    return {key: value for key, value in data.items() if value is not None}


def test_every_changelist_and_add_page_loads(admin_client, superuser, rf):
    StructureFactory()
    request = rf.get("/")
    request.user = superuser
    failures = []
    for model, model_admin in admin.site._registry.items():
        info = (model._meta.app_label, model._meta.model_name)
        urls = [reverse("admin:{}_{}_changelist".format(*info))]
        if model_admin.has_add_permission(request):
            urls.append(reverse("admin:{}_{}_add".format(*info)))
        for url in urls:
            status = admin_client.get(url).status_code
            if status != 200:
                failures.append((url, status))
    assert failures == []


def test_the_admin_speaks_french(admin_client):
    response = admin_client.get(reverse("admin:index"))

    assert "Administration de Chorus libre" in response.text
    assert "Déconnexion" in response.text


def test_an_invalid_siret_is_shown_on_its_field(admin_client):
    response = admin_client.post(
        reverse("admin:chorus_structure_add"), structure_data(identifier="21370184000019")
    )

    assert response.status_code == 200
    errors = response.context["adminform"].form.errors
    assert "clé de contrôle" in errors["identifier"][0]
    assert not Structure.objects.exists()


def test_a_vat_number_is_validated_on_its_field(admin_client):
    response = admin_client.post(
        reverse("admin:chorus_structure_add"), structure_data(vat_number="FR00213701840")
    )

    assert "vat_number" in response.context["adminform"].form.errors


def test_an_invalid_iban_is_shown_on_its_field(admin_client):
    supplier = StructureFactory()
    data = {
        "structure": supplier.pk,
        "label": "Compte courant",
        "holder": supplier.legal_name,
        "iban": "FR7630006000011234567890188",
        "bic": "AGRIFRPP",
        "active": "on",
    }

    response = admin_client.post(reverse("admin:chorus_bankaccount_add"), data)

    assert "clé de contrôle" in response.context["adminform"].form.errors["iban"][0]
    assert not BankAccount.objects.exists()

    data["iban"] = "FR76 3000 6000 0112 3456 7890 189"
    response = admin_client.post(reverse("admin:chorus_bankaccount_add"), data)

    assert response.status_code == 302
    assert BankAccount.objects.get().iban == "FR7630006000011234567890189"


def test_adding_a_structure_with_a_service_is_audited(admin_client, superuser):
    data = structure_data(
        **{
            "services-TOTAL_FORMS": "1",
            "services-0-code": "FINANCES",
            "services-0-name": "Direction des finances",
            "services-0-active": "on",
        }
    )

    response = admin_client.post(reverse("admin:chorus_structure_add"), data)

    assert response.status_code == 302
    structure = Structure.objects.get()
    assert structure.services.get().code == "FINANCES"
    events = AuditEvent.objects.filter(actor=superuser, channel=Channel.ADMIN)
    assert set(events.values_list("action", flat=True)) == {
        "structure_admin_add",
        "service_admin_add",
    }
    assert all(event.structure == structure for event in events)


def test_structure_changelist_filters_on_recipient_parameters(admin_client):
    PublicStructureFactory(legal_name="Commune exigeant un code", service_code_required=True)
    PublicStructureFactory(legal_name="Commune sans exigence")
    url = reverse("admin:chorus_structure_changelist")

    response = admin_client.get(url, {"service_code_required__exact": "1"})

    assert "Commune exigeant un code" in response.text
    assert "Commune sans exigence" not in response.text
    assert admin_client.get(url, {"q": "sans exigence"}).context["cl"].result_count == 1


def test_technical_account_password_is_set_in_the_admin_and_its_hash_never_shown(admin_client):
    account = TechnicalAccountFactory()
    url = reverse("admin:chorus_technicalaccount_change", args=[account.pk])

    page = admin_client.get(url)
    assert account.password_hash not in page.text
    assert "pbkdf2" not in page.text and "md5$" not in page.text

    response = admin_client.post(
        url,
        {
            "login": account.login,
            "structure": account.structure.pk,
            "active": "on",
            "password": "Nouveau-secret-2026",
        },
    )

    assert response.status_code == 302
    account.refresh_from_db()
    assert account.check_password("Nouveau-secret-2026")
    event = AuditEvent.objects.get(action="technicalaccount_admin_change")
    assert "Nouveau-secret-2026" not in str(event.details)


def test_a_technical_account_needs_a_password_at_creation(admin_client):
    supplier = StructureFactory()

    response = admin_client.post(
        reverse("admin:chorus_technicalaccount_add"),
        {"login": "TECH_1@cpro.fr", "structure": supplier.pk, "active": "on"},
    )

    assert "password" in response.context["adminform"].form.errors
    assert not TechnicalAccount.objects.exists()


def test_a_user_is_added_with_an_email_login(admin_client):
    response = admin_client.post(
        reverse("admin:chorus_user_add"),
        {
            "email": "Agent@Commune.fr",
            "usable_password": "true",
            "password1": "Un-mot-de-passe-long-2026",
            "password2": "Un-mot-de-passe-long-2026",
        },
    )

    assert response.status_code == 302
    user = User.objects.get(email__iexact="agent@commune.fr")
    assert user.check_password("Un-mot-de-passe-long-2026")


def test_audit_rows_are_read_only_in_the_admin(admin_client, superuser):
    structure = StructureFactory()
    event = audit_record(actor=superuser, action="structure_create", target=structure)
    change_url = reverse("admin:chorus_auditevent_change", args=[event.pk])

    assert admin_client.get(reverse("admin:chorus_auditevent_add")).status_code == 403
    assert admin_client.post(change_url, {"action": "falsifié"}).status_code == 403
    delete_url = reverse("admin:chorus_auditevent_delete", args=[event.pk])
    assert admin_client.post(delete_url, {"post": "yes"}).status_code == 403
    page = admin_client.get(change_url)
    assert page.status_code == 200
    assert 'name="_save"' not in page.text
    changelist = admin_client.post(
        reverse("admin:chorus_auditevent_changelist"),
        {"action": "delete_selected", "_selected_action": [event.pk]},
    )
    assert changelist.status_code in (200, 302)
    assert AuditEvent.objects.get(pk=event.pk).action == "structure_create"


def test_audit_trail_is_searchable_by_object_and_actor(admin_client, superuser):
    actor = UserFactory(email="auteur.recherche@exemple.fr")
    audit_record(
        actor=actor, action="structure_create", target=StructureFactory(legal_name="Alpha")
    )
    audit_record(
        actor=superuser, action="structure_create", target=StructureFactory(legal_name="Bêta")
    )
    url = reverse("admin:chorus_auditevent_changelist")

    by_object = admin_client.get(url, {"q": "Alpha"}).context["cl"].result_list
    by_actor = admin_client.get(url, {"q": "auteur.recherche"}).context["cl"].result_list

    assert [event.object_label.split(" (")[0] for event in by_object] == ["Alpha"]
    assert [event.actor for event in by_actor] == [actor]


def test_directory_import_page_is_linked_and_shows_the_report(admin_client):
    changelist = admin_client.get(reverse("admin:chorus_structure_changelist"))
    import_url = reverse("admin:chorus_structure_import")
    assert import_url in changelist.text

    upload = SimpleUploadedFile(
        "annuaire.csv", csv_bytes([*GOOD_ROWS, row(identifiant="123")]), "text/csv"
    )
    response = admin_client.post(import_url, {"file": upload})

    assert response.status_code == 200
    report = response.context["report"]
    assert (report.structures_created, report.services_created) == (3, 3)
    assert "<td>6</td>" in response.text
    assert "14 chiffres" in response.text
    assert Service.objects.count() == 3
    assert AuditEvent.objects.filter(channel=Channel.ADMIN, action="structure_import").count() == 3


def test_directory_import_page_refuses_a_wrong_header_on_the_file_field(admin_client):
    upload = SimpleUploadedFile("annuaire.csv", b"siret;nom\n1;2\n", "text/csv")

    response = admin_client.post(reverse("admin:chorus_structure_import"), {"file": upload})

    assert "colonnes inconnues : siret, nom" in response.context["form"].errors["file"][0]
    assert not Structure.objects.exists()


def test_directory_export_from_the_admin(admin_client):
    ServiceFactory(code="PHARMACIE")

    response = admin_client.get(reverse("admin:chorus_structure_export"))

    assert response["Content-Type"] == "text/csv; charset=utf-8"
    assert "PHARMACIE" in response.content.decode()


def test_directory_pages_are_closed_to_non_staff_users(client):
    client.force_login(UserFactory())

    for name in ("admin:chorus_structure_import", "admin:chorus_structure_export"):
        response = client.get(reverse(name))
        assert response.status_code == 302
        assert reverse("admin:login") in response["Location"]


def test_a_membership_only_handles_services_of_its_structure(admin_client):
    user = UserFactory()
    commune = PublicStructureFactory()
    other_service = ServiceFactory(code="AILLEURS")
    own_service = ServiceFactory(structure=commune, code="FINANCES")
    data = {"user": user.pk, "structure": commune.pk, "role": "UTILISATEUR"}
    url = reverse("admin:chorus_membership_add")

    refused = admin_client.post(url, {**data, "services": [other_service.pk]})
    accepted = admin_client.post(url, {**data, "services": [own_service.pk]})

    assert "AILLEURS" in refused.context["adminform"].form.errors["services"][0]
    assert accepted.status_code == 302
    assert list(user.memberships.get().services.all()) == [own_service]


# Language, and the pages of the libraries --------------------------------------------------


def test_every_admin_app_and_model_has_a_french_name_and_an_english_one():
    def names():
        apps = {str(model._meta.app_config.verbose_name) for model in admin.site._registry}
        models = {str(model._meta.verbose_name_plural) for model in admin.site._registry}
        return apps | models

    with translation.override("fr"):
        french = names()
    with translation.override("en"):
        english = names()
    assert {"Accès à l'API (OAuth2)", "Jetons d'accès", "Autorisations", "Fournisseurs"} <= {
        name[0].upper() + name[1:] for name in french
    }
    assert {"API access (OAuth2)", "access tokens", "grants", "Suppliers"} <= english
    assert not {"access token", "grant", "SUPPLIERS", "Django OAuth Toolkit"} & french


def test_the_admin_adds_and_changes_with_grammatical_titles(admin_client):
    page = admin_client.get(reverse("admin:chorus_user_add")).content.decode()
    assert "Ajout : utilisateur" in page
    assert "Ajout de utilisateur" not in page


def test_the_password_change_stays_in_the_admin(admin_client):
    response = admin_client.get("/admin/password_change/")
    page = response.content.decode()
    assert response.status_code == 200
    assert 'id="site-name"' in page  # the admin's header, not the portal's
    assert "fr-header" not in page


def test_an_oauth_client_page_has_no_broken_view_on_site_link(admin_client):
    application = Application.objects.create(
        name="Logiciel",
        client_type=Application.CLIENT_CONFIDENTIAL,
        authorization_grant_type=Application.GRANT_CLIENT_CREDENTIALS,
    )
    url = reverse("admin:oauth2_provider_application_change", args=[application.pk])
    page = admin_client.get(url).content.decode()
    assert "/admin/r/" not in page
