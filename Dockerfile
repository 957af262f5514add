# gapwatch: one process; SQLite in /data by default, PostgreSQL via [storage] url.
FROM python:3.12-slim AS build
WORKDIR /src
COPY pyproject.toml README.md ./
COPY bot ./bot
COPY adapters ./adapters
COPY storage ./storage
RUN pip wheel --no-cache-dir --wheel-dir /wheels .

FROM python:3.12-slim
# A CJK font for chart labels with Chinese/Japanese/Korean model names (bot/render/chart_fonts.py).
RUN apt-get update \
    && apt-get install -y --no-install-recommends fonts-wqy-microhei \
    && rm -rf /var/lib/apt/lists/*
RUN useradd --create-home --uid 10001 gapwatch && mkdir /data && chown gapwatch /data
COPY --from=build /wheels /wheels
RUN pip install --no-cache-dir /wheels/*.whl && rm -rf /wheels
USER gapwatch
WORKDIR /data
ENV GAPWATCH_CONFIG=/config/config.toml \
    PYTHONUNBUFFERED=1
# Without /config/config.toml the embedded defaults run (SQLite at /data/gapwatch.db, console sink).
VOLUME ["/data"]
EXPOSE 8080
HEALTHCHECK --interval=60s --timeout=5s CMD python -c "import os,sys,urllib.request; l=os.environ.get('GAPWATCH_HEALTH_URL'); sys.exit(0 if not l else (0 if urllib.request.urlopen(l, timeout=4).status == 200 else 1))"
ENTRYPOINT ["gapwatch"]
CMD ["run"]
