"""Loopback fake servers used by the tests."""
