"""The load check in small: four trainees log in and run a module's notebook at the same time, with no failure."""

from __future__ import annotations

import pytest

from tests.support.hub import load

pytestmark = [pytest.mark.external("jupyterhub"), pytest.mark.slow]


def test_four_trainees_at_once_run_a_module_without_failure(hub_can_run):
    figures = load.run(trainees=4)
    print("\n" + load.report(figures))
    assert figures["failures"] == 0, figures["errors"]
    first_kernel = figures["time_to_first_kernel_s"]
    assert 0 < first_kernel["median"] <= first_kernel["max"] < 180
    # every trainee's server and kernel were seen, and together they weigh more than one of them
    assert 50 < figures["peak_per_trainee_rss_mb"] < figures["peak_total_rss_mb"]
