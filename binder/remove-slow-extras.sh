#!/bin/sh
# Remove optional packages that slow down every kernel start, from the Python environment of PYTHON.
#
#   sh binder/remove-slow-extras.sh [PYTHON]      (default: python3)
#
# rfc3987-syntax comes in through jsonschema's format extras (jupyter-events asks for them); importing it adds
# about 1.5 s to every process that imports nbformat, kernels and graders included, and jsonschema works without
# it (that one format is then not checked). The one place for this workaround: Makefile, binder/postBuild and
# deploy/tljh/install.sh call this script.
set -eu
python="${1:-python3}"
"$python" -m pip uninstall --yes --quiet rfc3987-syntax
