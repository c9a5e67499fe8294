"""ruff's configuration leaves out exactly the generated releases, whose answer stubs name undefined variables."""

from __future__ import annotations

import tomllib
from pathlib import Path

from course.build import EDITION_FOLDERS

ROOT = Path(__file__).resolve().parents[2]


def test_ruff_skips_every_release_and_checks_every_source():
    excluded = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["tool"]["ruff"]["extend-exclude"]
    releases = {"exercises"} | {release for _source, release in EDITION_FOLDERS.values()}
    sources = {"solutions"} | {source for source, _release in EDITION_FOLDERS.values()}
    assert set(excluded) == releases
    assert not sources & set(excluded)
