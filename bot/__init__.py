"""gapwatch: tracks when rival AI models claim parity with frontier models."""

__version__ = "0.1.0"
