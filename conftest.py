"""Shared test set-up: fast password hashing, the official test data beside the checkout."""

from pathlib import Path

import pytest
from django.conf import settings


@pytest.fixture(autouse=True)
def _fast_password_hasher(settings):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture(autouse=True)
def _empty_cache():
    """Throttle and lockout counters live in the cache: each test starts afresh."""
    from django.core.cache import cache

    cache.clear()
    yield
    cache.clear()


@pytest.fixture(autouse=True)
def _media_in_tmp(settings, tmp_path):
    """Stored files (received invoices, flows) go to a per-test folder, never to var/."""
    settings.MEDIA_ROOT = tmp_path / "media"
    settings.EDI_ROOT = tmp_path / "edi"


@pytest.fixture(autouse=True)
def _celery_eager():
    """Tasks run inline in tests; the worker tests start real worker processes themselves."""
    from chorus.celery import app

    previous = app.conf.task_always_eager
    app.conf.task_always_eager = True
    yield
    app.conf.task_always_eager = previous


@pytest.fixture(scope="session")
def testdata_dir() -> Path:
    """The official example invoices and rule tests (../shared/testdata); skip where absent."""
    path = Path(settings.CHORUS_TESTDATA_DIR)
    if not path.is_dir():
        pytest.skip(
            f"official test data not found at {path}: set CHORUS_TESTDATA_DIR to the shared/testdata folder"
        )
    return path


@pytest.fixture(autouse=True)
def _fresh_content_types():
    """Transactional tests (browser journeys, workers) flush the tables and content types get
    new ids: forget the ids Django cached, or a row pointing at one (a notification's change)
    would name a content type that no longer exists."""
    from django.contrib.contenttypes.models import ContentType

    ContentType.objects.clear_cache()


@pytest.fixture(autouse=True)
def _default_language():
    """Each test starts in French, the platform's default, whatever language a previous test
    activated in this thread (a page in English, `translation.activate`)."""
    from django.utils import translation

    translation.activate(settings.LANGUAGE_CODE)
    yield
    translation.activate(settings.LANGUAGE_CODE)
