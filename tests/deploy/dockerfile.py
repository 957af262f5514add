"""Read the Dockerfile the way the tests need it: stages, ENV, WORKDIR, USER, VOLUME, HEALTHCHECK."""

from __future__ import annotations

import json
import shlex
from dataclasses import dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


@dataclass
class Stage:
    base: str
    name: str | None
    instructions: list[tuple[str, str]] = field(default_factory=list)  # (INSTRUCTION, arguments)

    def all(self, instruction: str) -> list[str]:
        return [args for ins, args in self.instructions if ins == instruction]

    def env(self, outer: dict[str, str]) -> dict[str, str]:
        """The stage's ENV, `$NAME` expanded against what is set so far."""
        env = dict(outer)
        for args in self.all("ENV"):
            for pair in shlex.split(args):
                key, _, value = pair.partition("=")
                for name, known in sorted(env.items(), key=lambda kv: -len(kv[0])):
                    value = value.replace(f"${name}", known).replace(f"${{{name}}}", known)
                env[key] = value
        return env


def logical_lines(text: str) -> list[str]:
    lines: list[str] = []
    current = ""
    for raw in text.splitlines():
        line = raw.strip()
        if not line or line.startswith("#"):
            continue
        if line.endswith("\\"):
            current += line[:-1] + " "
            continue
        lines.append(current + line)
        current = ""
    return lines


def stages(path: Path = ROOT / "Dockerfile") -> list[Stage]:
    result: list[Stage] = []
    for line in logical_lines(path.read_text(encoding="utf-8")):
        instruction, _, args = line.partition(" ")
        instruction = instruction.upper()
        if instruction == "FROM":
            parts = args.split()
            result.append(Stage(parts[0], parts[2] if len(parts) > 2 and parts[1].upper() == "AS" else None))
        else:
            result[-1].instructions.append((instruction, args.strip()))
    return result


def healthcheck_command(stage: Stage) -> list[str]:
    """The exec-form CMD of HEALTHCHECK (a JSON array), options dropped."""
    (args,) = stage.all("HEALTHCHECK")
    _, _, command = args.partition("CMD ")
    value = json.loads(command)
    assert isinstance(value, list)
    return [str(v) for v in value]
