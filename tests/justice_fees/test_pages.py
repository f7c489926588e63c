"""The mémoire pages end to end through the client: the provider's entry in four steps and
its follow-up, the court's queue, moves and certification, and who may see what."""

import datetime
import io
import re
from decimal import Decimal

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone
from pypdf import PdfReader

from chorus.access import SESSION_KEY
from chorus.enums import PublicKind, Role
from chorus.workflow import Actor
from justice_fees import services
from justice_fees.enums import CourtRoleKind, LineKind, MemoireStatus
from justice_fees.models import CourtRole, Memoire, ProviderProfile
from tests.chorus.factories import MembershipFactory, PublicStructureFactory, StructureFactory
from tests.justice_fees.factories import (
    PDF,
    agent_of,
    court,
    court_member,
    draft,
    interpreter,
    magistrate_of,
    tariff,
)

pytestmark = pytest.mark.django_db
S = MemoireStatus


@pytest.fixture
def world():
    juridiction, service = court()
    provider, member = interpreter()
    return {
        "juridiction": juridiction,
        "service": service,
        "provider": provider,
        "member": member,
        "agent": agent_of(juridiction),
        "magistrate": magistrate_of(juridiction),
    }


def as_member(client, membership):
    client.force_login(membership.user)
    session = client.session
    session[SESSION_KEY] = membership.structure_id
    session.save()
    return client


def test_a_provider_enters_a_memoire_in_four_steps(client, world):
    as_member(client, world["member"])
    end = timezone.localdate() - datetime.timedelta(days=5)
    page = client.post(
        reverse("justice_fees:memoire_new"),
        {
            "juridiction": world["juridiction"].pk,
            "service": world["service"].pk,
            "number": "MJ-2026-0042",
            "decision_kind": "REQUISITION",
            "decision_date": (end - datetime.timedelta(days=1)).isoformat(),
            "procedure_number": "PARQUET 26/4242",
            "requester": "M. le procureur",
            "mission_end_date": end.isoformat(),
        },
    )
    memoire = Memoire.objects.get(number="MJ-2026-0042")
    assert memoire.status == S.BROUILLON
    assert page.url == reverse("justice_fees:memoire_step", args=[memoire.pk, 2])
    # The draft is listed and taken up again where it was left.
    listing = client.get(reverse("justice_fees:memoire_list")).content.decode()
    assert reverse("justice_fees:memoire_step", args=[memoire.pk, 2]) in listing
    page = client.post(
        reverse("justice_fees:memoire_step", args=[memoire.pk, 2]),
        {
            "ligne-0-tariff": tariff("INT-ORAL-H").pk,
            "ligne-0-quantity": "2,5",
            "ligne-0-vat_rate": "20",
            "ligne-1-vat_rate": "20",
        },
    )
    assert page.status_code == 302, [f.errors for f in page.context["line_forms"]]
    page = client.post(
        reverse("justice_fees:memoire_step", args=[memoire.pk, 3]),
        {
            "vat_regime": "DEBITS",
            "ligne-0-tariff": tariff("DEPL-KM").pk,
            "ligne-0-quantity": "30",
            "ligne-0-vat_rate": "20",
            "ligne-1-tariff": tariff("AFFRANCHISSEMENT").pk,
            "ligne-1-quantity": "1",
            "ligne-1-unit_price": "3,20",
            "ligne-1-vat_rate": "20",
        },
    )
    assert page.status_code == 302
    memoire.refresh_from_db()
    # 2.5 h × 42 + 30 km × 0.40 at 20 %; postage exempt.
    assert (memoire.claimed_net, memoire.claimed_vat, memoire.claimed_total) == (
        Decimal("120.20"),
        Decimal("23.40"),
        Decimal("143.60"),
    )
    step4 = reverse("justice_fees:memoire_step", args=[memoire.pk, 4])
    # Without the designating decision the deposit is refused, saying why.
    page = client.post(step4, {"deposit": "1"})
    assert page.status_code == 400
    assert "décision de désignation" in page.content.decode()
    page = client.post(
        step4,
        {"kind": "DECISION", "file": SimpleUploadedFile("requisition.pdf", PDF, "application/pdf")},
    )
    assert page.status_code == 302
    page = client.post(step4, {"deposit": "1"})
    assert page.url == reverse("justice_fees:memoire_detail", args=[memoire.pk])
    memoire.refresh_from_db()
    assert memoire.status == S.DEPOSE
    detail = client.get(page.url).content.decode()
    assert 'data-status="DEPOSE"' in detail and "requisition.pdf" in detail
    # A deposited mémoire is no longer editable.
    assert client.get(reverse("justice_fees:memoire_step", args=[memoire.pk, 1])).status_code == 404


def test_step_one_places_the_rules_on_their_fields(client, world):
    as_member(client, world["member"])
    draft(provider=world["provider"], juridiction=world["juridiction"], number="MJ-1")
    late = timezone.localdate() - datetime.timedelta(days=400)
    page = client.post(
        reverse("justice_fees:memoire_new"),
        {
            "juridiction": world["juridiction"].pk,
            "number": "MJ-1",
            "decision_kind": "ORDONNANCE",
            "decision_date": (late - datetime.timedelta(days=3)).isoformat(),
            "procedure_number": "RG 24/1",
            "requester": "Mme la juge",
            "mission_end_date": late.isoformat(),
        },
    )
    assert page.status_code == 400
    form = page.context["form"]
    assert "MJ-1-bis" in form.errors["number"][0]
    assert "article 800" in form.errors["mission_end_date"][0]


def test_a_line_without_quantity_is_refused_on_its_field(client, world):
    as_member(client, world["member"])
    memoire = draft(provider=world["provider"], juridiction=world["juridiction"], lines=False)
    page = client.post(
        reverse("justice_fees:memoire_step", args=[memoire.pk, 2]),
        {"ligne-0-tariff": tariff("TRAD-PAGE").pk, "ligne-0-vat_rate": "20"},
    )
    assert page.status_code == 400
    assert page.context["line_forms"][0].errors["quantity"] == ["Indiquez la quantité."]


def test_a_draft_keeps_more_lines_than_the_blank_rows(client, world):
    as_member(client, world["member"])
    memoire = draft(provider=world["provider"], juridiction=world["juridiction"], lines=False)
    url = reverse("justice_fees:memoire_step", args=[memoire.pk, 2])
    pages = {f"ligne-{i}-tariff": tariff("TRAD-PAGE").pk for i in range(9)}
    pages.update({f"ligne-{i}-quantity": str(i + 1) for i in range(9)})
    assert client.post(url, pages).status_code == 302
    assert memoire.lines.count() == 9
    # The page shows them all, with blank rows to add more, and posting it back keeps them.
    form_rows = client.get(url).context["line_forms"]
    assert len(form_rows) == 11
    posted = {
        f"ligne-{i}-{name}": row[name].value() or ""
        for i, row in enumerate(form_rows)
        for name in ("tariff", "label", "quantity", "unit_price", "vat_rate")
    }
    assert client.post(url, posted).status_code == 302
    assert memoire.lines.count() == memoire.lines.filter(vat_rate=20).count() == 9


def test_the_court_queue_shows_the_oldest_first_with_the_waiting_time(client, world):
    actor = Actor.member(world["member"])
    old = draft(provider=world["provider"], juridiction=world["juridiction"], number="OLD")
    new = draft(provider=world["provider"], juridiction=world["juridiction"], number="NEW")
    for memoire in (old, new):
        services.memoire_deposit(memoire=memoire, actor=actor)
    Memoire.objects.filter(pk=old.pk).update(
        deposited_at=timezone.now() - datetime.timedelta(days=400)
    )
    draft(provider=world["provider"], juridiction=world["juridiction"], number="DRAFT")
    as_member(client, world["agent"])
    page = client.get(reverse("justice_fees:court_queue"))
    queue = page.context["queue"]
    assert [m.number for m in queue] == ["OLD", "NEW"]
    assert queue[0].waiting_days == 400
    content = page.content.decode()
    assert re.search(r"400\s+jours", content), content[content.find("court-queue") :][:3000]
    assert "plus d'un an" in content


def test_the_court_checks_and_the_magistrate_certifies_line_by_line(client, world):
    memoire = draft(
        provider=world["provider"], juridiction=world["juridiction"], service=world["service"]
    )
    services.memoire_deposit(memoire=memoire, actor=Actor.member(world["member"]))
    as_member(client, world["agent"])
    for target in (S.EN_COURS_DE_TRAITEMENT, S.A_CERTIFIER):
        page = client.post(
            reverse("justice_fees:court_move", args=[memoire.pk, target]), {"comment": ""}
        )
        assert page.status_code == 302
    # The agent may not certify: no certification form, and a posted one is refused.
    detail = client.get(reverse("justice_fees:court_detail", args=[memoire.pk]))
    assert not detail.context["can_certify"]
    travel = memoire.lines.get(kind=LineKind.FRAIS)
    refused = client.post(reverse("justice_fees:court_certify", args=[memoire.pk]), {})
    assert refused.status_code == 409
    as_member(client, world["magistrate"])
    detail = client.get(reverse("justice_fees:court_detail", args=[memoire.pk]))
    assert detail.context["can_certify"]
    url = reverse("justice_fees:court_certify", args=[memoire.pk])
    page = client.post(url, {f"certified_{travel.pk}": "9,60", f"reason_{travel.pk}": ""})
    assert page.status_code == 400
    assert "motif de la réduction" in page.content.decode()
    page = client.post(
        url, {f"certified_{travel.pk}": "9,60", f"reason_{travel.pk}": "24 km aller-retour."}
    )
    assert page.status_code == 302
    memoire.refresh_from_db()
    assert memoire.status == S.CERTIFIE
    assert memoire.certified_total == Decimal("167.07")
    # The provider sees both amounts, on the page and in the PDF.
    as_member(client, world["member"])
    detail = client.get(reverse("justice_fees:memoire_detail", args=[memoire.pk])).content.decode()
    assert "24 km aller-retour." in detail and "167,07" in detail and "178,59" in detail
    pdf = client.get(reverse("justice_fees:memoire_pdf", args=[memoire.pk]))
    assert pdf["Content-Type"] == "application/pdf"
    text = " ".join(
        " ".join(page.extract_text().split()) for page in PdfReader(io.BytesIO(pdf.content)).pages
    )
    assert "Montant certifié" in text and "167,07" in text and "178,59" in text
    assert "24 km aller" in text


def test_suspension_needs_a_motive_of_the_memoire_catalogue(client, world):
    memoire = draft(provider=world["provider"], juridiction=world["juridiction"])
    services.memoire_deposit(memoire=memoire, actor=Actor.member(world["member"]))
    services.memoire_take(memoire=memoire, actor=Actor.member(world["agent"]))
    as_member(client, world["agent"])
    url = reverse("justice_fees:court_move", args=[memoire.pk, S.SUSPENDU])
    page = client.post(url, {"motive": "", "comment": ""})
    assert page.status_code == 400
    suspend = next(a for a in page.context["actions"] if a["transition"].target == S.SUSPENDU)
    assert suspend["open"] and "motive" in suspend["form"].errors
    choices = dict(suspend["form"].fields["motive"].choices)
    assert "FJ_PIECE_ABS" in choices and "JUSTIF_ABS" not in choices
    page = client.post(
        url, {"motive": "FJ_PIECE_ABS", "comment": "L'attestation de mission manque."}
    )
    assert page.status_code == 302
    # The provider completes it from the mémoire's page.
    as_member(client, world["member"])
    detail_url = reverse("justice_fees:memoire_detail", args=[memoire.pk])
    assert "Compléter le mémoire" in client.get(detail_url).content.decode()
    page = client.post(
        detail_url,
        {
            "kind": "ATTESTATION",
            "file": SimpleUploadedFile("attestation.pdf", PDF, "application/pdf"),
            "comment": "Voici.",
        },
    )
    assert page.status_code == 302
    memoire.refresh_from_db()
    assert memoire.status == S.COMPLETE


def test_a_provider_sees_only_its_memoires(client, world):
    memoire = draft(provider=world["provider"], juridiction=world["juridiction"])
    other_provider, other_member = interpreter(legal_name="Autre interprète")
    as_member(client, other_member)
    for name in ("memoire_detail", "memoire_pdf"):
        assert client.get(reverse(f"justice_fees:{name}", args=[memoire.pk])).status_code == 404
    assert client.get(reverse("justice_fees:memoire_step", args=[memoire.pk, 1])).status_code == 404
    assert memoire.number not in client.get(reverse("justice_fees:memoire_list")).content.decode()


def test_a_court_sees_only_the_memoires_addressed_to_it(client, world):
    memoire = draft(provider=world["provider"], juridiction=world["juridiction"])
    other_court, _service = court(legal_name="Tribunal judiciaire de Montval")
    as_member(client, agent_of(other_court))
    services.memoire_deposit(memoire=memoire, actor=Actor.member(world["member"]))
    assert client.get(reverse("justice_fees:court_detail", args=[memoire.pk])).status_code == 404
    assert client.get(reverse("justice_fees:court_queue")).context["queue"] == []


def test_a_court_does_not_see_drafts(client, world):
    memoire = draft(provider=world["provider"], juridiction=world["juridiction"])
    as_member(client, world["agent"])
    assert client.get(reverse("justice_fees:court_detail", args=[memoire.pk])).status_code == 404


def test_a_member_without_role_sees_only_the_memoires_of_their_services(client, world):
    actor = Actor.member(world["member"])
    mine = draft(
        provider=world["provider"],
        juridiction=world["juridiction"],
        service=world["service"],
        number="A",
    )
    unrouted = draft(provider=world["provider"], juridiction=world["juridiction"], number="B")
    for memoire in (mine, unrouted):
        services.memoire_deposit(memoire=memoire, actor=actor)
    clerk = court_member(world["juridiction"], services=[world["service"]])
    as_member(client, clerk)
    assert [m.number for m in client.get(reverse("justice_fees:court_queue")).context["queue"]] == [
        "A"
    ]


def test_the_wrong_kind_of_user_is_refused(client, world):
    as_member(client, world["agent"])
    assert client.get(reverse("justice_fees:memoire_list")).status_code == 403
    as_member(client, world["member"])
    assert client.get(reverse("justice_fees:court_queue")).status_code == 403
    commune = PublicStructureFactory(kind=PublicKind.COLLECTIVITE)
    as_member(client, MembershipFactory(structure=commune))
    assert client.get(reverse("justice_fees:court_queue")).status_code == 403


def test_the_courts_manager_assigns_the_roles(client, world):
    clerk = court_member(world["juridiction"])
    as_member(client, world["agent"])
    assert client.get(reverse("justice_fees:court_roles")).status_code == 403
    manager = court_member(world["juridiction"], manager=True)
    as_member(client, manager)
    assert client.get(reverse("justice_fees:court_roles")).status_code == 200
    page = client.post(
        reverse("justice_fees:court_roles"),
        {"member": clerk.pk, f"m{clerk.pk}-role": CourtRoleKind.MAGISTRAT},
    )
    assert page.status_code == 302
    assert CourtRole.objects.get(membership=clerk).role == CourtRoleKind.MAGISTRAT
    client.post(reverse("justice_fees:court_roles"), {"member": clerk.pk, f"m{clerk.pk}-role": ""})
    assert not CourtRole.objects.filter(membership=clerk).exists()
    # Another court's member cannot be reached.
    stranger = MembershipFactory(structure=court(legal_name="Cour d'appel")[0])
    assert (
        client.post(reverse("justice_fees:court_roles"), {"member": stranger.pk}).status_code == 404
    )


def test_a_person_without_siret_signs_up_as_interpreter(client, world):
    supplier_signup = client.get(reverse("suppliers:signup")).content.decode()
    assert reverse("justice_fees:signup") in supplier_signup
    page = client.post(
        reverse("justice_fees:signup"),
        {
            "email": "irina.k@exemple.fr",
            "first_name": "Irina",
            "last_name": "Kovalenko",
            "birth_date": "1984-06-02",
            "address_line": "4 rue des Écoles",
            "postcode": "41000",
            "city": "Blois",
            "kind": "INTERPRETE",
            "speciality": "ukrainien",
            "password1": "Un-mot-de-passe-solide-26",
            "password2": "Un-mot-de-passe-solide-26",
        },
    )
    assert page.status_code == 302
    profile = ProviderProfile.objects.get(structure__legal_name="Irina Kovalenko")
    assert profile.structure.identifier_type == "PARTICULIER"
    assert profile.structure.identifier == "KOVALENKO Irina 02/06/1984"
    assert profile.kind == "INTERPRETE"
    assert client.get(reverse("justice_fees:memoire_list")).status_code == 200


def test_the_pages_read_in_english(client, world):
    memoire = draft(provider=world["provider"], juridiction=world["juridiction"])
    services.memoire_deposit(memoire=memoire, actor=Actor.member(world["member"]))
    as_member(client, world["member"])
    client.post("/langue/", {"language": "en", "next": "/"})
    page = client.get(reverse("justice_fees:memoire_detail", args=[memoire.pk])).content.decode()
    assert f"Claim {memoire.number}" in page
    assert "Filed (made available)" in page and "Requisition of" in page
    as_member(client, world["agent"])
    queue = client.get(reverse("justice_fees:court_queue")).content.decode()
    assert "Justice fees claims received" in queue and "Waiting since filing" in queue
    detail = client.get(reverse("justice_fees:court_detail", args=[memoire.pk])).content.decode()
    assert "Take charge" in detail
    as_member(client, world["member"])
    step = client.get(reverse("justice_fees:memoire_new")).content.decode()
    assert "The court and the case" in step


def test_a_supplier_with_siret_gives_its_profile(client, world):
    company = StructureFactory()
    manager = MembershipFactory(structure=company, role=Role.GESTIONNAIRE_PRINCIPAL)
    as_member(client, manager)
    page = client.post(
        reverse("justice_fees:profile"),
        {"kind": "EXPERT", "speciality": "automobile", "vat_regime": "DEBITS"},
    )
    assert page.status_code == 302
    assert ProviderProfile.objects.get(structure=company).speciality == "automobile"
