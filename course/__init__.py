"""Double Eleven: the course toolkit.

Notebooks read data with :func:`course.data.load`, check answers with
:mod:`course.checks`, and explore with the calculators in :mod:`course.calculators`
through the widgets in :mod:`course.widgets`. Submodules are imported on demand,
so ``import course`` stays fast.
"""

__version__ = "0.1.0"
