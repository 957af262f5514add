"""gapwatch: tracks when rival AI models claim parity with frontier models."""

import sys

__version__ = "0.1.0"

# httpx's package import loads its command-line client (click, rich and pygments: about 60 ms,
# a tenth of a command's start) whenever those happen to be installed; gapwatch never runs that
# client, so its import is declined here, before anything imports httpx (httpx then defines the
# stub `main` it uses when the CLI's dependencies are missing).
sys.modules.setdefault("httpx._main", None)  # type: ignore[arg-type]
