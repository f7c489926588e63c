"""Every page each demo role can reach by following links, the admin's included, passes
axe-core's WCAG 2 A and AA rules (tests/browser/crawl.py)."""

import re

import pytest
from playwright.sync_api import expect

from chorus.management.commands.seed_demo import ADMIN_EMAIL, SME, demo_world_seed
from chorus.models import Structure, User
from invoices.enums import DepositChannel
from invoices.ingestion.receive import flow_receive
from tests.browser.crawl import audit, crawl
from tests.chorus.factories import DEFAULT_PASSWORD
from tests.invoices.factories import demo_invoice_xml

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

# One person per role of the demo world (README, "Demo accounts"), and a visitor.
ROLES = {
    "visitor": None,
    "supplier_principal": "claire.durand@menuiserie-durand.example",
    "supplier_user": "lea.moreau@menuiserie-durand.example",
    "agent_principal": "nadia.benali@montresor-sur-indre.example",
    "agent_user": "hugo.petit@montresor-sur-indre.example",
}


@pytest.fixture
def demo_world():
    """The demo world, its passwords hashed again with the tests' fast hasher, and an invoice
    deposited by the SME on the portal, so that the invoice and flow pages are crawled too."""
    demo_world_seed()
    for user in User.objects.all():
        user.set_password(DEFAULT_PASSWORD)
        user.save(update_fields=["password"])
    flow_receive(
        data=demo_invoice_xml(),
        filename="FA-2026-0001.xml",
        channel=DepositChannel.PORTAIL,
        structure=Structure.objects.get(identifier=SME),
        user=User.objects.get(email=ROLES["supplier_principal"]),
    )


def _sign_in(page, email: str, *, admin: bool = False) -> None:
    page.goto("/admin/login/" if admin else "/compte/connexion/")
    page.locator("#id_username").fill(email)
    page.locator("#id_password").fill(DEFAULT_PASSWORD)
    page.locator("#id_password").press("Enter")
    page.wait_for_load_state()


def _report(violations: dict[str, list[str]]) -> str:
    return "\n".join(f"{url}\n  " + "\n  ".join(lines) for url, lines in violations.items())


@pytest.mark.parametrize("role", ROLES)
def test_every_page_of_a_role_passes_axe_core(page, live_server, demo_world, role):
    if ROLES[role]:
        _sign_in(page, ROLES[role])
    # A visitor also meets the admin's sign-in page.
    start = ["/"] if ROLES[role] else ["/", "/admin/login/"]
    violations, visited = crawl(page, start, live_server.url)
    assert len(visited) > 3, visited
    assert not violations, _report(violations)


def test_every_admin_page_passes_axe_core(page, live_server, demo_world):
    _sign_in(page, ADMIN_EMAIL, admin=True)
    violations, visited = crawl(page, ["/admin/"], live_server.url)
    assert any("/admin/password_change/" in url for url in visited)
    assert len(visited) > 30, visited
    assert not violations, _report(violations)


def test_the_keying_form_with_errors_passes_axe_core(page, demo_world):
    _sign_in(page, ROLES["supplier_principal"])
    page.goto("/factures/saisie/")
    page.get_by_role("button", name="Déposer la facture").click()

    summary = page.locator("#error-summary")
    expect(summary.get_by_role("link", name=re.compile("Numéro de facture"))).to_be_visible()
    assert not audit(page), audit(page)


def test_the_header_holds_a_long_structure_name_at_1280_px(page, demo_world):
    page.set_viewport_size({"width": 1280, "height": 900})
    page.goto("/")
    logo = page.locator(".fr-header__body .fr-logo")
    width = logo.bounding_box()["width"]
    _sign_in(page, "elodie.garnier@ddfip-indre-et-loire.example")  # the longest demo name

    expect(page.get_by_test_id("current-structure")).to_contain_text("Indre-et-Loire")
    assert logo.bounding_box()["width"] == width  # the Marianne logo is not squeezed
    assert page.evaluate("document.documentElement.scrollWidth <= innerWidth")


def test_the_structures_list_and_a_structure_page_fit_1280_px(page, demo_world):
    page.set_viewport_size({"width": 1280, "height": 900})
    _sign_in(page, ADMIN_EMAIL, admin=True)
    commune = Structure.objects.get(identifier="21370184000018")
    for path in ("/admin/chorus/structure/", f"/admin/chorus/structure/{commune.pk}/change/"):
        page.goto(path)
        title = page.locator("#content h1").bounding_box()
        tools = page.locator(".object-tools").bounding_box()
        assert tools["y"] >= title["y"] + title["height"], f"{path}: buttons over the title"
        assert page.evaluate("document.documentElement.scrollWidth <= innerWidth"), path
