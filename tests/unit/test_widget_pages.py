"""The calculator pages (`course apps`): language from the address, the switch, downloads, the index, ports."""

from __future__ import annotations

import csv
import io
import json
import socket

import pytest
from PIL import Image

from course import apps_cli, cli, formats, i18n
from course.calculators import landed_cost, supply
from course.calculators.validation import InputError, Rule, check_values, normalise, real, whole
from course.widgets import landed_cost as landed_widget
from course.widgets import page as pages
from course.widgets import summary, supply_readiness


def test_each_page_is_a_clean_notebook_showing_its_calculator_page():
    assert pages.PAGES == apps_cli.PAGES
    for name in apps_cli.PAGES:
        notebook = json.loads((apps_cli.APPS_DIR / f"{name}.ipynb").read_text(encoding="utf-8"))
        assert [c["cell_type"] for c in notebook["cells"]] == ["code"]  # no heading in two languages
        cell = notebook["cells"][0]
        assert cell["outputs"] == [] and cell["execution_count"] is None
        expected = f'from course.widgets.page import calculator_page\n\ncalculator_page("{name}")'
        assert "".join(cell["source"]) == expected


@pytest.mark.parametrize("query, expected", [("lang=id", "id"), ("token=x&lang=en", "en"), ("lang=fr", None),
                                             ("", None), (None, None), ("lang=ID", "id")])
def test_language_from_the_address(query, expected):
    assert pages.language_from_query(query) == expected


def test_requested_language_reads_the_query_string_voila_gives_the_kernel(monkeypatch):
    monkeypatch.setenv("QUERY_STRING", "token=abc&lang=id")
    assert pages.requested_language() == "id"
    monkeypatch.setenv("QUERY_STRING", "token=abc")
    monkeypatch.setenv("COURSE_LANG", "id")
    assert pages.requested_language() == "id"
    monkeypatch.delenv("COURSE_LANG")
    assert pages.requested_language() == "en"


def test_a_kernel_started_for_its_request_reads_the_language_without_importing_voila(tmp_path):
    """Only a preheated kernel waits for its request (through voila.utils); one started for the request
    has the query string in its environment already, and importing voila's server would cost seconds."""
    import os
    import subprocess
    import sys

    code = ("import sys; from course.widgets.page import requested_language; "
            "print(requested_language(), 'voila' in sys.modules)")
    env = {k: v for k, v in os.environ.items() if k not in ("VOILA_PREHEAT", "COURSE_LANG")}
    env.update(QUERY_STRING="token=abc&lang=id", HOME=str(tmp_path), MPLCONFIGDIR=str(tmp_path))
    said = subprocess.run([sys.executable, "-c", code], env=env, capture_output=True, text=True, timeout=120)
    assert said.stdout.split() == ["id", "False"], said.stderr[-2000:]


def test_page_switch_rebuilds_in_the_other_language_and_keeps_the_inputs(monkeypatch):
    monkeypatch.setenv("QUERY_STRING", "lang=en")
    page = pages.calculator_page("supply")
    assert page.form.lang == "en" and "course-lang-en" in page._dom_classes
    assert "<h1>" + i18n.message("supply.title", "en") + "</h1>" in page.form.children[0].value
    page.form.set(daily_capacity_units=40_000)
    page.switch.value = "id"
    assert page.form.lang == "id"
    assert "course-lang-id" in page._dom_classes and "course-lang-en" not in page._dom_classes
    assert page.form.values()["daily_capacity_units"] == 40_000
    assert i18n.message("widget.all_calculators", "id") in page.nav.value and "?lang=id" in page.nav.value
    assert page.switch.description == "Bahasa"
    with pytest.raises(KeyError, match="no calculator page"):
        pages.CalculatorPage("nope")


def test_csv_holds_the_inputs_and_the_results_as_shown():
    view = landed_widget("id")
    view.set(ex_factory_cost_idr_per_unit=20_000.0)
    rows = list(csv.reader(io.StringIO(summary.csv_bytes(view).decode("utf-8-sig"))))
    assert rows[0] == ["Bagian", "Butir", "Nilai", "Satuan"]
    assert ["Isian", "Harga pokok di pabrik (ex-factory)", "20.000", "rupiah per unit"] in rows
    expected = landed_cost.compute(landed_cost.LandedCostInputs(
        ex_factory_cost_idr_per_unit=20_000.0, freight_idr_per_shipment=20e6, other_costs_idr_per_shipment=5e6))
    landed = f"{expected.landed_cost_idr_per_unit:,.0f}".replace(",", ".") + " rupiah per unit"
    assert ["Hasil", i18n.message("landed_cost.result.landed_idr", "id"), landed, ""] in rows
    for _, _, value, _ in (r for r in rows if r[0] == "Hasil"):
        assert value in view.result.value  # the same text as on the page
    # a bad input: no result rows, no CSV link
    view.set(insurance_rate=0.5)
    assert view.result_rows() == [] and view.downloads.csv.value == ""


def test_png_summary_is_one_a4_page_with_the_chart_and_the_figures():
    view = supply_readiness("en")
    view.set(daily_capacity_units=40_000)
    fig = summary.figure(view)
    texts = [t.get_text() for t in fig.texts]
    expected = supply.compute(supply.SupplyInputs(daily_capacity_units=40_000))
    assert any(formats.date(expected.warehouse_arrival, True, "en") in t for t in texts)
    assert any(t.startswith("Production capacity: 40,000") for t in texts)
    assert len(fig.axes) == 1 and fig.axes[0].images  # the chart, as a picture
    image = Image.open(io.BytesIO(summary.png_bytes(view)))
    assert image.size == (827, 1169)
    assert image.info["Title"] == i18n.message("supply.title", "en")
    arrival = formats.date(expected.warehouse_arrival, True, "en")
    assert f"Arrival at the warehouse: {arrival}" in image.info["Description"]


def test_downloads_follow_the_result_and_the_png_link_is_made_on_request():
    view = supply_readiness("en")
    first = view.downloads.csv.value
    assert first.startswith('<a download="supply-en.csv" href="data:text/csv') and view.downloads.png.value == ""
    view.downloads.make_png.click()
    assert view.downloads.png.value.startswith('<a download="supply-en.png" href="data:image/png;base64,')
    view.set(units_in_stock=100_000)
    assert view.downloads.csv.value != first and view.downloads.png.value == ""  # never an older result


def test_index_page_is_made_from_the_catalog_in_both_languages(tmp_path):
    root = apps_cli.prepare_template(tmp_path, "id")
    folder = root / "voila" / "templates" / "course"
    tree = (folder / "tree-lab.html").read_text(encoding="utf-8")
    assert tree == (folder / "tree.html").read_text(encoding="utf-8")
    for lang in ("en", "id"):
        assert i18n.message("widget.index_title", lang) in tree
        for name in apps_cli.PAGES:
            assert f"voila/render/{name}.ipynb?lang={lang}" in tree
            assert i18n.message(f"apps.question.{name}", lang).replace("'", "&#39;") in tree
    assert "else 'id'" in tree  # the default language when the address names none
    index = (folder / "index.html.j2").read_text(encoding="utf-8")
    assert "voila/templates/lab/index.html.j2" in index
    assert json.loads((folder / "conf.json").read_text())["base_template"] == "lab"


def test_the_template_and_the_index_fetch_nothing_from_the_internet(tmp_path):
    """Voila's lab template links Font Awesome on a CDN; ours removes exactly those links."""
    from pathlib import Path

    from jupyter_core.paths import jupyter_path

    folder = apps_cli.prepare_template(tmp_path) / "voila" / "templates" / "course"
    lab = next(Path(d) / "index.html.j2" for d in jupyter_path("voila", "templates", "lab")
               if (Path(d) / "index.html.j2").is_file())
    links = [line.strip() for line in lab.read_text().splitlines() if "https://" in line and "<link" in line]
    ours = (folder / "index.html.j2").read_text()
    assert links and all(link in ours for link in links)  # each CDN link of Voila's is replaced by ''
    assert "https://" not in (folder / "tree.html").read_text()


def test_voila_command_and_env():
    command = apps_cli.voila_command(9000, "tok")
    assert command[1:4] == ["-m", "voila", str(apps_cli.APPS_DIR)]
    assert {"--port=9000", "--Voila.ip=127.0.0.1", "--Voila.token=tok", "--no-browser", "--template=course",
            "--VoilaConfiguration.preheat_kernel=True"} <= set(command)
    assert "--VoilaConfiguration.preheat_kernel=True" not in apps_cli.voila_command(9000, "tok", preheat=False)
    env = apps_cli.voila_env(apps_cli.APPS_DIR, {"JUPYTER_PATH": "/x"}, lang="id")
    assert env["JUPYTER_PATH"].split(":") == [str(apps_cli.APPS_DIR), "/x"] and env["COURSE_LANG"] == "id"
    args = cli.parser().parse_args(["apps", "--port", "9000", "--no-browser", "--lang", "id", "--no-preheat"])
    assert args.run is apps_cli._apps and args.port == 9000 and args.no_preheat and args.lang == "id"


def test_a_busy_port_gives_the_next_free_one_or_a_clear_message(capsys, monkeypatch):
    with socket.socket() as busy:
        busy.bind(("127.0.0.1", 0))
        busy.listen()
        port = busy.getsockname()[1]
        assert not apps_cli.port_free(port)
        chosen = apps_cli.choose_port(port)
        assert chosen is not None and chosen > port and apps_cli.port_free(chosen)
        assert apps_cli.choose_port(port, tries=0) is None
        served = {}
        monkeypatch.setattr(apps_cli, "_serve", lambda p, token, env, args: served.setdefault("port", p) and 0)
        assert apps_cli._apps(cli.parser().parse_args(["apps", "--port", str(port), "--no-browser"])) == 0
        assert served["port"] > port
        assert f"port {port} is busy; using port {served['port']} instead" in capsys.readouterr().out
        monkeypatch.setattr(apps_cli, "choose_port", lambda wanted: None)
        assert apps_cli._apps(cli.parser().parse_args(["apps", "--port", str(port), "--no-browser"])) == 2
        err = capsys.readouterr().err
        assert f"port {port} and the 20 after it are busy" in err and "--port N" in err


def test_validation_rules_are_one_helper_for_every_calculator():
    from course.calculators import country_readiness, peak_day, scorecard

    for module in (supply, landed_cost, scorecard, peak_day, country_readiness):
        assert all(isinstance(rule, Rule) for rule in module.INPUT_RULES.values())
    assert whole(0, 10).check("n", 2.0) == 2 and isinstance(whole(0, 10).check("n", 2.0), int)
    with pytest.raises(InputError) as caught:
        whole(0, 10).check("workers", 2.5)
    assert caught.value.whole and "a whole number from 0 to 10" in str(caught.value)
    assert real(0, 1, optional=True).check("x", None) is None
    assert check_values({"a": 1, "b": 0.5}, {"a": whole(0, 1), "b": real(0, 1)}) == {"a": 1, "b": 0.5}

    class Record:
        a = 3.0
    record = Record()
    normalise(record, {"a": whole(0, 5)})
    assert record.a == 3 and isinstance(record.a, int)


@pytest.mark.parametrize("module_name", ["supply", "landed_cost", "scorecard", "peak_day", "country"])
def test_widget_fields_read_their_kind_from_the_rules(module_name):
    """A whole-number rule is an int field and the other way round; every number field has a rule."""
    import importlib

    module = importlib.import_module(f"course.widgets.{module_name}")
    form = {"supply": supply_readiness, "landed_cost": landed_widget}.get(module_name)
    view = (form or getattr(module, {"scorecard": "export_scorecard", "peak_day": "peak_day",
                                     "country": "country_readiness"}[module_name]))("en")
    for field in module.FIELDS:
        if field.kind in ("int", "float", "percent") and field.name != "retail_price_cny":
            rule = view.rules[field.name]
            assert (rule.kind == "whole") == (field.kind == "int"), field.name


def test_peak_day_workers_are_whole_people():
    import importlib

    peak = importlib.import_module("course.widgets.peak_day")
    view = peak.peak_day("en")
    view.set(workers_day=2.5)
    assert "Enter a whole number from 0 to 100,000." in view.errors["workers_day"].value
    assert view.last_result is None


def test_currency_names_are_consistent_in_each_language():
    texts = {k: v for k, v in i18n.catalog().items() if k.startswith("landed_cost.")}
    for key, by_lang in texts.items():
        assert not any(word in by_lang["en"] for word in ("rupiah", "yuan", "Rp ")), (key, by_lang["en"])
        assert not any(word in by_lang["id"] for word in ("IDR", "CNY", "Rp ")), (key, by_lang["id"])


def test_a_year_is_written_without_grouping_in_messages_and_downloads():
    from course.widgets import export_scorecard

    view = export_scorecard("id")
    assert [row[1] for row in view.input_rows() if row[0] == i18n.message("scorecard.as_of_year", "id")] == ["2018"]
    view.set(as_of_year=1999)
    assert "1999 tidak dapat diterima. Isikan bilangan bulat dari 2000 sampai 2100." in view.errors["as_of_year"].value
