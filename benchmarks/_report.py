"""Shared output of the benchmark scripts: one JSON report on stdout, optionally a file."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any


def emit(report: dict[str, Any], out: Path | None) -> None:
    """Print ``report`` as indented JSON and, when ``out`` is given, write it there too."""
    text = json.dumps(report, indent=2)
    if out:
        out.parent.mkdir(parents=True, exist_ok=True)
        out.write_text(text + "\n", encoding="utf-8")
    print(text)
