# The platform's image: web server, Celery worker and Celery beat all run from it
# (see docker-compose.yml). Dependencies are installed from constraints.txt, the resolved set.
FROM python:3.11-slim-bookworm

ENV PYTHONDONTWRITEBYTECODE=1 \
    PYTHONUNBUFFERED=1 \
    PIP_NO_CACHE_DIR=1 \
    PIP_DISABLE_PIP_VERSION_CHECK=1 \
    PYTHONPATH=/app

# WeasyPrint (PDF rendering) needs Pango, HarfBuzz and at least one font.
RUN apt-get update \
    && apt-get install -y --no-install-recommends \
        libpango-1.0-0 libpangoft2-1.0-0 libharfbuzz-subset0 fonts-dejavu-core \
    && rm -rf /var/lib/apt/lists/*

WORKDIR /app

# Runtime dependencies only (not the dev extra), pinned by constraints.txt; copied before the
# sources so that a code change does not reinstall them.
COPY pyproject.toml constraints.txt ./
RUN python -c "import tomllib; print('\n'.join(tomllib.load(open('pyproject.toml', 'rb'))['project']['dependencies']))" > /tmp/requirements.txt \
    && pip install -c constraints.txt -r /tmp/requirements.txt \
    && rm /tmp/requirements.txt

# The project runs from /app (templates, static files and locale live beside the packages).
COPY . .

# Static files are gathered (and compressed) into the image, outside the var/ volume so that
# a new image brings its own; WhiteNoise serves them from there.
ENV STATIC_ROOT=/app/staticfiles
RUN DJANGO_DEBUG=false DJANGO_SECRET_KEY=collectstatic-only python manage.py collectstatic --noinput

# var/ holds uploaded and generated files, the EDI tree and beat's schedule: a volume, shared
# by web and worker.
RUN useradd --create-home --uid 1000 chorus && mkdir -p /app/var && chown chorus:chorus /app/var
USER chorus
VOLUME ["/app/var"]

EXPOSE 8000
# Production WSGI server; WEB_CONCURRENCY sets its worker processes (docker-compose.yml).
CMD ["gunicorn", "chorus.wsgi:application", "--bind", "0.0.0.0:8000", "--timeout", "120", "--access-logfile", "-"]
