"""Load check: N trainees log in and run a module's notebook at the same time on a real JupyterHub.

    sudo .venv/bin/python -m benchmarks.hub_load [--trainees 20] [--module m01-singles-day] [--json FILE] [--write]

Run it from the checkout's root (it uses the hub helpers in tests/support/hub). What a trainee does and what is
measured is described in tests/support/hub/load.py; tests/hub/test_hub_load.py runs a small version of it.
"""

from __future__ import annotations

import argparse
import json
import sys
import time
from pathlib import Path

try:
    from tests.support.hub.load import DEFAULT_MODULE, report, run
    from tests.support.hub.machine import ROOT
except ModuleNotFoundError as error:  # run as a script, the checkout's root is not on the path
    raise SystemExit(f"{error}: run it from the checkout's root as `python -m benchmarks.hub_load`") from error


def store(figures: dict, path: Path = ROOT / "deploy" / "capacity.json") -> None:
    """Keep the load check's figures beside the capacity figures they confirm."""
    capacity = json.loads(path.read_text()) if path.exists() else {}
    capacity["load_check"] = {"measured": time.strftime("%Y-%m-%d"), **figures}
    path.write_text(json.dumps(capacity, indent=2) + "\n")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--trainees", type=int, default=20)
    parser.add_argument("--module", default=DEFAULT_MODULE)
    parser.add_argument("--json", type=Path, default=None, help="also write the figures to this file")
    parser.add_argument("--write", action="store_true", help="also store them in deploy/capacity.json (load_check)")
    args = parser.parse_args(argv)
    figures = run(args.trainees, args.module)
    print(report(figures))
    if args.json:
        args.json.write_text(json.dumps(figures, indent=2) + "\n")
    if args.write:
        store(figures)
    return 0 if figures["failures"] == 0 else 1


if __name__ == "__main__":
    sys.exit(main())
