"""The scorecard page shows China's facility-registration rule of the product and the year."""

from course.widgets import export_scorecard


def test_birds_nest_in_2018_needs_registration_and_says_which_rule():
    view = export_scorecard("en")
    assert ">GACC<" not in view.picture.value  # other food in 2018: no rule
    assert "no rule for this product on 11 Nov 2018" in view.result.value
    view.set(product_group="birds_nest")
    assert ">GACC<" in view.picture.value
    assert "required for bird's nest (registered exporters only, protocol of 24 April 2012)" in view.result.value
    view.set(product_group="other_food", as_of_year=2026)
    assert "required under GACC Decree 280 (from 1 June 2026)" in view.result.value


def test_the_rule_line_in_indonesian():
    view = export_scorecard("id", product_group="birds_nest", as_of_year=2022)
    assert "wajib menurut Peraturan GACC No. 248" in view.result.value
