# syntax=docker/dockerfile:1
#
# PMO governance: one image for every role (web, Celery worker, Celery beat,
# one-shot migrations); docker-compose.yml picks the command per service.
#
#   docker build -t pmo-governance:latest .

# --- Stage 1: front-end packages from npm ------------------------------------
# Only node_modules leaves this stage: the pages are served Bootstrap, its
# icons and htmx by the app itself (STATICFILES_DIRS points at /app/node_modules).
FROM node:20-bookworm-slim AS assets
WORKDIR /app
COPY package.json package-lock.json ./
RUN npm ci --omit=dev --no-audit --no-fund

# --- Stage 2: the Python application -----------------------------------------
FROM python:3.11-slim-bookworm

ENV PYTHONDONTWRITEBYTECODE=1 \
    PYTHONUNBUFFERED=1 \
    PIP_DISABLE_PIP_VERSION_CHECK=1 \
    PIP_ROOT_USER_ACTION=ignore \
    DJANGO_SETTINGS_MODULE=pmo.settings

# The PDF reports: WeasyPrint's shared libraries and fonts, and Debian's Chromium for the charts
# (kaleido drives it through BROWSER_PATH; nothing downloads a browser).
RUN apt-get update \
 && apt-get install -y --no-install-recommends \
        libpango-1.0-0 \
        libpangoft2-1.0-0 \
        libharfbuzz0b \
        libharfbuzz-subset0 \
        fonts-liberation2 \
        fonts-dejavu-core \
        chromium \
 && rm -rf /var/lib/apt/lists/*
ENV BROWSER_PATH=/usr/bin/chromium

# Unprivileged runtime user; its own home so that caches (fontconfig...) have
# somewhere writable. The code under /app stays owned by root (read-only to pmo).
RUN groupadd --system --gid 1000 pmo \
 && useradd --system --uid 1000 --gid pmo --create-home --home-dir /home/pmo \
        --shell /usr/sbin/nologin pmo

WORKDIR /app

# Dependencies first, for layer caching: they change less often than the code.
COPY requirements.lock ./
RUN pip install --no-cache-dir -r requirements.lock

COPY --from=assets /app/node_modules ./node_modules
# .dockerignore keeps .git, .venv, node_modules, var, .env... out of this copy.
COPY . .

# Static files are collected at build time, as root, into STATIC_ROOT
# (/app/staticfiles). SECRET_KEY is a build-only dummy, given inline so that it
# does not stay in the image's environment; the real one comes at run time.
# /app/var holds what the app writes: media (generated reports/PDFs) and the
# beat schedule. The sub-directories are created here, owned by pmo, so that a
# named volume mounted on them starts out writable by pmo.
RUN SECRET_KEY=build-only-not-a-secret python manage.py collectstatic --noinput \
 && mkdir -p /app/var/media /app/var/beat \
 && chown -R pmo:pmo /app/var

USER pmo

EXPOSE 8000

# Default role: the web server. sh -c so that WEB_CONCURRENCY expands; exec so
# that gunicorn is PID 1 and receives the stop signal.
CMD ["sh", "-c", "exec gunicorn pmo.wsgi:application --bind 0.0.0.0:8000 --workers ${WEB_CONCURRENCY:-2} --access-logfile -"]
