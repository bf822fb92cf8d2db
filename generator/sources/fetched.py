"""A file as a source delivered it, before it is checked and stored."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Fetched:
    """A delivered file: its store kind and name, its bytes and origin (URL or "demo")."""

    kind: str
    name: str
    data: bytes
    origin: str
