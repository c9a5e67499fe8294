"""The seeded generator of every synthetic table in datasets/.

Each synthetic table has a maker in ``datasets/synthetic/<name>.py``: a module with
``make(rng: random.Random) -> list[dict[str, str | int | float]]`` returning the rows in
column order, and a docstring saying what real figures shape it. Each table draws from
its own stream seeded with ``SEED`` and its name, so adding a table never changes another.

    python datasets/generate.py            write every synthetic CSV
    python datasets/generate.py --check    exit 1 if a committed CSV differs from a fresh run
"""

from __future__ import annotations

import argparse
import csv
import importlib.util
import io
import random
import sys
from pathlib import Path

SEED = 20181111  # the day of the case
HERE = Path(__file__).resolve().parent


def makers() -> dict[str, object]:
    """Table name -> its maker module, from datasets/synthetic/*.py."""
    found = {}
    for path in sorted((HERE / "synthetic").glob("[a-z]*.py")):
        spec = importlib.util.spec_from_file_location(f"synthetic_{path.stem}", path)
        module = importlib.util.module_from_spec(spec)
        spec.loader.exec_module(module)
        found[path.stem] = module
    return found


def render(rows: list[dict]) -> str:
    """Rows as CSV text with a header, '\\n' line ends and floats as given by the maker."""
    if not rows:
        raise ValueError("a synthetic table needs at least one row")
    buffer = io.StringIO()
    writer = csv.DictWriter(buffer, fieldnames=list(rows[0]), lineterminator="\n")
    writer.writeheader()
    writer.writerows(rows)
    return buffer.getvalue()


def generate() -> dict[str, str]:
    """Every synthetic table's CSV text, by table name."""
    return {name: render(module.make(random.Random(f"{SEED}-{name}"))) for name, module in makers().items()}


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--check", action="store_true", help="compare with the committed files, write nothing")
    args = parser.parse_args(argv)
    stale = []
    for name, text in generate().items():
        path = HERE / f"{name}.csv"
        if args.check:
            if not path.is_file() or path.read_text(encoding="utf-8") != text:
                stale.append(path.name)
        else:
            path.write_text(text, encoding="utf-8")
            print(f"wrote datasets/{path.name}")
    if stale:
        print(f"stale synthetic tables (run python datasets/generate.py): {', '.join(stale)}", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
