"""A mémoire de frais de justice from entry to payment in a real browser: an interpreter
files it in four steps; the court's service checks it; a magistrate certifies it with one
line reduced and a reason; it is paid; the interpreter sees every step."""

import datetime
import re

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from chorus.models import User
from justice_fees.enums import MemoireStatus
from justice_fees.models import Memoire, Tariff
from justice_fees.seed import tariffs_seed
from rejections.models import Motive
from rejections.seed import motives_seed
from tests.browser.crawl import crawl
from tests.browser.test_invoice_lifecycle_journey import expect_step, sign_in
from tests.chorus.factories import DEFAULT_PASSWORD
from tests.justice_fees.factories import PDF, agent_of, court, interpreter, magistrate_of

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
S = MemoireStatus


@pytest.fixture(autouse=True)
def catalogues():
    """What the migrations seed: a transactional test before this one flushed it."""
    motives_seed(Motive)
    tariffs_seed(Tariff)


def new_page(browser, live_server):
    context = browser.new_context(base_url=live_server.url, locale="fr-FR")
    context.set_default_timeout(15_000)
    return context, context.new_page()


def test_an_interpreter_is_paid_after_the_court_checks_and_a_magistrate_certifies(
    page, browser, live_server, tmp_path
):
    juridiction, service = court(legal_name="Tribunal judiciaire de Valmont")
    provider, interpreter_member = interpreter(legal_name="Olga Petrova (EI)")
    agent = agent_of(juridiction)
    magistrate = magistrate_of(juridiction)
    end = timezone.localdate() - datetime.timedelta(days=8)

    # The interpreter files the mémoire in four steps.
    sign_in(page, interpreter_member.user)
    page.goto("/frais-de-justice/memoires/")
    page.get_by_role("main").get_by_role("link", name="Saisir un mémoire").first.click()
    page.get_by_label(re.compile("Juridiction")).select_option(
        label="Tribunal judiciaire de Valmont (Paris)"
    )
    page.get_by_label(re.compile("Service de la juridiction")).select_option(str(service.pk))
    page.get_by_label(re.compile("Numéro du mémoire")).fill("OP-2026-100")
    page.get_by_label(re.compile("Décision de désignation")).select_option("REQUISITION")
    page.get_by_label(re.compile("Date de la décision")).fill(
        (end - datetime.timedelta(days=1)).isoformat()
    )
    page.get_by_label(re.compile("Numéro de procédure")).fill("PARQUET 26/5150")
    page.get_by_label(re.compile("Magistrat ou officier requérant")).fill("Mme la procureure")
    page.get_by_label(re.compile("Fin de la mission")).fill(end.isoformat())
    page.get_by_role("button", name="Enregistrer et continuer").click()

    expect(page.get_by_role("heading", level=2, name=re.compile("Les prestations"))).to_be_visible()
    page.locator("#id_ligne-0-tariff").select_option(str(Tariff.objects.get(code="INT-ORAL-H").pk))
    page.locator("#id_ligne-0-quantity").fill("3")
    page.get_by_role("button", name="Enregistrer et continuer").click()

    expect(
        page.get_by_role("heading", level=2, name=re.compile("Les frais et la TVA"))
    ).to_be_visible()
    page.get_by_label(re.compile("Régime de TVA")).select_option("DEBITS")
    page.locator("#id_ligne-0-tariff").select_option(str(Tariff.objects.get(code="DEPL-KM").pk))
    page.locator("#id_ligne-0-quantity").fill("48")
    page.get_by_role("button", name="Enregistrer et continuer").click()

    decision = tmp_path / "requisition.pdf"
    decision.write_bytes(PDF)
    page.get_by_label(re.compile("Nature de la pièce")).select_option("DECISION")
    page.get_by_label(re.compile("Fichier")).set_input_files(decision)
    page.get_by_role("button", name="Joindre").click()
    expect(page.get_by_test_id("attachments")).to_contain_text("requisition.pdf")
    expect(page.get_by_test_id("totals")).to_contain_text("174,24")
    page.get_by_role("button", name="Déposer le mémoire").click()
    expect(page.get_by_text("est déposé")).to_be_visible()
    expect_step(page, S.DEPOSE, "Olga Petrova")
    memoire = Memoire.objects.get(number="OP-2026-100")

    # The court's service finds it in its queue, takes it and sends it to the magistrate.
    court_context, court_page = new_page(browser, live_server)
    sign_in(court_page, agent.user)
    court_page.goto("/frais-de-justice/juridiction/")
    expect(court_page.get_by_test_id("court-queue")).to_contain_text("0 jour")
    court_page.get_by_role("link", name="OP-2026-100").click()
    take = court_page.locator("details[data-action=take]")
    take.get_by_text("Prendre en charge", exact=True).click()
    take.get_by_role("button", name="Confirmer : Prendre en charge").click()
    expect_step(court_page, S.EN_COURS_DE_TRAITEMENT)
    submit = court_page.locator("details[data-action=submit]")
    submit.get_by_text("Transmettre au magistrat pour certification", exact=True).click()
    submit.get_by_label(re.compile("Commentaire")).fill("Pièces vérifiées.")
    submit.get_by_role("button", name=re.compile("Confirmer : Transmettre")).click()
    expect_step(court_page, S.A_CERTIFIER, "Pièces vérifiées.")
    expect(court_page.get_by_test_id("certification")).to_have_count(0)

    # The magistrate certifies, reducing the travel line with a reason.
    judge_context, judge_page = new_page(browser, live_server)
    sign_in(judge_page, magistrate.user)
    judge_page.goto(f"/frais-de-justice/juridiction/{memoire.pk}/")
    certification = judge_page.get_by_test_id("certification")
    travel = memoire.lines.get(tariff__code="DEPL-KM")
    certification.locator(f"#certified_{travel.pk}").fill("9,60")
    certification.get_by_role("button", name="Certifier le mémoire").click()
    expect(judge_page.locator(f"#certified_{travel.pk}-error")).to_contain_text(
        "motif de la réduction"
    )
    certification.locator(f"#reason_{travel.pk}").fill("Trajet retenu : 24 km aller-retour.")
    certification.get_by_role("button", name="Certifier le mémoire").click()
    expect_step(judge_page, S.CERTIFIE, "Montant certifié TTC")
    expect(judge_page.get_by_test_id("certified-total")).to_contain_text("162,72")

    # The service puts it into payment, then records it paid.
    court_page.reload()
    pay = court_page.locator("details[data-action=pay]")
    pay.get_by_text("Mettre en paiement", exact=True).click()
    pay.get_by_role("button", name="Confirmer : Mettre en paiement").click()
    expect_step(court_page, S.MIS_EN_PAIEMENT)
    paid = court_page.locator("details[data-action=paid]")
    paid.get_by_text("Marquer comme payé", exact=True).click()
    paid.get_by_role("button", name="Confirmer : Marquer comme payé").click()
    expect_step(court_page, S.PAYE)

    # The interpreter sees every step, the reduction and its reason.
    page.reload()
    steps = page.get_by_test_id("timeline").locator(":scope > li")
    expect(steps).to_have_count(7)
    for index, status in enumerate(
        [
            S.BROUILLON,
            S.DEPOSE,
            S.EN_COURS_DE_TRAITEMENT,
            S.A_CERTIFIER,
            S.CERTIFIE,
            S.MIS_EN_PAIEMENT,
            S.PAYE,
        ]
    ):
        expect(steps.nth(index)).to_have_attribute("data-status", status)
    expect(page.get_by_test_id("lines")).to_contain_text("Trajet retenu : 24 km aller-retour.")
    expect(page.get_by_test_id("certified-total")).to_contain_text("162,72")
    court_context.close()
    judge_context.close()


JUSTICE_ROLES = {
    "interpreter": "olga.petrova@interpretariat.example",
    "court_agent": "lucie.perrin@tj-brenne-sur-loire.example",
    "magistrate": "helene.marchand@tj-brenne-sur-loire.example",
    "court_manager": "antoine.mercier@tj-brenne-sur-loire.example",
}


@pytest.fixture
def justice_demo_world():
    """The demo world with its mémoires, passwords hashed again with the tests' hasher."""
    from chorus.management.commands import seed_demo
    from chorus.models import User
    from justice_fees.demo import demo_memoires_seed

    seed_demo.demo_world_seed()
    demo_memoires_seed(
        tribunal=seed_demo.TRIBUNAL,
        interpreter=seed_demo.INTERPRETER,
        provider_email=JUSTICE_ROLES["interpreter"],
        agent_email=seed_demo.LUCIE,
        magistrate_email=seed_demo.HELENE,
    )
    for user in User.objects.all():
        user.set_password(DEFAULT_PASSWORD)
        user.save(update_fields=["password"])


@pytest.mark.parametrize("role", JUSTICE_ROLES)
def test_every_justice_fees_page_passes_axe_core(page, live_server, justice_demo_world, role):
    sign_in(page, User.objects.get(email=JUSTICE_ROLES[role]))
    start = (
        "/frais-de-justice/memoires/" if role == "interpreter" else "/frais-de-justice/juridiction/"
    )
    violations, visited = crawl(page, [start], live_server.url)
    assert any("/frais-de-justice/" in url and re.search(r"/\d+/", url) for url in visited), visited
    assert not violations, "\n".join(
        f"{url}\n  " + "\n  ".join(lines) for url, lines in violations.items()
    )
