import pytest
from django.apps import apps
from django.contrib.auth import get_user_model
from django.urls import reverse
from django.utils import translation

from rejections.models import Motive
from rejections.seed import EXPLANATIONS, MOTIVES, motives_seed

pytestmark = pytest.mark.django_db

TEXT_FIELDS = ["explanation_fr", "fix_fr", "explanation_en", "fix_en"]


def test_every_catalogued_code_explains_the_problem_and_the_fix_in_both_languages():
    assert sorted(EXPLANATIONS) == sorted(code for code, *_rest in MOTIVES)
    motives = list(Motive.objects.all())
    assert len(motives) == len(MOTIVES)
    for motive in motives:
        for field in TEXT_FIELDS:
            assert getattr(motive, field).strip(), f"{motive.code}.{field} is empty"
        assert motive.explanation_fr != motive.explanation_en, motive.code
        assert motive.fix_fr != motive.fix_en, motive.code


def test_explanation_and_fix_follow_the_active_language():
    motive = Motive.objects.get(pk="MONTANTTOTAL_ERR")
    with translation.override("fr"):
        assert (motive.explanation, motive.fix) == (motive.explanation_fr, motive.fix_fr)
    with translation.override("en"):
        assert (motive.explanation, motive.fix) == (motive.explanation_en, motive.fix_en)


def test_reseeding_keeps_admin_edits_and_fills_what_was_emptied():
    Motive.objects.filter(pk="JUSTIF_ABS").update(explanation_fr="Texte revu.", fix_en="")
    motives_seed(apps.get_model("rejections", "Motive"))
    motive = Motive.objects.get(pk="JUSTIF_ABS")
    assert motive.explanation_fr == "Texte revu."
    assert motive.fix_en == EXPLANATIONS["JUSTIF_ABS"][3]


def test_the_admin_edits_the_explanations(client):
    admin = get_user_model().objects.create_superuser("admin@exemple.fr", "Motdepasse-solide-2026")
    client.force_login(admin)
    page = client.get(reverse("admin:rejections_motive_change", args=["QTE_ERR"]))
    assert page.status_code == 200
    for field in TEXT_FIELDS:
        assert f'name="{field}"' in page.content.decode()
