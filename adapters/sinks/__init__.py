"""Chat sinks: one plugin module per destination prefix (see registry.py)."""
