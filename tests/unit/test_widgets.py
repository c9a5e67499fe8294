"""The five calculator widgets: results follow the inputs, bad input is an inline message, two languages.

Each expected value is computed here with the calculator itself, then looked for in the widget's
result HTML; the picture is the inline SVG the form draws.
"""

import importlib
import math
import re
from dataclasses import replace
from datetime import date

import pytest

from course import formats, i18n
from course.calculators import country_readiness, landed_cost, peak_day, scorecard, supply
from course.calculators.validation import InputError
from course.widgets import country_readiness as country_widget
from course.widgets import export_scorecard, form, supply_readiness
from course.widgets import landed_cost as landed_widget
from course.widgets import peak_day as peak_widget
from course.widgets.form import CalculatorForm, Field

# the package exports the functions under the modules' names, so reach the modules by import path
landed_module = importlib.import_module("course.widgets.landed_cost")
peak_module = importlib.import_module("course.widgets.peak_day")

WIDGETS = [supply_readiness, landed_widget, export_scorecard, peak_widget, country_widget]


def visible(view: CalculatorForm) -> str:
    """Everything a trainee reads in the form: title, labels, units, messages, result."""
    parts = []

    def walk(widget):
        for name in ("value", "description"):
            value = getattr(widget, name, None)
            if isinstance(value, str):
                parts.append(value)
        for child in getattr(widget, "children", ()):
            walk(child)
    walk(view)
    return "\n".join(parts)


@pytest.mark.parametrize("make", WIDGETS, ids=lambda f: f.__name__)
@pytest.mark.parametrize("lang", ["en", "id"])
def test_every_widget_opens_with_a_result_a_picture_and_its_assumptions(make, lang):
    view = make(lang)
    assert view.last_result is not None and "<table>" in view.result.value
    assert view.picture.value.count("<svg") == 1
    assert i18n.catalog()[f"{view.prefix}.plot.title"][lang].split("{")[0][:20] in view.picture.value
    assert i18n.message("widget.assumptions", lang) in view.notes.value
    notes = [k for k in i18n.catalog() if k.startswith(f"{view.prefix}.assumption.")]
    assert notes and all(i18n.message(k, lang) in view.notes.value for k in notes)
    for field in view.fields:  # every label and unit from the catalog, in the asked language
        assert view.controls[field.name].description == i18n.message(f"{view.prefix}.{field.name}", lang)
        if field.unit:
            assert i18n.message(f"{view.prefix}.{field.name}.unit", lang) in visible(view)
    assert all(e.value == "" for e in view.errors.values())


def test_supply_result_follows_the_inputs_and_the_picture_shows_the_deadline():
    view = supply_readiness("en")
    view.set(daily_capacity_units=40_000, units_in_stock=100_000)
    expected = supply.compute(supply.SupplyInputs(daily_capacity_units=40_000, units_in_stock=100_000))
    assert f"reaches the warehouse only on {formats.date(expected.warehouse_arrival, True, 'en')}" in view.result.value
    assert f"{expected.shortfall_at_deadline_units:,} units" in view.result.value
    assert f"end of {formats.date(expected.deadline, True, 'en')}" in view.picture.value
    view.controls["transit_days"].value = "0"  # the way the browser changes it: text typed into the box
    expected = supply.compute(supply.SupplyInputs(daily_capacity_units=40_000, units_in_stock=100_000,
                                                  transit_days=0))
    assert formats.date(expected.warehouse_arrival, True, "en") in view.result.value


@pytest.mark.parametrize("lang, label, words", [
    ("en", "Production capacity", "0 is not accepted. Enter a whole number from 1 to 1,000,000,000."),
    ("id", "Kapasitas produksi", "0 tidak dapat diterima. Isikan bilangan bulat dari 1 sampai 1.000.000.000."),
])
def test_supply_invalid_value_is_an_inline_message_naming_the_field(lang, label, words):
    view = supply_readiness(lang)
    view.controls["daily_capacity_units"].value = "0"  # raises nothing: the form catches InputError
    assert view.errors["daily_capacity_units"].value.count(f"{label}: {words}") == 1
    assert view.result.value == "" and view.picture.value == "" and view.last_result is None
    assert all(e.value == "" for n, e in view.errors.items() if n != "daily_capacity_units")
    view.controls["daily_capacity_units"].value = "50000"
    assert view.errors["daily_capacity_units"].value == "" and view.last_result is not None


def test_supply_cleared_date_says_the_field_is_empty():
    view = supply_readiness("id")
    view.controls["production_start"].value = None
    assert "Produksi dimulai pada masih kosong" in view.errors["production_start"].value
    assert view.result.value == ""


def test_landed_cost_waterfall_parts_sum_to_the_calculators_numbers():
    view = landed_widget("en")
    values = {**landed_module.DEFAULTS, "ex_factory_cost_idr_per_unit": 25_000.0}
    view.set(ex_factory_cost_idr_per_unit=25_000.0)
    inputs = landed_cost.LandedCostInputs(**{**values, "retail_price_cny": None})
    expected = landed_cost.compute(inputs)
    assert f"IDR {expected.landed_cost_idr_per_unit:,.0f} per unit" in view.result.value
    assert f"CNY {expected.retail_price_cny_for_target_margin:,.2f} per unit" in view.result.value
    assert "11.2% (rules in force from 1 May 2018 to 31 Dec 2018)" in view.result.value
    priced = view.last_result
    landed = priced.ex_factory_cny + priced.freight_cny + priced.other_cny + priced.insurance_cny
    assert landed == pytest.approx(expected.landed_cost_cny_per_unit, rel=1e-12)
    assert sum(v for _, v in landed_module._parts(priced)) == pytest.approx(expected.price_used_cny, rel=1e-12)
    assert "Commission and payment fee" in view.picture.value and "CNY per unit" in view.picture.value


def test_landed_cost_percent_fields_are_shown_as_percent_and_passed_as_fractions():
    view = landed_widget("en")
    assert view.controls["insurance_rate"].value == "0.3"
    assert view.controls["target_margin"].value == "20"
    view.controls["target_margin"].value = "30"
    assert view.values()["target_margin"] == pytest.approx(0.30)
    expected = landed_cost.compute(landed_cost.LandedCostInputs(
        **{**landed_module.DEFAULTS, "target_margin": 0.30, "retail_price_cny": None}))
    assert f"CNY {expected.retail_price_cny_for_target_margin:,.2f}" in view.result.value


@pytest.mark.parametrize("lang, text", [
    ("en", "Target margin: 90 is not accepted. Enter a value from 0 to {high}."),
    ("id", "Target margin: 90 tidak dapat diterima. Isikan nilai dari 0 sampai {high}."),
])
def test_landed_cost_unreachable_margin_is_shown_in_percent_next_to_its_field(lang, text):
    view = landed_widget(lang)
    view.set(target_margin=0.90)
    exact = 100 * (1 / (1 + landed_cost.tax_rate(date(2018, 11, 11))) - 0.05 - 0.01)  # 83.928058...
    high = math.floor(exact * 100) / 100  # shown rounded down, so the figure shown is accepted: 83.92
    assert text.format(high=str(high) if lang == "en" else str(high).replace(".", ",")) \
        in view.errors["target_margin"].value
    assert view.result.value == "" and view.picture.value == ""


def test_landed_cost_own_price_gives_the_margin_and_a_price_over_the_limit_warns():
    view = landed_widget("id")
    view.set(retail_price_cny=12.0)
    expected = landed_cost.compute(landed_cost.LandedCostInputs(**{**landed_module.DEFAULTS, "retail_price_cny": 12.0}))
    assert f"{expected.margin_at_price:.1%}".replace(".", ",") in view.result.value
    view.set(retail_price_cny=3000.0)
    assert "melebihi batas per pesanan" in view.result.value
    view.set(retail_price_cny=-1.0)
    assert "Harga jual Anda: -1 tidak dapat diterima" in view.errors["retail_price_cny"].value


def test_scorecard_ticks_raise_the_score_and_the_radar_leaves_out_what_is_not_required():
    view = export_scorecard("en")
    view.controls["platform_registered"].value = True
    inputs = replace(scorecard.ScorecardInputs(**{f.name: view.values()[f.name] for f in view.fields}))
    expected = scorecard.compute(inputs)
    assert f"Export readiness: {expected.score:.1f} of 100" in view.result.value
    assert ">GACC<" not in view.picture.value  # not required in 2018
    view.set(as_of_year=2022)
    assert ">GACC<" in view.picture.value and "Facility registration in China (GACC)" in view.result.value
    view.set(working_capital_target_months=0)
    assert "Working capital target: 0 is not accepted" in view.errors["working_capital_target_months"].value
    assert view.result.value == ""


def test_scorecard_in_indonesian():
    view = export_scorecard("id")
    view.set(units_in_stock=1_000_000)
    inputs = scorecard.ScorecardInputs(**view.values())
    assert f"Kesiapan ekspor: {scorecard.compute(inputs).score:.1f} dari 100".replace(".", ",", 1) in view.result.value
    view.set(minimum_order_units=0)
    assert "Pesanan minimum platform: 0 tidak dapat diterima" in view.errors["minimum_order_units"].value


def test_peak_day_backlog_and_stockout_come_from_the_calculator():
    view = peak_widget("en")
    view.set(stock_units=20_000)
    inputs = peak_module.build(**view.values())
    expected = peak_day.compute(inputs)
    assert expected.stockout_minute is not None
    assert f"{expected.max_backlog_units:,.0f} units at {peak_module.clock(expected.max_backlog_minute)}" \
        in view.result.value
    assert f"<b>{peak_module.clock(expected.stockout_minute)}</b>" in view.result.value
    assert f"{expected.orders_lost_to_stockout:,.0f} orders" in view.result.value
    assert "Stock runs out" in view.picture.value
    shares, synthetic = peak_module.curve()
    assert len(shares) == 1440 and sum(shares) == pytest.approx(1)
    assert sum(inputs.orders_per_minute) == pytest.approx(24_000)
    note = "peak_day.curve_synthetic" if synthetic else "peak_day.curve_illustrative"
    assert i18n.message(note, "en") in view.result.value  # the curve is said to be made up


def test_order_shape_is_a_midnight_spike_with_an_evening_bump():
    shape = [peak_module.order_shape(m) for m in range(1440)]
    assert shape[0] == max(shape) and min(shape) == min(shape[120:420]) < 0.4  # the night lull
    assert shape[1260] > shape[1000]
    first_two_hours = sum(shape[:120]) / sum(shape)
    assert 0.3 < first_two_hours < 0.5


@pytest.mark.parametrize("lang, field, value, text", [
    ("en", "total_orders", 0, "Orders in the day: 0 is not accepted. Enter a whole number from 1 to 100,000,000."),
    ("id", "workers_day", -2.0, "Pekerja, pukul 08.00 sampai 16.00: -2 tidak dapat diterima."),
    ("en", "workers_day", 2.5, "2.5 is not accepted. Enter a whole number from 0 to 100,000."),
    ("id", "workers_night", 2.5, "2,5 tidak dapat diterima. Isikan bilangan bulat dari 0 sampai 100.000."),
    ("en", "units_per_order", 0.0, "Units per order: 0 is not accepted. Enter a value from 0.01 to 1,000."),
])
def test_peak_day_invalid_inputs_are_inline(lang, field, value, text):
    view = peak_widget(lang)
    view.set(**{field: value})
    assert text in view.errors[field].value
    assert view.result.value == "" and view.picture.value == ""


def test_country_index_and_what_if_come_from_the_calculator():
    view = country_widget("en")
    view.set(internet_users_pct=70.0, what_if_component="postal_reliability_score", what_if_value=80.0)
    components = country_readiness.Components(50.0, 70.0, 55.0, 45.0)
    change = country_readiness.what_if(components, postal_reliability_score=80.0)
    assert f"B2C e-commerce index: {country_readiness.index(components):.1f} of 100" in view.result.value
    assert f"from {change.before:.1f} to {change.after:.1f} ({change.change:+.1f} points)" in view.result.value
    assert "illustrative values, not a real country" in visible(view)
    assert "Now" in view.picture.value and "What-if" in view.picture.value


@pytest.mark.parametrize("lang, field, text", [
    ("en", "secure_servers_score", "Secure internet servers: 120 is not accepted. Enter a value from 0 to 100."),
    ("id", "what_if_value", "...bernilai: 120 tidak dapat diterima. Isikan nilai dari 0 sampai 100."),
])
def test_country_out_of_range_component_or_what_if_is_inline(lang, field, text):
    view = country_widget(lang)
    view.set(**{field: 120.0})
    assert text in view.errors[field].value
    assert view.result.value == ""


def test_language_follows_set_language_when_not_given():
    i18n.set_language("id")
    try:
        view = supply_readiness()
    finally:
        i18n.set_language(None)
    assert view.lang == "id" and "Apakah stoknya ada?" in visible(view)
    assert "Apakah stoknya ada?" not in visible(supply_readiness())


def test_course_lang_environment_is_followed(monkeypatch):
    monkeypatch.setenv("COURSE_LANG", "id")
    assert "Kurva pesanan" in peak_widget().result.value


# --- the generic form, on a small calculator of its own --------------------------------------------------

def _share(part: float = 5.0, rate: float = 0.25, label: str = "x") -> tuple[float, float]:
    """A toy calculator: part x rate, with the library's validation."""
    from course.calculators.validation import number
    return number("part", part, 0, 100), number("rate", rate, 0, 0.5)


@pytest.fixture
def toy(monkeypatch):
    texts = {"toy.title": "Toy", "toy.intro": "A toy.", "toy.part": "Part", "toy.part.unit": "units",
             "toy.rate": "Rate", "toy.rate.unit": "%", "toy.label": "Label"}
    catalog = {**i18n.catalog(), **{k: {"en": v, "id": v + " (id)"} for k, v in texts.items()}}
    monkeypatch.setattr(i18n, "catalog", lambda: catalog)
    fields = [Field("part", "float"), Field("rate", "percent"), Field("label", "choice",
              choices=[("widget.yes", "x"), ("widget.no", "y")], unit=False)]
    return lambda lang="en": CalculatorForm(
        "toy", lambda **v: _share(**v), fields, lambda pair: pair[0] * pair[1],
        lambda r, t: f"<b>{t('widget.results')}: {r:.2f}</b>", None, lang=lang,
        defaults={"part": 5.0, "rate": 0.25, "label": "x"})


def test_form_percent_field_round_trip_and_range_in_percent(toy):
    view = toy()
    assert view.controls["rate"].value == "25" and "1.25" in view.result.value
    view.set(rate=0.4)
    assert view.controls["rate"].value == "40" and view.values()["rate"] == pytest.approx(0.4)
    assert "2.00" in view.result.value and view.picture.value == ""
    view.controls["rate"].value = "60"
    assert "Rate: 60 is not accepted. Enter a value from 0 to 50." in view.errors["rate"].value
    assert view.result.value == "" and view.last_result is None
    view.controls["rate"].value = "10"
    assert view.errors["rate"].value == "" and "0.50" in view.result.value


def test_form_errors_in_indonesian_and_unknown_fields(toy):
    view = toy("id")
    view.set(part=-1.0)
    assert "Part (id): -1 tidak dapat diterima. Isikan nilai dari 0 sampai 100." in view.errors["part"].value
    with pytest.raises(KeyError, match="no field nope"):
        view.set(nope=1)


def test_form_error_for_an_input_without_a_field_is_shown_above_the_result(toy):
    view = toy()

    def broken(pair):
        raise InputError("hidden_thing", 3, "a number from 0 to 1", 0, 1)
    view.compute_fn = broken
    view.set(part=6.0)
    assert "hidden_thing: 3 is not accepted" in view.general_error.value
    assert view.result.value == ""


def test_numbers_are_written_the_indonesian_way_in_indonesian():
    assert form.number_text(1_234_567, "id") == "1.234.567" and form.number_text(0.0936, "id") == "0,0936"
    assert form.number_text(1_234.5, "en") == "1,234.5" and form.number_text(2000, "id", grouping=False) == "2000"
    assert form.number_text(0.000125, "id") == "0,000125"  # as many decimals as the value has, up to 6
    assert form.number_text(float("inf"), "id") == "inf" and form.number_text(float("nan"), "en") == "nan"  # no crash


@pytest.mark.parametrize("lang, expected", [
    ("id", ["11,2%", "1.234.568", "1.234,50", "+5,0", "-1,5", "2018", "2.000", "12 Okt 2018", "ya"]),
    ("en", ["11.2%", "1,234,568", "1,234.50", "+5.0", "-1.5", "2018", "2,000", "12 Oct 2018", "yes"]),
])
def test_catalog_specs_are_written_through_course_formats(lang, expected):
    t = form.Texts(lang)
    shown = lambda value, spec: format(form.Shown(value, lang), spec)  # noqa: E731
    assert [shown(0.112, ".1%"), shown(1_234_567.6, ",.0f"), shown(1_234.5, ",.2f"), shown(5.0, "+.1f"),
            shown(-1.5, "+.1f"), shown(2018, ""), shown(2000, ","), str(form.Shown(date(2018, 10, 12), lang)),
            t("widget.yes")] == expected
    import numpy as np  # a calculator's pandas figures are numpy numbers: written the same way

    assert shown(np.int64(1_234_568), ",") == expected[1] and shown(np.float64(0.112), ".1%") == expected[0]
    with pytest.raises(ValueError, match="format spec 'x'"):
        format(form.Shown(1.0, lang), "x")


@pytest.mark.parametrize("lang, clock", [("id", "03.03"), ("en", "03:03")])
def test_peak_day_clock_follows_the_language(lang, clock):
    assert peak_module.clock(183, lang) == clock and peak_module.clock(1440, lang) == "24" + clock[2] + "00"
    view = peak_widget(lang)
    r = view.last_result.result
    assert peak_module.clock(r.max_backlog_minute, lang) in view.result.value
    assert re.search(r"\b\d{2}[.:]\d{2}\b", view.result.value)
    other = {"id": ":", "en": "."}[lang]  # no clock in the other language's way
    assert not re.search(rf"\b\d{{2}}{re.escape(other)}\d{{2}}\b", view.result.value.replace("11.11", ""))


@pytest.mark.parametrize("lang, text", [("id", "bilangan bulat dari 2000 sampai 2100"),
                                        ("en", "a whole number from 2000 to 2100")])
def test_a_year_bound_has_no_thousands_separator(lang, text):
    view = export_scorecard(lang)
    view.set(as_of_year=1999)
    assert text in view.errors["as_of_year"].value and "2.000" not in view.errors["as_of_year"].value


@pytest.mark.parametrize("lang, shown", [("id", ["1,5", "24.000", "unit pada pukul", "12 Okt 2018"]),
                                         ("en", ["1.5", "24,000", "units at", "12 Oct 2018"])])
def test_inputs_and_results_agree_in_format_within_a_language(lang, shown):
    peak = peak_widget(lang)
    values = {label: value for label, value, _ in peak.input_rows()}
    assert values[i18n.message("peak_day.units_per_order", lang)] == shown[0]
    assert values[i18n.message("peak_day.total_orders", lang)] == shown[1]
    backlog = formats.number(peak.last_result.result.max_backlog_units, 0, lang)
    assert f"{backlog} {shown[2]}" in peak.result.value and len(backlog) > 4  # grouped: 16,257 / 16.257
    supply_view = supply_readiness(lang)
    assert shown[3] in supply_view.result.value
    assert not re.search(r"2018-\d{2}-\d{2}", supply_view.result.value + supply_view.picture.value)  # no ISO dates


def test_importing_the_widgets_does_not_import_matplotlib():
    import subprocess
    import sys
    code = "import sys, course.widgets; print('matplotlib' in sys.modules)"
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "False"


# --- the stand-alone pages (`course apps`) ---------------------------------------------------------------

def test_course_apps_command_is_wired_and_starts_voila_on_localhost():
    from course import apps_cli, cli

    args = cli.parser().parse_args(["apps", "--port", "9000", "--no-browser", "--lang", "id"])
    assert args.run is apps_cli._apps and args.port == 9000 and args.no_browser and args.lang == "id"
    command = apps_cli.voila_command(9000, "tok")
    assert command[1:4] == ["-m", "voila", str(apps_cli.APPS_DIR)]
    assert {"--port=9000", "--Voila.ip=127.0.0.1", "--Voila.token=tok", "--no-browser"} <= set(command)
    assert apps_cli.page_url(9000, "tok", "supply") == "http://127.0.0.1:9000/voila/render/supply.ipynb?token=tok"


def test_a_widget_opens_on_start_values_with_one_computation():
    view = supply_readiness("en", units_in_stock=1_000_000, daily_capacity_units=5_000)
    assert view.values()["units_in_stock"] == 1_000_000 and view.values()["daily_capacity_units"] == 5_000
    expected = supply.compute(supply.SupplyInputs(units_in_stock=1_000_000, daily_capacity_units=5_000))
    assert view.last_result[1] == expected  # the supply form keeps (inputs, result)
    with pytest.raises(KeyError, match="no input"):
        supply_readiness("en", stock=1)


@pytest.mark.parametrize("lang, group, other", [("id", ".", ","), ("en", ",", ".")])
def test_chart_ticks_are_written_the_languages_way(lang, group, other):
    ticks = re.findall(r">([\d.,]+)</text>", peak_widget(lang).picture.value)  # svg text stays text
    grouped = [tick for tick in ticks if len(tick) > 3]
    assert grouped and all(re.fullmatch(rf"\d{{1,3}}(?:{re.escape(group)}\d{{3}})+", tick) for tick in grouped)
    assert not any(other in tick for tick in ticks)


@pytest.mark.parametrize("lang, typed, shown", [
    ("en", "40,000", "40,000"), ("en", "40000", "40,000"), ("id", "40.000", "40.000"), ("id", "40000", "40.000"),
])
def test_number_boxes_read_and_write_numbers_the_forms_language_way(lang, typed, shown):
    view = supply_readiness(lang)
    view.controls["daily_capacity_units"].value = typed
    assert view.values()["daily_capacity_units"] == 40_000 and view.last_result is not None
    view.set(daily_capacity_units=40_000)
    assert view.controls["daily_capacity_units"].value == shown
    landed = landed_widget(lang)
    landed.controls["target_margin"].value = "12,5 %" if lang == "id" else "12.5%"  # a percent box may keep its %
    assert landed.values()["target_margin"] == pytest.approx(0.125)
    shown_rows = {label: value for label, value, _ in landed.input_rows()}
    assert shown_rows["Target margin"] == ("12,5" if lang == "id" else "12.5")  # as the download writes it


@pytest.mark.parametrize("lang, typed, text", [
    ("en", "1,5", "Production capacity: 1,5 is not a number. Write numbers like 1,234.5, with a point before the "
                  "decimals."),
    ("id", "1.5", "Kapasitas produksi: 1.5 bukan angka. Tuliskan angka seperti 1.234,5, dengan koma sebelum desimal."),
    ("id", "seribu", "Kapasitas produksi: seribu bukan angka."),
])
def test_a_number_written_another_way_is_a_message_beside_its_box_not_a_guess(lang, typed, text):
    view = supply_readiness(lang)
    view.controls["daily_capacity_units"].value = typed
    assert text in view.errors["daily_capacity_units"].value
    assert view.result.value == "" and view.last_result is None
    assert all(e.value == "" for n, e in view.errors.items() if n != "daily_capacity_units")
    view.controls["daily_capacity_units"].value = ""
    assert "empty" in view.errors["daily_capacity_units"].value or "kosong" in view.errors["daily_capacity_units"].value
