"""Which tests are slow: they start a kernel, a server, a browser or a build.

The root conftest marks them ``slow`` by where they live, so that ``make test-fast``
(``pytest tests/unit -m "not slow"``) runs the unit layer alone, and ``make test`` still runs everything.
"""

from __future__ import annotations

# Relative to the checkout: folders (ending in /), files, or single tests (file::name) of the unit layer that
# start a subprocess server or run `course` commands over the whole course.
SLOW_PLACES = (
    "solutions/",  # nbval runs every solution notebook in a kernel
    "tests/browser/", "tests/grading/", "tests/hub/", "tests/trainee/",
    "tests/test_grading_roundtrip.py", "tests/test_lab.py", "tests/test_student_edition.py", "tests/test_wheel.py",
    "tests/unit/test_cli.py",  # `course exercises` / `course verify` over copies of the whole course
    "tests/unit/test_widgets.py::test_course_apps_command_is_wired_and_starts_voila_on_localhost",
)


def is_slow(nodeid: str, places: tuple[str, ...] = SLOW_PLACES) -> bool:
    """True when the test ``nodeid`` (relative to the checkout) lives in one of ``places``."""
    for place in places:
        if place.endswith("/"):
            if nodeid.startswith(place):
                return True
        elif nodeid == place or nodeid.startswith((place + "::", place + "[")):
            return True
    return False
