"""Interactive front ends (ipywidgets 8) over the calculators; no business logic here.

Each function returns a ready widget; every text comes from the message catalog
in the language of ``lang`` (default: the course setting, see :mod:`course.i18n`).
matplotlib is imported only when a widget first draws its picture.
"""

from course.widgets.country import country_readiness
from course.widgets.gmv import gmv_in_rupiah
from course.widgets.landed_cost import landed_cost
from course.widgets.peak_day import peak_day
from course.widgets.scorecard import export_scorecard
from course.widgets.supply import supply_readiness

__all__ = ["country_readiness", "export_scorecard", "gmv_in_rupiah", "landed_cost", "peak_day",
           "supply_readiness"]
