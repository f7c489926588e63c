# Celery is loaded with Django so that shared tasks bind to this app.
from chorus.celery import app as celery_app

__all__ = ["celery_app"]
