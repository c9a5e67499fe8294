"""Interactive front ends (ipywidgets 8) over the calculators; no business logic here.

Each function returns a ready widget; every text comes from the message catalog
in the language of ``lang`` (default: the course setting, see :mod:`course.i18n`).
"""

from course.widgets.gmv import gmv_in_rupiah

__all__ = ["gmv_in_rupiah"]
