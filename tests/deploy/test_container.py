"""The container, without a Docker engine: the Dockerfile passes hadolint at warning level, the
compose file validates against the compose spec, and the image's Python environment, built the
way the Dockerfile builds it, starts `gapwatch run` with the Dockerfile's environment and no
config file and answers its HEALTHCHECK."""

from __future__ import annotations

import asyncio
import json
import os
import re
import shutil
import subprocess
import sys
import sysconfig
from pathlib import Path

import httpx
import pytest

from tests.deploy.dockerfile import ROOT, Stage, healthcheck_command, stages
from tests.fakes.feeds import FeedServer, rss_feed
from tests.scenario.cli_runner import eventually, free_port

BIN = Path(sys.executable).parent


def tool(name: str) -> str:
    found = shutil.which(name, path=str(BIN)) or shutil.which(name)
    if found is None:
        pytest.fail(f"{name} is not installed (pip install -e '.[test]')")
    return found


def test_dockerfile_passes_hadolint_at_warning_level() -> None:
    result = subprocess.run(
        [tool("hadolint"), "--failure-threshold", "warning", "--no-color", "Dockerfile"],
        cwd=ROOT, capture_output=True, text=True, timeout=60, check=False,
    )  # fmt: skip
    assert result.returncode == 0, result.stdout + result.stderr


def test_compose_file_matches_the_compose_spec() -> None:
    result = subprocess.run(
        [tool("check-jsonschema"), "--builtin-schema", "vendor.compose-spec", "docker-compose.yml"],
        cwd=ROOT, capture_output=True, text=True, timeout=120, check=False,
    )  # fmt: skip
    assert result.returncode == 0, result.stdout + result.stderr


def test_dockerfile_shape() -> None:
    build, final = stages()
    assert re.fullmatch(r"python:3\.\d+-slim", build.base) and final.base == build.base  # slim, official
    assert build.name == "build" and any("--from=build" in c for c in final.all("COPY"))  # multi-stage
    (user,) = final.all("USER")
    assert re.fullmatch(r"[1-9]\d*(:\d+)?", user)  # numeric and not root
    (volumes,) = final.all("VOLUME")
    assert "/data" in volumes and "/config" in volumes
    assert healthcheck_command(final)[0] == "python"  # exec form
    env = final.env({})
    assert not [k for k in env if re.search("TOKEN|SECRET|PASSWORD", k)]  # secrets only at run time
    assert env["GAPWATCH_CONFIG"] == "/config"


def test_compose_wires_postgres_health_gated_and_http_on() -> None:
    text = (ROOT / "docker-compose.yml").read_text(encoding="utf-8")
    assert "GAPWATCH_STORAGE__URL: postgresql+asyncpg://gapwatch:" in text and "@db:5432/gapwatch" in text
    assert "condition: service_healthy" in text and "pg_isready" in text
    assert "GAPWATCH_HTTP__LISTEN: 0.0.0.0:8080" in text
    assert re.search(r"^volumes:\n  gapwatch-data:\n  pg-data:", text, re.M)
    example = (ROOT / ".env.example").read_text(encoding="utf-8")
    used = set(re.findall(r"\$\{(\w+)", text))
    defined = set(re.findall(r"^(\w+)=", example, re.M))
    assert used <= defined, used - defined


def build_image_env(tmp_path: Path, build: Stage) -> Path:
    """The build stage's RUN lines on a copy of what it COPYs, with /opt/venv under tmp_path.

    One difference: the image downloads the dependencies, this venv sees the test
    environment's installed ones (a .pth line) so the test needs no network; pip still
    resolves them against the wheel's requirements.
    """
    src, venv = tmp_path / "src", tmp_path / "opt-venv"
    src.mkdir()
    for args in build.all("COPY"):
        *sources, _dest = args.split()
        for name in sources:
            origin = ROOT / name
            target = src / name
            if origin.is_dir():
                shutil.copytree(origin, target, ignore=shutil.ignore_patterns("__pycache__"))
            else:
                shutil.copy2(origin, target)
    base_python = Path(getattr(sys, "_base_executable", sys.executable))
    env = {**os.environ, "PIP_DISABLE_PIP_VERSION_CHECK": "1", "PIP_NO_CACHE_DIR": "1"}
    for run in build.all("RUN"):
        command = run.replace("/opt/venv", str(venv)).replace("/wheels", str(tmp_path / "wheels"))
        command = command.replace("python -m venv", f"{base_python} -m venv")
        subprocess.run(command, shell=True, cwd=src, env=env, check=True, timeout=300,
                       capture_output=True)  # fmt: skip
        if "-m venv" in run:  # the deps of the test environment, seen by the new venv
            purelib = "import sysconfig; print(sysconfig.get_paths()['purelib'])"
            site = subprocess.run(
                [str(venv / "bin" / "python"), "-c", purelib],
                capture_output=True, text=True, check=True,
            ).stdout.strip()  # fmt: skip
            Path(site, "_test_dependencies.pth").write_text(sysconfig.get_paths()["purelib"] + "\n")
    return venv


async def test_image_environment_starts_on_the_defaults_and_answers_its_healthcheck(tmp_path: Path) -> None:
    build, final = stages()
    venv = build_image_env(tmp_path, build)
    data, config_dir = tmp_path / "data", tmp_path / "config"  # the two volumes, empty
    data.mkdir()
    config_dir.mkdir()
    port = free_port()
    env = {
        k: v.replace("/opt/venv", str(venv)).replace("/config", str(config_dir))
        for k, v in final.env({"PATH": os.environ["PATH"], "HOME": str(tmp_path)}).items()
    }
    env["GAPWATCH_HTTP__LISTEN"] = env["GAPWATCH_HTTP__LISTEN"].replace(":8080", f":{port}")  # a free port
    check = [c.replace(":8080", f":{port}") for c in healthcheck_command(final)]
    (workdir,) = final.all("WORKDIR")
    assert workdir == "/data"
    async with FeedServer() as feeds:
        feeds.add_feed("/lab.xml", rss_feed([]))
        env["GAPWATCH_SOURCES"] = (
            f'[{{"kind": "feed", "url": "{feeds.url("/lab.xml")}"}}]'  # not the internet
        )
        proc = await asyncio.create_subprocess_exec(
            *json.loads(final.all("ENTRYPOINT")[0]),
            *json.loads(final.all("CMD")[0]),
            cwd=data, env=env, stdout=asyncio.subprocess.PIPE, stderr=asyncio.subprocess.PIPE,
        )  # fmt: skip
        try:
            await eventually(lambda: feeds.hits("/lab.xml") >= 1, within=60)

            async def healthcheck_passes() -> bool:
                done = await asyncio.create_subprocess_exec(*check, env=env, cwd=data)
                return await done.wait() == 0

            await eventually(healthcheck_passes, within=30)
            async with httpx.AsyncClient() as http:
                health = (await http.get(f"http://127.0.0.1:{port}/healthz")).json()
        finally:
            proc.terminate()
            _out, err = await asyncio.wait_for(proc.communicate(), 30)
    assert proc.returncode == 0, err.decode()[-3000:]
    assert health["ok"] is True
    assert (data / "gapwatch.db").is_file()  # the embedded default: SQLite in the data volume
    assert "gapwatch running" in err.decode()
    assert str(venv) in (venv / "bin" / "gapwatch").read_text().splitlines()[0]  # the image's venv ran
