# The two commands of the course (see README.md):
#   make lab    set up .venv, install the course, open JupyterLab on my-work/, the trainee's own copy of exercises/
#               (COURSE_LANG=id make lab: the Indonesian edition, my-work-id/ from exercises-id/, JupyterLab in Indonesian)
#   make test   set up .venv, install the course and its test tools, run the whole test suite
# Needs only Python 3.11+, make and git; everything else comes from the package registry.
#
# For developers:
#   make test-fast  the unit layer only (tests/unit, not marked slow): no browser, hub, database or kernel
#   make lint       ruff on the code and the notebooks, mypy on course/ (what CI runs before the tests)
#   make lint-ruff  ruff alone (under a second; mypy needs about 30 s of CPU without its cache)
#   make lock       remake constraints.txt, the one tested set of every package (see the recipe below)
#
# Every install is pinned by constraints.txt (CI, binder/ and deploy/tljh use the same file) and ends with
# `pip check`.

PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
PIP    := $(BIN)/python -m pip --disable-pip-version-check --quiet
CONSTRAINTS := constraints.txt
EXTRAS := test,browser,hub,postgresql
# Optional packages that slow every kernel start, removed after each install (one place: this script).
TRIM   := sh binder/remove-slow-extras.sh

.PHONY: lab test test-fast lint lint-ruff lock exercises verify clean

$(BIN)/python:
	@$(PYTHON) -c 'import sys; sys.exit(0 if sys.version_info >= (3, 11) else "Python 3.11 or newer is needed: make PYTHON=python3.11 ...")'
	$(PYTHON) -m venv $(VENV)
	$(PIP) install --upgrade pip

# One stamp per install set, remade whenever pyproject.toml or the constraints change.
$(VENV)/.course: pyproject.toml $(CONSTRAINTS) | $(BIN)/python
	$(PIP) install -c $(CONSTRAINTS) -e .
	$(TRIM) $(BIN)/python
	$(BIN)/python -m pip check
	touch $@

# The unit layer's tools only (pytest, hypothesis, ...): enough for `make test-fast`.
$(VENV)/.unit: $(VENV)/.course
	$(PIP) install -c $(CONSTRAINTS) -e ".[test]"
	$(TRIM) $(BIN)/python
	$(BIN)/python -m pip check
	touch $@

# Everything the whole suite needs: browser (playwright), hub (jupyterhub, nbgitpuller, psutil), postgresql.
$(VENV)/.test: $(VENV)/.unit
	$(PIP) install -c $(CONSTRAINTS) -e ".[$(EXTRAS)]"
	$(TRIM) $(BIN)/python
	$(BIN)/python -m pip check
	touch $@

$(VENV)/.lint: $(VENV)/.unit
	$(PIP) install -c $(CONSTRAINTS) -e ".[lint]"
	touch $@

# The trainee's view: a working copy of exercises/ in my-work/ (git-ignored, never overwritten), no instructor menus.
lab: $(VENV)/.course
	$(BIN)/course lab

test: $(VENV)/.test
	$(BIN)/python -m pytest

test-fast: $(VENV)/.unit
	$(BIN)/python -m pytest tests/unit -m "not slow" -q -n auto

# ruff's rules and per-file ignores are in pyproject.toml ([tool.ruff]); so is mypy's configuration.
lint: lint-ruff
	$(BIN)/mypy

lint-ruff: $(VENV)/.lint
	$(BIN)/ruff check .

# constraints.txt: a fresh venv gets the course with every extra at the newest versions pyproject.toml allows,
# then `pip freeze` of it (minus the course itself) is the tested set. Run the whole suite (`make test`) on the
# result before committing it.
lock:
	rm -rf $(VENV)-lock
	$(PYTHON) -m venv $(VENV)-lock
	$(VENV)-lock/bin/python -m pip install --quiet --upgrade pip
	$(VENV)-lock/bin/python -m pip install --quiet ".[$(EXTRAS),lint]"
	$(VENV)-lock/bin/python -m pip check
	{ echo "# The tested set of every package the course and its tests install, for pip's -c (Makefile, binder/,"; \
	  echo "# deploy/tljh). Made by \`make lock\` on Python $$($(VENV)-lock/bin/python -c 'import platform; print(platform.python_version())'); do not edit by hand."; \
	  $(VENV)-lock/bin/python -m pip freeze --exclude double-eleven-course; } > $(CONSTRAINTS)
	rm -rf $(VENV)-lock

exercises: $(VENV)/.course
	$(BIN)/course exercises

verify: $(VENV)/.course
	$(BIN)/course verify

clean:
	rm -rf $(VENV) $(VENV)-lock build dist .pytest_cache gradebook.db
