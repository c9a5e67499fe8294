"""Every real figure a lesson quotes in its text is in a sourced dataset row, stated in its code, or computed
by one of its cells. The convention is documented in figures.py; the allow-list of computed figures is
figures_computed.json beside this file."""

import json
import shutil
from pathlib import Path

import figures
import pytest

ALLOWED = json.loads((Path(__file__).with_name("figures_computed.json")).read_text(encoding="utf-8"))
MODULES = {path.parent.name[:3]: path for path in figures.notebooks()}


@pytest.fixture(scope="module")
def known() -> set[float]:
    return figures.real_dataset_numbers()


def allowed(module: str) -> dict[str, str]:
    return {**ALLOWED["computed"].get(module, {}), **ALLOWED["derived"].get(module, {}),
            **ALLOWED["conventions"].get(module, {})}


@pytest.mark.parametrize("module", sorted(MODULES))
def test_every_figure_in_a_lesson_is_sourced_stated_or_computed(module, known):
    missing = figures.unbacked(MODULES[module], known, allowed(module))
    assert not missing, (f"{module}: figures in the text with no dataset row, no code literal and no computing cell "
                         f"(see tests/unit/figures.py): {missing}")


def test_computed_figures_name_a_code_cell_of_their_notebook():
    for module, entries in ALLOWED["computed"].items():
        kinds = {c.get("id"): c["cell_type"] for c in figures.cells(MODULES[module])}
        for figure, cell_id in entries.items():
            assert kinds.get(cell_id) == "code", f"{module}: {figure} names cell {cell_id!r}, not a code cell there"
    for module, entries in ALLOWED["conventions"].items():
        assert module in MODULES and all(reason.strip() for reason in entries.values())


@pytest.mark.parametrize("module", sorted(ALLOWED["derived"]))
def test_arithmetic_done_in_the_text_is_right_and_starts_from_backed_figures(module, known):
    # a step may start from a figure the module computes or derives elsewhere (25,151.7 from the step before)
    listed = {float(f.replace(",", "")) for f in allowed(module)}
    backed = known | figures.code_numbers(MODULES[module]) | listed
    problems = {figure: why for figure, arithmetic in ALLOWED["derived"][module].items()
                if (why := figures.derived_ok(figure, arithmetic, backed))}
    assert not problems, f"{module}: {problems}"


def test_a_wrong_or_unbacked_derivation_is_caught(known):
    assert figures.derived_ok("6.93", "213.5 / 30.8", known) is None
    assert "not 6.95" in figures.derived_ok("6.95", "213.5 / 30.8", known)
    assert "not backed" in figures.derived_ok("6.94", "213.5 / 30.77", known)
    with pytest.raises(ValueError, match="not plain arithmetic"):
        figures.derived_ok("1", "__import__('os')", known)


def _planted(tmp_path: Path, module: str, sentence: str) -> Path:
    """A copy of a module's notebook with ``sentence`` added to its first markdown cell."""
    copy = tmp_path / MODULES[module].name
    shutil.copy(MODULES[module], copy)
    notebook = json.loads(copy.read_text(encoding="utf-8"))
    first = next(c for c in notebook["cells"] if c["cell_type"] == "markdown")
    first["source"] = "".join(first["source"]) + "\n\n" + sentence
    copy.write_text(json.dumps(notebook), encoding="utf-8")
    return copy


@pytest.mark.parametrize("module, sentence, invented", [
    ("m03", "In 2019 Indonesia's bird's-nest exports to China reached US$437.6 m.", "437.6"),
    ("m02", "By 2024 some 2,345 Indonesian firms sold on Tmall Global.", "2,345"),
    ("m08", "QRIS had 38.7 million merchants by 2024.", "38.7"),
])
def test_a_planted_invented_figure_is_caught(tmp_path, known, module, sentence, invented):
    assert figures.unbacked(MODULES[module], known, allowed(module)) == []
    found = figures.unbacked(_planted(tmp_path, module, sentence), known, allowed(module))
    assert [figure for _cell, figure in found] == [invented]


def test_a_planted_sourced_or_dated_sentence_passes(tmp_path, known):
    sentence = ("Since 1 March 2022 the positive list has 1,476 tariff lines, and from 1 June 2026 GACC Decree 280 "
                "applies (Q3, 4 points; see `changes_since_2018`).")
    assert figures.unbacked(_planted(tmp_path, "m03", sentence), known, allowed("m03")) == []


def test_what_is_not_a_figure():
    text = ("## 2. The case\nOn 6 September 2018 (Q3, 4 points), 60-75 minutes, in 120–200 words, at 2:05, "
            "for 11.11 in 2018 and 2026, `x = 437.6`, [link](https://a.b/14086), five or 12 products.\n"
            "1. First item")
    assert list(figures.figures(text)) == []
    assert [t for t, _v, _d in figures.figures("US$30.8 bn, 1,042,000,000 orders, 13 units, 0.5 %")] == [
        "30.8", "1,042,000,000", "13", "0.5"]


@pytest.mark.parametrize("text, known, ok", [
    ("9.1", {0.091}, True),  # percent and fraction
    ("1.042", {1_042_000_000}, True),  # a unit step (billion)
    ("31.7", {31.74}, True),  # one significant digit dropped
    ("32", {31.74}, False),  # two dropped: too loose a match
    ("437.6", {437.5}, False),
])
def test_matching_rule(text, known, ok):
    value = float(text.replace(",", ""))
    decimals = len(text.split(".")[1]) if "." in text else 0
    assert figures.matches(value, decimals, known) is ok
