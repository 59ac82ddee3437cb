# Alle Türen offen as a container image, built from the wheel (see README, "Running in production").
#   docker build -t alle-tueren-offen .
# Configuration comes from CAMPAIGN_* environment variables only; compose.yaml shows a full stack.

# --- build: the wheel, with templates, static files, migrations and city data inside
FROM python:3.11-slim AS build
WORKDIR /src
RUN pip install --no-cache-dir --root-user-action=ignore build
COPY . .
RUN python -m build --wheel --outdir /dist

# --- runtime: the installed wheel in a virtualenv, run by an unprivileged user
FROM python:3.11-slim
ENV PATH=/opt/venv/bin:$PATH \
    PYTHONUNBUFFERED=1 \
    PYTHONDONTWRITEBYTECODE=1
COPY --from=build /dist/ /tmp/dist/
RUN python -m venv /opt/venv \
    && /opt/venv/bin/pip install --no-cache-dir --disable-pip-version-check /tmp/dist/*.whl \
    && rm -rf /tmp/dist \
    && useradd --system --uid 10001 --user-group --home-dir /srv/campaign --create-home campaign
USER campaign
WORKDIR /srv/campaign
# Owned by the app user, so the compose volume mounted here starts out writable for it.
RUN mkdir -p /srv/campaign/sticker-batches
EXPOSE 8000
# Production accepts only the host of CAMPAIGN_PUBLIC_URL, so the check sends that Host header.
HEALTHCHECK --interval=30s --timeout=5s --start-period=30s --retries=3 CMD \
    python -c "import os, urllib.parse as p, urllib.request as r; host = p.urlsplit(os.environ['CAMPAIGN_PUBLIC_URL']).hostname; r.urlopen(r.Request('http://127.0.0.1:8000/healthz', headers={'Host': host, 'X-Forwarded-Proto': 'https'}), timeout=4)"
CMD ["gunicorn", "-c", "python:campaign.core.gunicorn_config", "--bind", "0.0.0.0:8000", \
     "--workers", "4", "--access-logfile", "-", "campaign:create_app()"]
