"""The command line: options before or after the command, one-line errors, exit codes."""

from __future__ import annotations

from pathlib import Path

import pytest

from bot.cli import build_parser, main


@pytest.mark.parametrize(
    "argv",
    [
        ["--config", "x.toml", "poll", "--once"],
        ["poll", "--once", "--config", "x.toml"],
        ["poll", "--config", "x.toml", "--once"],
    ],
)
def test_config_option_is_kept_before_or_after_the_command(argv: list[str]) -> None:
    assert build_parser().parse_args(argv).config == "x.toml"


def test_no_config_option_means_none() -> None:
    args = build_parser().parse_args(["gap", "o1"])
    assert args.config is None and args.log_format is None


@pytest.mark.parametrize(
    ("argv", "code", "needle"),
    [
        (["--config", "{tmp}/missing.toml", "poll", "--once"], 2, "config file not found"),
        (["--config", "{tmp}/bad.toml", "config", "check"], 2, "polling.interval"),
        (["--config", "{tmp}/ok.toml", "gap", "o2"], 1, "unknown frontier model 'o2'; did you mean o3, o1"),
        (["--config", "{tmp}/ok.toml", "detect", "{tmp}/nope.md"], 1, "no such file"),
        (["--config", "{tmp}/unreachable.toml", "gap", "o1"], 1, "cannot reach database at postgresql"),
        (["--config", "{tmp}/route.toml", "config", "check"], 2, "routes[0].destination: must be one of"),
        (["--config", "{tmp}/hook.toml", "poll", "--once"], 2, "sinks.hook.ops.url: must be an http(s) URL"),
    ],
)
def test_user_mistakes_are_one_line_and_non_zero(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], argv: list[str], code: int, needle: str
) -> None:
    (tmp_path / "bad.toml").write_text("[polling]\ninterval = 'soon'\n")
    (tmp_path / "ok.toml").write_text(f'[storage]\nurl = "sqlite+aiosqlite:///{tmp_path}/gw.db"\n')
    (tmp_path / "unreachable.toml").write_text(
        '[storage]\nurl = "postgresql+asyncpg://nobody:pw@127.0.0.1:1/x"\n'
    )
    (tmp_path / "route.toml").write_text('[[routes]]\ndestination = "email:me"\n')
    (tmp_path / "hook.toml").write_text('[sinks.hook.ops]\nurl = "ftp://pw@x"\n')
    assert main([a.format(tmp=tmp_path) for a in argv]) == code
    err = capsys.readouterr().err
    errors = [line for line in err.splitlines() if line.startswith("gapwatch:")]
    assert len(errors) == 1 and needle in errors[0], err
    assert "Traceback" not in err and "pw@" not in err  # no traceback; the password is masked


def test_detect_json_layout(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    import json

    doc = tmp_path / "card.md"
    doc.write_text(
        "source: test\nkind: readme\npublished: 2025-01-20\n\n"
        "# Falcon-9\n\nFalcon-9 matches OpenAI o1 on AIME.\n"
    )
    assert main(["detect", str(doc), "--json"]) == 0
    out = json.loads(capsys.readouterr().out)
    assert out[0]["file"] == str(doc)
    claim = out[0]["claims"][0]
    assert (claim["competitor"], claim["frontier"], claim["relation"]) == ("Falcon-9", "o1", "matches")
    assert set(claim) >= {"competitor", "lab", "frontier", "relation", "benchmarks", "evidence", "confidence"}


def test_detect_explain_shows_the_rule_path(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    import json

    doc = tmp_path / "news.md"
    doc.write_text("Falcon-9 reportedly beats o1 on AIME. It is not on par with GPT-4o.\n")
    assert main(["detect", str(doc), "--explain"]) == 0
    text = capsys.readouterr().out
    assert "cue: 'beats' before the mention -> exceeds" in text
    assert "doubt: reported or disputed ('reportedly')" in text
    assert "negation 'not' before the cue -> trails" in text
    assert main(["detect", str(doc), "--json", "--explain"]) == 0
    claims = json.loads(capsys.readouterr().out)[0]["claims"]
    by_frontier = {c["frontier"]: c for c in claims}
    assert by_frontier["o1"]["confidence"] < 0.5  # reported: recorded, not alerted
    assert any(step.startswith("competitor: 'Falcon-9'") for step in by_frontier["gpt-4o"]["explain"])
    assert main(["detect", str(doc), "--json"]) == 0
    assert all("explain" not in c for c in json.loads(capsys.readouterr().out)[0]["claims"])


def test_bad_log_level_is_a_usage_error(capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit) as info:
        main(["--log-level", "loud", "config", "check"])
    assert info.value.code == 2 and "invalid choice" in capsys.readouterr().err


def test_http_listen_port_in_use_is_one_line(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    import socket

    with socket.socket() as busy:
        busy.bind(("127.0.0.1", 0))
        busy.listen()
        port = busy.getsockname()[1]
        config = tmp_path / "c.toml"
        config.write_text(
            f'[storage]\nurl = "sqlite+aiosqlite:///{tmp_path}/gw.db"\n'
            f'[http]\nlisten = "127.0.0.1:{port}"\n'
            "[[sources]]\nkind = 'feed'\nurl = 'http://127.0.0.1:9/none.xml'\ninterval = 3600\n"
        )
        assert main(["--config", str(config), "run"]) == 2
    err = capsys.readouterr().err
    assert f"http.listen: cannot listen on 127.0.0.1:{port}" in err and "Traceback" not in err


def test_eval_set_reads_the_corpus_split_when_no_split_is_given(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    import json

    corpus = tmp_path / "corpus"
    (corpus / "docs").mkdir(parents=True)
    (corpus / "docs" / "a.md").write_text(
        "source: t\nkind: news\npublished: 2025-01-01\n\nHeron-14B beats o1.\n"
    )
    (corpus / "docs" / "b.md").write_text("source: t\nkind: news\npublished: 2025-01-01\n\nNothing here.\n")
    (corpus / "labels.jsonl").write_text(
        json.dumps({"doc": "a.md", "claims": [], "parity_claim": False})
        + "\n"
        + json.dumps({"doc": "b.md", "claims": [], "parity_claim": False})
        + "\n"
    )
    assert main(["eval", str(corpus), "--set", "dev"]) == 1  # no split.json: a one-line error
    assert "--set needs --split FILE" in capsys.readouterr().err
    (corpus / "split.json").write_text(json.dumps({"dev": ["b.md"], "test": ["a.md"]}))
    assert main(["eval", str(corpus), "--set", "test", "--json"]) == 0
    assert json.loads(capsys.readouterr().out)["count"] == 1
