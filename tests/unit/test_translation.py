"""The Indonesian edition's engine: units, PO files (the fuzzy workflow), generation, and what verify catches."""

from __future__ import annotations

import json
import re
import shutil
from pathlib import Path

import pytest
from babel.messages.catalog import Catalog

from course import translate
from course.build import generate_edition
from course.verify import edition

MODULE = "m00-orientation"


def cell(kind: str, source: str, key: str, **nbgrader) -> dict:
    meta = {"nbgrader": {"grade_id": key, **nbgrader}} if nbgrader else {}
    out = {"cell_type": kind, "id": key, "metadata": meta, "source": source}
    if kind == "code":
        out.update(outputs=[], execution_count=None)
    return out


LESSON = {"metadata": {}, "nbformat": 4, "nbformat_minor": 5, "cells": [
    cell("markdown", "## Stock\n\nThe stock is `units` pieces.\n\n```python\nx = 1  # kept\n```\n", "m09-intro",
         locked=True),
    cell("code", "# count the stock\ntotals = {\"label\": 1}  # the totals by brand\n"
                 "print(\"largest backlog:\", totals[\"label\"])\nprint(f\"at {t:%H:%M} there were {n:,} units\")\n"
                 "ax.set_title('Orders per minute')\nax.plot(x, y, label=\"orders\", color=\"red\")\n"
                 "ax.legend([\"stock\", \"orders\"])\ndf[\"brand name\"] = \"Kapal Api\"  # noqa: E501\n", "cell-02"),
    cell("code", "# answer = ...\n### BEGIN SOLUTION\nanswer = \"keep A\"  # the plan\nprint(\"answer is\", answer)\n"
                 "### END SOLUTION\n", "m09-q1-plan", solution=True, grade=False),
    cell("code", "print(\"checking the answer\")\n### BEGIN HIDDEN TESTS\nassert answer == \"keep A\"\n"
                 "### END HIDDEN TESTS\n", "m09-q1-plan-test", grade=True, points=1),
    cell("markdown", "### Q2 (written)\nWhy?\n\n=== BEGIN MARK SCHEME ===\n- 1 point: says why.\n"
                     "=== END MARK SCHEME ===\n", "m09-q2-why", task=True, points=1),
]}
TRANSLATIONS = {
    "## Stock": "## Stok", "The stock is `units` pieces.": "Stoknya `units` buah.",
    "count the stock": "hitung stok", "the totals by brand": "total per merek",
    "largest backlog:": "antrean kemas terbesar:",
    "at {t:%H:%M} there were {n:,} units": "pada {t:%H:%M} ada {n:,} unit", "Orders per minute": "Pesanan per menit",
    "orders": "pesanan", "stock": "stok", "### Q2 (written)\nWhy?": "### Q2 (tertulis)\nMengapa?",
    "- 1 point: says why.": "- 1 poin: menyebutkan alasannya.",
}


def catalog_for(notebook: dict, translations: dict[str, str]) -> Catalog:
    catalog = translate.template(notebook, "m09-test")
    for message in catalog:
        if message.id in translations:
            message.string = translations[message.id]
    return catalog


def test_units_follow_the_documented_rule():
    found = {(u.context, u.msgid): u.kind for u in translate.units(LESSON)}
    assert found == {
        ("m09-intro", "## Stock"): "markdown", ("m09-intro", "The stock is `units` pieces."): "markdown",
        ("cell-02", "count the stock"): "comment", ("cell-02", "the totals by brand"): "comment",
        ("cell-02", "largest backlog:"): "print label",
        ("cell-02", "at {t:%H:%M} there were {n:,} units"): "print label",
        ("cell-02", "Orders per minute"): "chart text", ("cell-02", "orders"): "chart text",
        ("cell-02", "stock"): "chart text",
        ("m09-q2-why", "### Q2 (written)\nWhy?"): "markdown", ("m09-q2-why", "- 1 point: says why."): "mark scheme",
    }  # not: dict keys, column names, "red", the noqa directive, the fenced code, answer and test cells


def test_apply_translates_prose_comments_and_labels_and_nothing_else():
    applied = translate.apply(LESSON, catalog_for(LESSON, TRANSLATIONS))
    cells = applied.notebook["cells"]
    assert translate.source_of(cells[0]) == "## Stok\n\nStoknya `units` buah.\n\n```python\nx = 1  # kept\n```\n"
    assert translate.source_of(cells[1]) == (
        "# hitung stok\ntotals = {\"label\": 1}  # total per merek\n"
        "print(\"antrean kemas terbesar:\", totals[\"label\"])\n"
        "print(f\"pada {t:%H:%M} ada {n:,} unit\")\nax.set_title('Pesanan per menit')\n"
        "ax.plot(x, y, label=\"pesanan\", color=\"red\")\nax.legend([\"stok\", \"pesanan\"])\n"
        "df[\"brand name\"] = \"Kapal Api\"  # noqa: E501\n")
    assert cells[2] == LESSON["cells"][2] and cells[3] == LESSON["cells"][3]  # answer and test: identical
    assert translate.source_of(cells[4]) == ("### Q2 (tertulis)\nMengapa?\n\n=== BEGIN MARK SCHEME ===\n"
                                             "- 1 poin: menyebutkan alasannya.\n=== END MARK SCHEME ===\n")
    assert len(applied.translated) == 12 and not applied.untranslated and not applied.fuzzy
    assert applied.notebook["metadata"]["course"] == {"edition": "id"}
    assert translate.code_differences(LESSON, applied.notebook) == []


def test_untranslated_and_fuzzy_units_fall_back_to_english_and_are_listed():
    catalog = catalog_for(LESSON, {"## Stock": "## Stok", "count the stock": "hitung stok"})
    catalog.get("count the stock", context="cell-02").flags.add("fuzzy")
    applied = translate.apply(LESSON, catalog)
    assert [u.msgid for u in applied.translated] == ["## Stock"]
    assert [u.msgid for u in applied.fuzzy] == ["count the stock"]
    assert len(applied.untranslated) == 10  # occurrences: "orders" is both a label= and a legend entry
    assert translate.source_of(applied.notebook["cells"][1]).startswith("# count the stock\n")


def test_fuzzy_workflow_changed_english_unit_is_marked_and_unchanged_keeps_its_translation(tmp_path):
    po = tmp_path / "m09-test.po"
    assert translate.update(LESSON, "m09-test", po) == (True, 0)
    catalog = translate.read_catalog(po)
    for message in catalog:
        if message.id in TRANSLATIONS:
            message.string = TRANSLATIONS[message.id]
    translate.write_catalog(catalog, po)
    assert translate.update(LESSON, "m09-test", po) == (False, 0)  # nothing changed: the file is left alone

    changed = json.loads(json.dumps(LESSON))
    changed["cells"][0]["source"] = "## Stock\n\nThe stock is `units` pieces in the warehouse.\n"
    assert translate.update(changed, "m09-test", po) == (True, 1)
    catalog = translate.read_catalog(po)
    moved = catalog.get("The stock is `units` pieces in the warehouse.", context="m09-intro")
    assert moved.fuzzy and moved.string == "Stoknya `units` buah."
    kept = catalog.get("## Stock", context="m09-intro")
    assert kept.string == "## Stok" and not kept.fuzzy
    assert "#| msgid \"The stock is `units` pieces.\"" in po.read_text()  # the translator sees the old English


def test_code_differences_catch_changed_code_tests_and_markers():
    applied = translate.apply(LESSON, catalog_for(LESSON, TRANSLATIONS)).notebook
    broken = json.loads(json.dumps(applied))
    broken["cells"][1]["source"] = translate.source_of(broken["cells"][1]).replace("color=\"red\"", "color=\"blue\"")
    broken["cells"][3]["source"] = "print(\"memeriksa jawaban\")\n"
    broken["cells"][4]["source"] = "Mengapa?\n\n=== MULAI ===\n"
    found = translate.code_differences(LESSON, broken)
    assert len(found) == 3, found
    assert "cell 2 (cell-02): its code differs" in found[0]
    assert "cell 4 (m09-q1-plan-test): an answer or test cell differs" in found[1]
    assert "cell 5 (m09-q2-why): its mark-scheme markers" in found[2]


def test_placeholders_are_fields_and_code_spans():
    assert translate.placeholders("at {t:%H:%M} there were {n:,} units", "print label") == ["{n:,}", "{t:%H:%M}"]
    assert (translate.placeholders("Run `set_language(\"id\")` first {{literal}}", "markdown")
            == ['`set_language("id")`'])


def test_placeholders_ignore_latex_groups_in_markdown_so_words_in_math_can_be_translated():
    english = r"so $\text{rate} = \frac{\text{landed cost}}{n}$ for {name}, and US\$5 (`f({x})`)"
    indonesian = r"jadi $\text{tarif} = \frac{\text{biaya sampai gudang}}{n}$ untuk {name}, dan US\$5 (`f({x})`)"
    assert translate.placeholders(english, "markdown") == translate.placeholders(indonesian, "markdown") \
        == ["`f({x})`", "{name}", "{x}"]
    assert translate.placeholders(r"$$\text{score} = 1$$ {n}", "mark scheme") == ["{n}"]
    # outside markdown a brace is a field, whatever surrounds it
    assert translate.placeholders("cost $ {cost} $", "print label") == ["{cost}"]


MARKED = {"metadata": {}, "nbformat": 4, "nbformat_minor": 5, "cells": [
    cell("code", "for name, day in [(label(\"ordinary day\"), a), (i18n.label('offer day'), b)]:\n"
                 "    print(f\"{name}:\", day)\n"
                 "steps = [label(\"views\"), \"views\", other.label(\"not marked\"), label(name)]\n"
                 "interact(f, x=IntSlider(description=\"Threshold (IDR)\"))\n", "cell-07"),
]}


def test_label_marks_a_literal_for_translation_and_description_is_a_caption():
    found = {(u.msgid, u.kind) for u in translate.units(MARKED)}
    assert found == {("ordinary day", "marked label"), ("offer day", "marked label"), ("views", "marked label"),
                     ("Threshold (IDR)", "chart text")}  # not: the unmarked "views", other.label(...), label(name)
    catalog = catalog_for(MARKED, {"ordinary day": "hari biasa", "offer day": "hari promo", "views": "tayangan",
                                   "Threshold (IDR)": "Ambang (Rp)"})
    applied = translate.apply(MARKED, catalog).notebook
    assert translate.source_of(applied["cells"][0]) == (
        "for name, day in [(label(\"hari biasa\"), a), (i18n.label('hari promo'), b)]:\n    print(f\"{name}:\", day)\n"
        "steps = [label(\"tayangan\"), \"views\", other.label(\"not marked\"), label(name)]\n"
        "interact(f, x=IntSlider(description=\"Ambang (Rp)\"))\n")
    assert translate.code_differences(MARKED, applied) == []  # only the marked text differs


def test_the_marker_returns_its_text_unchanged():
    from course.i18n import label

    assert label("ordinary day") == "ordinary day"


# ---------------------------------------------------------------- course verify plants each fault on a copy of m00

@pytest.fixture
def m00_course(tmp_path: Path, root: Path) -> Path:
    """A throw-away course with only m00, both editions and its translation, to break on purpose."""
    copy = tmp_path / "course"
    copy.mkdir()
    shutil.copy2(root / "nbgrader_config.py", copy)
    for folder in ("solutions", "exercises", "solutions-id", "exercises-id"):
        shutil.copytree(root / folder / MODULE, copy / folder / MODULE)
    (copy / "translations" / "id").mkdir(parents=True)
    shutil.copy2(root / "translations" / "id" / f"{MODULE}.po", copy / "translations" / "id")
    return copy


def findings(course: Path) -> list[str]:
    return [str(f) for f in edition(course)]


def test_committed_m00_edition_passes(m00_course):
    assert findings(m00_course) == []


def test_verify_fails_without_the_translation_file(m00_course):
    (m00_course / "translations" / "id" / f"{MODULE}.po").unlink()
    found = findings(m00_course)
    assert any("[translation] translations/id/m00-orientation.po: is missing" in f for f in found), found


def edit_english(course: Path, old: str, new: str) -> None:
    path = course / "solutions" / MODULE / f"{MODULE}.ipynb"
    text = path.read_text(encoding="utf-8")
    assert old in text
    path.write_text(text.replace(old, new), encoding="utf-8")


def test_verify_fails_when_the_english_changed_after_translation_and_again_while_fuzzy(m00_course):
    edit_english(m00_course, "Underscores make", "Underscores (_) make")
    found = findings(m00_course)
    assert any("[translation] translations/id/m00-orientation.po [m00-variables]: stale" in f for f in found), found
    assert any("lacks 1 unit(s)" in f for f in found), found
    assert any("[stale] solutions-id/m00-orientation/m00-orientation.ipynb: differs" in f for f in found), found
    from course.translate_cli import extract
    assert extract(m00_course, [MODULE]) == ["updated translations/id/m00-orientation.po (1 fuzzy: review them)"]
    found = findings(m00_course)
    assert any("[m00-variables]: fuzzy: the English changed" in f for f in found), found
    assert not any(": stale:" in f for f in found), found


def test_verify_fails_on_a_unit_left_in_english(m00_course):
    po = m00_course / "translations" / "id" / f"{MODULE}.po"
    catalog = translate.read_catalog(po)
    message = next(m for m in catalog if m.id and m.context == "m00-variables")
    message.string = ""
    translate.write_catalog(catalog, po)
    found = findings(m00_course)
    assert any("[m00-variables]: untranslated: the edition shows this in English" in f for f in found), found


def test_verify_fails_when_a_translation_loses_a_placeholder(m00_course):
    po = m00_course / "translations" / "id" / f"{MODULE}.po"
    catalog = translate.read_catalog(po)
    message = next(m for m in catalog if m.id and "`papatonk_stock`" in m.string)
    message.string = message.string.replace("`papatonk_stock`", "`stok_papatonk`")
    translate.write_catalog(catalog, po)
    found = findings(m00_course)
    assert any("placeholders" in f and "stok_papatonk" in f for f in found), found


def test_verify_fails_when_the_indonesian_code_or_tests_differ(m00_course):
    path = m00_course / "exercises-id" / MODULE / f"{MODULE}.ipynb"
    notebook = json.loads(path.read_text(encoding="utf-8"))
    test_cell = next(c for c in notebook["cells"]
                     if c["metadata"].get("nbgrader", {}).get("grade_id") == "m00-q3-count-test")
    test_cell["source"] = ["checks.number(\"n_products\", n_products, low=1, high=99, integer=True)\n"]
    path.write_text(json.dumps(notebook, indent=1), encoding="utf-8")
    found = findings(m00_course)
    assert any("[edition] exercises-id/m00-orientation: cell" in f and "test cell differs" in f for f in found), found
    assert any("[stale] exercises-id/m00-orientation/m00-orientation.ipynb: differs" in f for f in found), found


def test_verify_fails_when_the_generated_notebook_is_edited_by_hand(m00_course):
    path = m00_course / "solutions-id" / MODULE / f"{MODULE}.ipynb"
    path.write_text(path.read_text(encoding="utf-8").replace("Anda", "kamu", 1), encoding="utf-8")
    found = findings(m00_course)
    assert found == ["[stale] solutions-id/m00-orientation/m00-orientation.ipynb: differs from a fresh generation "
                     "(edited by hand, or solutions/ or translations/ changed); run `course exercises`"]


def test_generation_is_deterministic_and_equals_the_committed_edition(m00_course, root):
    generate_edition(m00_course, "id", [MODULE])
    for folder in ("solutions-id", "exercises-id"):
        rel = Path(folder) / MODULE / f"{MODULE}.ipynb"
        assert (m00_course / rel).read_bytes() == (root / rel).read_bytes(), rel


def test_translations_commands_report_per_module(m00_course, monkeypatch, capsys):
    from course.cli import main

    monkeypatch.chdir(m00_course)
    assert main(["translations", "status", MODULE]) == 0
    assert re.match(rf"{MODULE}: (\d+) of \1 units in Indonesian\n", capsys.readouterr().out)  # all translated
    assert main(["translations", "extract"]) == 0
    assert capsys.readouterr().out == f"unchanged translations/id/{MODULE}.po\n"
    assert main(["translations", "status", "m99-nothing"]) == 2
    assert "unknown module(s) m99-nothing" in capsys.readouterr().err


def test_a_broken_po_file_is_a_clear_error(m00_course):
    po = m00_course / "translations" / "id" / f"{MODULE}.po"
    po.write_text(po.read_text(encoding="utf-8").replace("msgstr \"\"\n\"Project", "msgstring \"\"\n\"Project", 1),
                  encoding="utf-8")
    with pytest.raises(translate.TranslationError, match=r"m00-orientation\.po: not a valid PO file"):
        translate.read_catalog(po)


def test_verify_catches_an_indonesian_mark_scheme_leaked_into_the_release(m00_course):
    secret = ("Contoh jawaban: *Validate yang hijau berarti notebook saya berjalan dari atas sampai bawah dan "
              "jawaban saya lolos")
    assert secret in (m00_course / "solutions-id" / MODULE / f"{MODULE}.ipynb").read_text(encoding="utf-8")
    (m00_course / "exercises-id" / MODULE / "catatan.md").write_text(secret + "\n", encoding="utf-8")
    found = findings(m00_course)
    assert any(f.startswith("[leak] exercises-id/m00-orientation/catatan.md") for f in found), found
    assert any(f.startswith("[stale] exercises-id/m00-orientation/catatan.md: is not generated") for f in found), found
