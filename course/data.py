"""Course data: every notebook reads its tables through :func:`load`.

The tables and their schemas live in a Frictionless Data Package
(``datasets/datapackage.json``). :func:`load` returns a DataFrame whose columns have
the declared types and checks every row against the declared constraints, so a
damaged or edited file fails loudly instead of teaching a wrong number.
"""

from __future__ import annotations

import json
import os
import re
from functools import cache
from pathlib import Path
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    import pandas as pd

DATA_DIR_ENV = "COURSE_DATA_DIR"

# Frictionless field type -> pandas dtype after parsing
_DTYPES = {"string": "string", "integer": "Int64", "number": "float64", "boolean": "boolean",
           "date": "datetime64[ns]", "datetime": "datetime64[ns]", "year": "Int64"}
_TRUE, _FALSE = {"true", "True", "TRUE", "1", "yes"}, {"false", "False", "FALSE", "0", "no"}


class DataError(ValueError):
    """A dataset is unknown, missing, or does not match its schema."""


def data_dir() -> Path:
    """The folder holding datapackage.json: ``COURSE_DATA_DIR``, the installed copy, or the checkout's."""
    if os.environ.get(DATA_DIR_ENV):
        return Path(os.environ[DATA_DIR_ENV])
    installed = Path(__file__).with_name("datasets")  # inside a wheel
    if (installed / "datapackage.json").is_file():
        return installed
    return Path(__file__).resolve().parent.parent / "datasets"  # a checkout or editable install


@cache
def _package(folder: Path) -> dict[str, Any]:
    path = folder / "datapackage.json"
    if not path.is_file():
        raise DataError(f"no datapackage.json in {folder}; is the course installed completely?")
    return json.loads(path.read_text(encoding="utf-8"))


def package() -> dict[str, Any]:
    """The data package descriptor (a dict, as in datapackage.json)."""
    return _package(data_dir())


def names() -> list[str]:
    """Names of all datasets, in the order of datapackage.json."""
    return [r["name"] for r in package()["resources"]]


def resource(name: str) -> dict[str, Any]:
    """The descriptor of one dataset: title, description, sources (with year), licence, schema."""
    for res in package()["resources"]:
        if res["name"] == name:
            return res
    raise DataError(f"unknown dataset {name!r}; available: {', '.join(names())}")


def sources(name: str) -> list[str]:
    """The sources of a dataset as short citations, 'title (year), url'."""
    return [f"{s['title']} ({s.get('year', 'n.d.')}), {s['path']}" for s in resource(name).get("sources", [])]


def load(name: str) -> pd.DataFrame:
    """Read dataset ``name`` as a DataFrame with its declared types, after checking its schema.

    >>> gmv = load("singles_day_gmv")
    >>> int(gmv.loc[gmv["year"] == 2018, "gmv_rmb_bn"].iloc[0] * 10)
    2135
    """
    res = resource(name)
    path = data_dir() / res["path"]
    if not path.is_file():
        raise DataError(f"dataset {name!r}: file {path} is missing")
    stat = path.stat()
    # parsed once per file version; each caller gets its own copy to change as it likes
    frame = _parsed(name, json.dumps(res, sort_keys=True), str(path), stat.st_mtime_ns, stat.st_size).copy()
    frame.attrs["title"] = title(name)
    frame.attrs["description"] = description(name)
    return frame


def title(name: str, lang: str | None = None) -> str:
    """The dataset's title in the course language (``translations`` in its descriptor), else its English title.

    >>> title("trade_id_china", lang="id")
    'Perdagangan barang Indonesia dengan Tiongkok pada 2018: ekspor dan impor'
    """
    from course.i18n import language

    res = resource(name)
    translated = res.get("translations", {}).get(language(lang), {})
    return translated.get("title") or res.get("title", name)


def description(name: str, lang: str | None = None) -> str:
    """The dataset's description in the course language (``translations`` in its descriptor), else in English.

    A notebook that shows a description (``frame.attrs["description"]``) needs its translation there.
    """
    from course.i18n import language

    res = resource(name)
    translated = res.get("translations", {}).get(language(lang), {})
    return translated.get("description") or res.get("description", "")


@cache
def _parsed(name: str, descriptor: str, path: str, _mtime_ns: int, _size: int) -> pd.DataFrame:
    """The checked, typed table of one file version (the cache key includes its time stamp and size)."""
    import pandas as pd

    res = json.loads(descriptor)
    raw = pd.read_csv(path, dtype=str, keep_default_na=False, encoding=res.get("encoding", "utf-8"))
    fields = res["schema"]["fields"]
    expected = [f["name"] for f in fields]
    if list(raw.columns) != expected:
        raise DataError(f"dataset {name!r}: columns are {list(raw.columns)}, the schema expects {expected}")
    frame = pd.DataFrame({f["name"]: _column(name, f, raw[f["name"]]) for f in fields})
    _check_keys(name, res["schema"], frame)
    frame.attrs.update(title=res.get("title", name), synthetic=bool(res.get("synthetic", False)),
                       sources=sources(name))
    return frame


def _column(dataset: str, field: dict[str, Any], text: pd.Series) -> pd.Series:
    """Parse one column of strings into the field's type and check its constraints."""
    import pandas as pd

    kind, col = field.get("type", "string"), field["name"]
    cons = field.get("constraints", {})
    missing = text.str.strip() == ""
    where = lambda mask: f"row {int(mask.idxmax()) + 2} of {dataset}.csv"  # noqa: E731 (+2: header, 1-based)

    if cons.get("required") and missing.any():
        raise DataError(f"dataset {dataset!r}, column {col!r}: empty value in {where(missing)}, but it is required")
    if kind in ("integer", "year", "number"):
        values = pd.to_numeric(text.where(~missing), errors="coerce")
        bad = values.isna() & ~missing
        if kind != "number":
            bad |= values.notna() & (values != values.round())
        if bad.any():
            raise DataError(f"dataset {dataset!r}, column {col!r}: {text[bad].iloc[0]!r} in {where(bad)} "
                            f"is not of type {kind}")
        # a required whole-number column has no gaps, so plain int64 (friendlier for numpy and plots)
        values = values.astype("int64" if kind != "number" and cons.get("required") else _DTYPES[kind])
    elif kind == "boolean":
        bad = ~(text.isin(_TRUE | _FALSE) | missing)
        if bad.any():
            raise DataError(f"dataset {dataset!r}, column {col!r}: {text[bad].iloc[0]!r} in {where(bad)} "
                            "is not a boolean")
        values = text.map(lambda v: True if v in _TRUE else False if v in _FALSE else pd.NA).astype("boolean")
    elif kind in ("date", "datetime"):
        values = pd.to_datetime(text.where(~missing), errors="coerce")
        bad = values.isna() & ~missing
        if bad.any():
            raise DataError(f"dataset {dataset!r}, column {col!r}: {text[bad].iloc[0]!r} in {where(bad)} is not a date")
    else:
        values = text.where(~missing).astype("string")
    _check_constraints(dataset, col, cons, values, where)
    return values


def _check_constraints(dataset, col, cons, values, where) -> None:
    import pandas as pd

    present = values.notna()
    checks = []
    if "minimum" in cons:
        checks.append((present & (values < cons["minimum"]), f"is below the minimum {cons['minimum']}"))
    if "maximum" in cons:
        checks.append((present & (values > cons["maximum"]), f"is above the maximum {cons['maximum']}"))
    if "enum" in cons:
        checks.append((present & ~values.isin(cons["enum"]), f"is not one of {cons['enum']}"))
    if "pattern" in cons:
        rx = re.compile(cons["pattern"])
        matches = [v is None or v is pd.NA or bool(rx.fullmatch(str(v))) for v in values.astype(object)]
        checks.append((present & ~pd.Series(matches, index=values.index, dtype=bool),
                       f"does not match the pattern {cons['pattern']!r}"))
    if cons.get("unique"):
        checks.append((present & values.duplicated(keep="first"), "repeats a value that must be unique"))
    for bad, why in checks:
        if bad.any():
            raise DataError(f"dataset {dataset!r}, column {col!r}: {values[bad].iloc[0]!r} in {where(bad)} {why}")


def _check_keys(dataset: str, schema: dict[str, Any], frame: pd.DataFrame) -> None:
    key = schema.get("primaryKey")
    if not key:
        return
    key = [key] if isinstance(key, str) else key
    dup = frame.duplicated(subset=key, keep="first")
    if dup.any():
        raise DataError(f"dataset {dataset!r}: primary key {key} repeats in row {int(dup.idxmax()) + 2}")
