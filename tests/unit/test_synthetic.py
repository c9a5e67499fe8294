"""The synthetic tables are exactly what the seeded generator makes, and are marked synthetic."""

import importlib.util
from pathlib import Path

from course import data

ROOT = Path(__file__).resolve().parents[2]


def load_generator():
    spec = importlib.util.spec_from_file_location("generate", ROOT / "datasets" / "generate.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_committed_synthetic_tables_equal_a_fresh_generation():
    generator = load_generator()
    assert generator.main(["--check"]) == 0


def test_generation_is_deterministic():
    generator = load_generator()
    assert generator.generate() == generator.generate()


def test_synthetic_flag_matches_the_generator_exactly():
    made = set(load_generator().makers())
    flagged = {r["name"] for r in data.package()["resources"] if r.get("synthetic")}
    assert made == flagged, f"made but not flagged: {made - flagged}; flagged but not made: {flagged - made}"


def test_every_maker_says_what_shapes_it():
    for name, module in load_generator().makers().items():
        assert module.__doc__ and len(module.__doc__.split()) >= 10, f"datasets/synthetic/{name}.py needs a docstring"
