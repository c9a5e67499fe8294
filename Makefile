# The two commands of the course (see README.md):
#   make lab    set up .venv, install the course, open JupyterLab on my-work/, the trainee's own copy of exercises/
#   make test   set up .venv, install the course and its test tools, run the whole test suite
# Needs only Python 3.11+, make and git; everything else comes from the package registry.

PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
PIP    := $(BIN)/python -m pip --disable-pip-version-check --quiet

.PHONY: lab test exercises verify clean

$(BIN)/python:
	@$(PYTHON) -c 'import sys; sys.exit(0 if sys.version_info >= (3, 11) else "Python 3.11 or newer is needed: make PYTHON=python3.11 ...")'
	$(PYTHON) -m venv $(VENV)
	$(PIP) install --upgrade pip

# One stamp per install set, remade whenever pyproject.toml changes.
$(VENV)/.course: pyproject.toml | $(BIN)/python
	$(PIP) install -e .
	@# rfc3987-syntax (pulled in through jsonschema) adds about 1.5 s to every process that
	@# imports nbformat, kernels and graders included; jsonschema works without it.
	$(PIP) uninstall --yes rfc3987-syntax || true
	touch $@

$(VENV)/.test: $(VENV)/.course
	$(PIP) install -e ".[test]"
	$(PIP) uninstall --yes rfc3987-syntax || true
	touch $@

# The trainee's view: a working copy of exercises/ in my-work/ (git-ignored, never overwritten), no instructor menus.
lab: $(VENV)/.course
	$(BIN)/course lab

test: $(VENV)/.test
	$(BIN)/python -m pytest

exercises: $(VENV)/.course
	$(BIN)/course exercises

verify: $(VENV)/.course
	$(BIN)/course verify

clean:
	rm -rf $(VENV) build dist .pytest_cache gradebook.db
