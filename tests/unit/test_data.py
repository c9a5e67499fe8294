"""course.data: typed tables, sourced figures, and clear errors for broken data."""

import json
import os
import re
import shutil
from pathlib import Path

import pytest

from course import data

ROOT = Path(__file__).resolve().parents[2]


def test_every_dataset_loads_with_its_declared_types():
    kinds = {"integer": "int", "number": "float64", "string": "string", "boolean": "boolean",
             "date": "datetime64", "datetime": "datetime64", "year": "int"}
    for name in data.names():
        frame = data.load(name)
        assert len(frame) > 0, name
        for field in data.resource(name)["schema"]["fields"]:
            dtype = str(frame[field["name"]].dtype).lower()
            assert kinds[field["type"]] in dtype, f"{name}.{field['name']} is {dtype}"


def test_frames_carry_title_sources_and_synthetic_flag():
    gmv = data.load("singles_day_gmv")
    assert gmv.attrs["synthetic"] is False
    assert any("technode" in s for s in gmv.attrs["sources"])
    assert gmv.loc[gmv["year"] == 2018, "gmv_rmb_bn"].item() == 213.5


def test_the_whole_data_package_is_valid_frictionless():
    frictionless = pytest.importorskip("frictionless")
    report = frictionless.validate(str(ROOT / "datasets" / "datapackage.json"))
    assert report.valid, report.flatten(["rowNumber", "fieldName", "type", "note"])


def test_every_real_resource_has_sources_with_years_and_a_licence():
    for res in data.package()["resources"]:
        assert isinstance(res.get("synthetic"), bool), res["name"]
        assert res.get("licenses"), res["name"]
        if not res["synthetic"]:
            assert res.get("sources"), res["name"]
            for source in res["sources"]:
                assert source["path"].startswith("http"), source
                # only a low-confidence aggregator may lack a publication year, and it must say so
                assert "year" in source or "aggregator" in source["title"], source


def test_every_row_names_sources_that_its_resource_lists():
    for name in data.names():
        frame = data.load(name)
        if "source_ref" not in frame:
            continue
        listed = {s["ref"] for s in data.resource(name)["sources"]}
        used = {ref for refs in frame["source_ref"] for ref in refs.split(";")}
        assert used <= listed, f"{name} rows cite {used - listed}, not in its sources"


def test_money_columns_name_their_currency_and_unit():
    money_words = ("gmv", "value", "price", "cost")
    for name in data.names():
        for field in data.resource(name)["schema"]["fields"]:
            if field["type"] == "number" and any(w in field["name"] for w in money_words):
                assert any(c in field["name"] for c in ("_rmb", "_usd", "_idr", "_cny")), field["name"]


def test_unknown_dataset_lists_what_exists():
    with pytest.raises(data.DataError, match=r"unknown dataset 'gmv'.*singles_day_gmv"):
        data.load("gmv")


@pytest.fixture
def broken_copy(tmp_path, monkeypatch):
    """A copy of datasets/ that a test may damage; course.data reads it instead of the real one."""
    copy = tmp_path / "datasets"
    shutil.copytree(ROOT / "datasets", copy)
    monkeypatch.setenv(data.DATA_DIR_ENV, str(copy))
    return copy


def replace_in(path: Path, old: str, new: str) -> None:
    text = path.read_text()
    assert old in text
    path.write_text(text.replace(old, new, 1))


def test_a_value_of_the_wrong_type_names_column_row_and_value(broken_copy):
    replace_in(broken_copy / "singles_day_gmv.csv", "2018,213.5", "2018,lots")
    with pytest.raises(data.DataError, match=r"'gmv_rmb_bn': 'lots' in row 11 .* not of type number"):
        data.load("singles_day_gmv")


def test_a_value_out_of_range_is_caught(broken_copy):
    replace_in(broken_copy / "peak_orders.csv", "2018,491000", "2018,-491000")
    with pytest.raises(data.DataError, match="below the minimum 0"):
        data.load("peak_orders")


def test_a_renamed_column_is_caught(broken_copy):
    replace_in(broken_copy / "apbn_2018.csv", "value_idr_tn", "value")
    with pytest.raises(data.DataError, match="the schema expects"):
        data.load("apbn_2018")


def test_a_missing_required_value_and_a_repeated_key_are_caught(broken_copy):
    replace_in(broken_copy / "exchange_rates.csv", "2019,World Bank WDI,annual average,USD,IDR,14147.67",
               "2019,World Bank WDI,annual average,USD,IDR,")
    with pytest.raises(data.DataError, match=r"empty value .* required"):
        data.load("exchange_rates")
    replace_in(broken_copy / "peak_orders.csv", "2019,544000", "2018,544000")
    with pytest.raises(data.DataError, match="primary key"):
        data.load("peak_orders")


def test_a_value_outside_its_enum_or_pattern_is_caught(broken_copy):
    replace_in(broken_copy / "products_2018.csv", ",0901,", ",901,")
    with pytest.raises(data.DataError, match="pattern"):
        data.load("products_2018")
    replace_in(broken_copy / "milestones_2018.csv", ",RMB,1,21,", ",EUR,1,21,")
    with pytest.raises(data.DataError, match="not one of"):
        data.load("milestones_2018")


def test_optional_column_with_a_pattern_accepts_gaps_without_warnings(broken_copy, recwarn):
    gaps = data.load("products_2018")["note"].isna().sum()
    note = "Sidoarjo; 1 million pieces of stock ready"
    replace_in(broken_copy / "products_2018.csv", "made in " + note, "")  # "note" is optional: one gap more
    package = json.loads((broken_copy / "datapackage.json").read_text())
    fields = next(r for r in package["resources"] if r["name"] == "products_2018")["schema"]["fields"]
    next(f for f in fields if f["name"] == "note")["constraints"] = {"pattern": "[A-Za-z0-9 ;,'()-]+"}
    (broken_copy / "datapackage.json").write_text(json.dumps(package))
    data._package.cache_clear()
    assert data.load("products_2018")["note"].isna().sum() == gaps + 1
    assert not [w for w in recwarn if issubclass(w.category, FutureWarning)]


def test_a_missing_file_is_a_clear_error(broken_copy):
    (broken_copy / "apbn_2018.csv").unlink()
    with pytest.raises(data.DataError, match="is missing"):
        data.load("apbn_2018")


def test_package_descriptor_is_plain_json_with_unique_names():
    pkg = json.loads((ROOT / "datasets" / "datapackage.json").read_text())
    names = [r["name"] for r in pkg["resources"]]
    assert len(names) == len(set(names))
    assert sorted(p.name for p in (ROOT / "datasets").glob("*.csv")) == sorted(r["path"] for r in pkg["resources"])


def test_a_table_is_parsed_once_but_every_caller_gets_its_own_copy(broken_copy):
    first = data.load("peak_orders")
    first.loc[0, "orders_per_second"] = -1  # a trainee changing their table
    again = data.load("peak_orders")
    assert again.loc[0, "orders_per_second"] == 325000 and again.attrs["synthetic"] is False
    assert data._parsed.cache_info().hits >= 1


def test_an_edited_file_is_read_again(broken_copy):
    assert data.load("peak_orders")["orders_per_second"].max() == 583000
    path = broken_copy / "peak_orders.csv"
    path.write_text(path.read_text().replace("2020,583000", "2020,600000"))
    os.utime(path, ns=(path.stat().st_atime_ns, path.stat().st_mtime_ns + 10**9))  # a later time stamp
    assert data.load("peak_orders")["orders_per_second"].max() == 600000


@pytest.mark.parametrize(("field", "name", "indonesian_start"), [
    ("title", "trade_id_china", "Perdagangan barang Indonesia dengan Tiongkok"),
    ("description", "listing_ab_test", "SINTETIS: uji A/B rekaan"),
])
def test_load_gives_the_title_and_description_of_the_course_language(field, name, indonesian_start):
    from course import i18n

    missing = [n for n in data.names() if not data.resource(n).get("translations", {}).get("id", {}).get(field)]
    assert not missing, f"add translations.id.{field} to these datasets in datapackage.json: {missing}"
    try:
        i18n.set_language("id")
        assert data.load(name).attrs[field].startswith(indonesian_start)
        i18n.set_language("en")
        assert data.load(name).attrs[field] == data.resource(name)[field]
    finally:
        i18n.set_language(None)


# A figure in a description: digits with their separators ("1,000,000", "9.66", "0:00:21", "2018").
FIGURE = re.compile(r"\d+(?:[.,:]\d+)*")


def _figure_faults(english: str, indonesian: str) -> list[str]:
    """The figures of one description pair that do not match.

    Each English figure must be in the Indonesian, written the Indonesian way (1,000,000 -> 1.000.000;
    9.66 -> 9,66; a figure with a point may also stay as it is, since 11.11 and H.10 are names); the
    Indonesian may hold no figure the English lacks. So a figure changed in the English alone is caught.
    """
    swap = str.maketrans(",.", ".,")
    found = set(FIGURE.findall(indonesian))
    allowed = set()
    faults = []
    for figure in FIGURE.findall(english):
        forms = {figure.translate(swap)} if "," in figure else {figure, figure.translate(swap)}
        allowed |= forms
        if not forms & found:
            faults.append(f"{figure} is not in the Indonesian (as {' or '.join(sorted(forms))})")
    faults += [f"{figure} is not in the English" for figure in sorted(found - allowed)]
    return faults


def test_the_figure_check_catches_a_changed_or_added_figure():
    assert _figure_faults("1,000,000 units at 9.66 % on 11.11 2018", "1.000.000 unit, 9,66% pada 11.11 2018") == []
    assert _figure_faults("Rp 1,600/kg", "Rp 1,600/kg") == [  # 1,600 reads as 1.6 in Indonesian
        "1,600 is not in the Indonesian (as 1.600)", "1,600 is not in the English"]
    assert _figure_faults("27.13 against 27.17", "27,13 berbanding 27,71") == [
        "27.17 is not in the Indonesian (as 27,17 or 27.17)", "27,71 is not in the English"]


def test_every_dataset_has_an_indonesian_description_with_the_figures_of_the_english():
    undescribed = [n for n in data.names()
                   if not data.resource(n).get("translations", {}).get("id", {}).get("description", "").strip()]
    assert not undescribed, f"add translations.id.description to these datasets in datapackage.json: {undescribed}"
    drifted = {n: _figure_faults(data.resource(n)["description"], data.description(n, lang="id"))
               for n in data.names()}
    assert not {n: f for n, f in drifted.items() if f}, "update translations.id.description in datapackage.json"
    synthetic = [n for n in data.names() if data.resource(n)["synthetic"]]
    assert synthetic and all(data.description(n, lang="id").startswith("SINTETIS") for n in synthetic)


def test_a_dataset_without_an_indonesian_description_falls_back_to_its_english_one(broken_copy):
    package = json.loads((broken_copy / "datapackage.json").read_text(encoding="utf-8"))
    gmv = next(r for r in package["resources"] if r["name"] == "singles_day_gmv")
    del gmv["translations"]["id"]["description"]
    (broken_copy / "datapackage.json").write_text(json.dumps(package), encoding="utf-8")
    data._package.cache_clear()
    assert data.description("singles_day_gmv", lang="id") == gmv["description"]
    assert data.title("singles_day_gmv", lang="id") == gmv["translations"]["id"]["title"]
