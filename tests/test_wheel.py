"""The wheel ships the package and its datasets, and course.data works from it outside the checkout."""

import json
import os
import subprocess
import sys
import sysconfig
import zipfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def test_wheel_installs_and_loads_data_in_a_fresh_environment(tmp_path):
    dist = tmp_path / "dist"
    subprocess.run([sys.executable, "-m", "build", "--wheel", "--no-isolation", "--outdir", str(dist), str(ROOT)],
                   check=True, capture_output=True, timeout=300)
    (wheel,) = dist.glob("double_eleven_course-*.whl")
    names = zipfile.ZipFile(wheel).namelist()
    csvs = {p.name for p in (ROOT / "datasets").glob("*.csv")}
    assert "course/datasets/datapackage.json" in names
    assert {f"course/datasets/{name}" for name in csvs} <= set(names)
    assert not [n for n in names if n.startswith(("solutions/", "exercises/", "tests/"))]
    # every file of the package the checkout holds (templates, page configs, ...) travels too
    package = {p.relative_to(ROOT).as_posix() for p in (ROOT / "course").rglob("*")
               if p.is_file() and "__pycache__" not in p.parts}
    assert "course/grading/templates/feedback/mathjax.html.j2" in package
    assert package <= set(names), sorted(package - set(names))

    venv = tmp_path / "venv"
    subprocess.run([sys.executable, "-m", "venv", "--without-pip", str(venv)], check=True, timeout=120)
    python = venv / "bin" / "python"
    subprocess.run([sys.executable, "-m", "pip", "--python", str(python), "install", "--quiet", "--no-deps",
                    "--no-index", str(wheel)], check=True, capture_output=True, timeout=300)
    # No network in tests: the dependencies (pandas...) come from this environment. A path line in a
    # .pth file adds that folder but does not run its own .pth files, so the editable checkout stays out.
    site = subprocess.run([str(python), "-c", "import sysconfig; print(sysconfig.get_paths()['purelib'])"],
                          check=True, capture_output=True, text=True).stdout.strip()
    Path(site, "borrowed_dependencies.pth").write_text(sysconfig.get_paths()["purelib"] + "\n")

    probe = ("import json, course, course.data as d; df = d.load('singles_day_gmv'); "
             "print(json.dumps({'file': course.__file__, 'dir': str(d.data_dir()), 'rows': len(df), "
             "'gmv_2018': float(df.loc[df.year == 2018, 'gmv_rmb_bn'].item()), 'names': d.names()}))")
    env = {k: v for k, v in os.environ.items() if not k.startswith(("PYTHON", "COURSE_", "VIRTUAL_ENV"))}
    out = subprocess.run([str(python), "-c", probe], cwd=tmp_path, env=env, check=True, capture_output=True,
                         text=True, timeout=120)
    found = json.loads(out.stdout)
    assert found["file"].startswith(str(venv)), found["file"]
    assert found["dir"].startswith(str(venv)), found["dir"]
    assert found["rows"] == 13 and found["gmv_2018"] == 213.5
    assert len(found["names"]) == len(csvs)
