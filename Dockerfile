# Kantselei web and worker image. docker-compose.yml runs it as migrate, web, worker and beat,
# behind Caddy, with PostgreSQL and Redis.
FROM python:3.11-slim-bookworm

ENV PYTHONDONTWRITEBYTECODE=1 PYTHONUNBUFFERED=1 PIP_NO_CACHE_DIR=1 \
    DJANGO_SETTINGS_MODULE=config.settings

RUN apt-get update \
 && apt-get install -y --no-install-recommends gettext libpango-1.0-0 libpangoft2-1.0-0 \
    tesseract-ocr tesseract-ocr-est tesseract-ocr-rus tesseract-ocr-eng ghostscript antiword catdoc \
 && rm -rf /var/lib/apt/lists/* \
 && useradd --create-home --uid 1000 kantselei

WORKDIR /app
COPY pyproject.toml ./
RUN pip install .
COPY . .
# Build-time steps need some settings but no database or secret of production's.
RUN DATABASE_URL=postgres://build@localhost/build DJANGO_SECRET_KEY=build-only \
    python manage.py collectstatic --noinput -v 0 \
 && DATABASE_URL=postgres://build@localhost/build DJANGO_SECRET_KEY=build-only \
    python manage.py compilemessages -v 0 --ignore=.venv \
 && mkdir -p /app/var/media /app/var/beat && chown -R kantselei /app/var

USER kantselei
EXPOSE 8000
# Health checks per role (web, worker, beat) are in docker-compose.yml; the web one is
# deploy/healthcheck.py.
CMD ["gunicorn", "config.wsgi:application", "--bind", "0.0.0.0:8000", "--workers", "3", \
     "--timeout", "120", "--access-logfile", "-"]
