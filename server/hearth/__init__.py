"""Hearth: an end-to-end encrypted relay and reference client for couples."""

__version__ = "0.1.0"
