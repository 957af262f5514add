# gapwatch in a container. `docker run -v gapwatch-data:/data gapwatch` starts on the embedded
# default (SQLite in /data, the default sources, alerts on the console); put a config.toml in the
# /config volume, or set any key as GAPWATCH_SECTION__KEY (see config.example.toml). Secrets come
# from the environment only (DISCORD_TOKEN, SLACK_BOT_TOKEN, …), never from the image.

# --- build: the application and its dependencies in a virtualenv ---------------------------------
FROM python:3.12-slim AS build
ENV PIP_DISABLE_PIP_VERSION_CHECK=1 \
    PIP_NO_CACHE_DIR=1
WORKDIR /src
RUN python -m venv /opt/venv
COPY pyproject.toml README.md ./
COPY bot ./bot
COPY adapters ./adapters
COPY storage ./storage
RUN /opt/venv/bin/pip wheel --no-cache-dir --no-deps --wheel-dir /wheels . \
    && /opt/venv/bin/pip install --no-cache-dir /wheels/gapwatch-*.whl

# --- run: the virtualenv on a clean slim image, as a numeric non-root user ------------------------
FROM python:3.12-slim
# A CJK font for chart labels with Chinese/Japanese/Korean model names (bot/render/chart_fonts.py).
# Not pinned: the slim base moves with Debian, and this font's version is whatever it ships.
# hadolint ignore=DL3008
RUN apt-get update \
    && apt-get install -y --no-install-recommends fonts-wqy-microhei \
    && rm -rf /var/lib/apt/lists/*
COPY --from=build /opt/venv /opt/venv
RUN mkdir -p /data /config && chown 10001:10001 /data
USER 10001:10001
WORKDIR /data
# GAPWATCH_CONFIG names the config volume: its config.toml when present, else the defaults.
# The default SQLite database is ./gapwatch.db, i.e. /data/gapwatch.db. The environment wins
# over config.toml, so [http] listen is set here for the health check.
ENV PATH=/opt/venv/bin:$PATH \
    PYTHONUNBUFFERED=1 \
    GAPWATCH_CONFIG=/config \
    GAPWATCH_HTTP__LISTEN=0.0.0.0:8080
VOLUME ["/data", "/config"]
EXPOSE 8080
# 200 only when the database answers, the scheduler runs and the last cycle is recent.
HEALTHCHECK --interval=60s --timeout=5s --start-period=60s --retries=3 \
    CMD ["python", "-c", "import urllib.request; urllib.request.urlopen('http://127.0.0.1:8080/healthz', timeout=4)"]
ENTRYPOINT ["gapwatch"]
CMD ["run"]
