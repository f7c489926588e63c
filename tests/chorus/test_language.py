import pytest
from django.conf import settings


@pytest.mark.django_db
def test_french_first_whatever_the_browser_asks(client):
    page = client.get("/annuaire/", HTTP_ACCEPT_LANGUAGE="en-US,en;q=0.9")
    assert 'lang="fr"' in page.content.decode()
    assert "Annuaire des structures publiques" in page.content.decode()


@pytest.mark.django_db
def test_english_once_chosen(client):
    client.post("/langue/", {"language": "en", "next": "/annuaire/"})
    assert client.cookies[settings.LANGUAGE_COOKIE_NAME].value == "en"
    page = client.get("/annuaire/", HTTP_ACCEPT_LANGUAGE="fr")
    assert "Directory of public structures" in page.content.decode()
