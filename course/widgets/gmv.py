"""m01's explorer: one festival's GMV in rupiah and as a share of Indonesia's 2018 budget."""

from __future__ import annotations

import html

import ipywidgets as w

from course import data, formats
from course.calculators.money import bn_to_tn, cross_rate, share
from course.i18n import language, message
from course.widgets.form import Field, NotANumber, number_box_text, number_text, read_number_box

RATE_RANGE = (1000.0, 4000.0)  # rupiah per yuan accepted by the custom field
RATE = Field("rate")  # the custom rate's box: a number box like the calculators' (course.widgets.form)


class GmvExplorer(w.VBox):
    """Year, exchange rate and budget line in; GMV in rupiah and its share of the budget out."""

    def __init__(self, lang: str | None = None) -> None:
        self.lang = language(lang)  # fixed when the widget is made, so texts never mix languages
        t = lambda key, **kw: message(key, self.lang, **kw)  # noqa: E731
        gmv = data.load("singles_day_gmv")
        self._gmv = dict(zip(gmv["year"], gmv["gmv_rmb_bn"], strict=True))
        self._window = dict(zip(gmv["year"], gmv["window_days"], strict=True))
        self._budgets = _budget_lines(t)
        self.year = w.Dropdown(options=sorted(self._gmv), value=2018, description=t("gmv.year"))
        self.rate_source = w.Dropdown(options=[*_rates(t, self.lang), (t("gmv.rate_custom"), None)],
                                      description=t("gmv.rate_source"), style={"description_width": "initial"})
        # a text box read the language's way ("2.151,9" in Indonesian), as the calculators' number boxes
        self.custom_rate = w.Text(value=number_box_text(RATE, 2151.9, self.lang), description=t("gmv.rate"),
                                  disabled=True, continuous_update=False, style={"description_width": "initial"})
        self.budget = w.Dropdown(options=[(label, key) for key, (label, _) in self._budgets.items()],
                                 description=t("gmv.budget"), style={"description_width": "initial"})
        self.result = w.HTML()
        self.error = w.HTML(style={"text_color": "#b00020"})
        for control in (self.year, self.rate_source, self.custom_rate, self.budget):
            control.observe(self._update, names="value")
        super().__init__([w.HTML(f"<b>{t('gmv.title')}</b>"), self.year, self.rate_source,
                          self.custom_rate, self.error, self.budget, self.result])
        self._update()

    def _update(self, _change: object = None) -> None:
        t = lambda key, **kw: message(key, self.lang, **kw)  # noqa: E731
        self.custom_rate.disabled = self.rate_source.value is not None
        rate = self.rate_source.value or self._typed_rate()
        if rate is None:
            self.error.value = t("widget.not_a_number", label=t("gmv.rate"),
                                 value=html.escape(self.custom_rate.value.strip()),
                                 example=formats.number(1234.5, 1, self.lang))
            self.result.value = ""
            return
        low, high = RATE_RANGE
        if not low <= rate <= high:
            self.error.value = t("gmv.invalid_rate", low=formats.number(low, 0, self.lang),
                                 high=formats.number(high, 0, self.lang), value=number_text(rate, self.lang))
            self.result.value = ""
            return
        self.error.value = ""
        year = self.year.value
        gmv_idr = bn_to_tn(self._gmv[year], rate)
        label, budget_idr = self._budgets[self.budget.value]
        lang = self.lang  # every figure through course.formats: "Rp 459,4 triliun", "20,7%" in Indonesian
        text = t("gmv.result", year=year, gmv_rmb=formats.money(self._gmv[year] * 1e9, "CNY", lang=lang),
                 rate=formats.number(rate, 1, lang), gmv_idr=formats.money(gmv_idr * 1e12, "IDR", lang=lang),
                 share=formats.percent(share(gmv_idr, budget_idr), 1, lang), budget=label,
                 budget_idr=formats.money(budget_idr * 1e12, "IDR", lang=lang))
        if self._window[year] > 1:
            text += "<br><i>" + t("gmv.window_note") + "</i>"
        self.result.value = text

    def _typed_rate(self) -> float | None:
        """The custom rate as typed, read the widget's language's way; None if it is empty or not a number."""
        try:
            return read_number_box(RATE, self.custom_rate.value, self.lang)
        except NotANumber:
            return None


def _rates(t, lang: str) -> list[tuple[str, float]]:
    """Rupiah per yuan choices from the 2018 annual averages in the exchange_rates dataset."""
    fx = data.load("exchange_rates")
    avg = fx[(fx["year"] == 2018) & (fx["kind"] == "annual average")]
    idr = avg.loc[avg["quote_currency"] == "IDR", "rate"].iloc[0]
    choices = []
    for _, row in avg[avg["quote_currency"] == "CNY"].iterrows():
        rate = round(cross_rate(idr, row["rate"]), 1)
        choices.append((t("gmv.rate_choice", rate=formats.number(rate, 1, lang), provider=row["provider"]), rate))
    return choices


def _budget_lines(t) -> dict[str, tuple[str, float]]:
    apbn = data.load("apbn_2018")
    value = {(r.item, r.status): r.value_idr_tn for r in apbn.itertuples()}
    return {
        "spending_target": (t("gmv.budget_spending_target"), value[("spending", "target")]),
        "spending_actual": (t("gmv.budget_spending_actual"),
                            round(value[("revenue", "actual")] + value[("deficit", "actual")], 1)),
        "revenue_target": (t("gmv.budget_revenue_target"), value[("revenue", "target")]),
    }


def gmv_in_rupiah(lang: str | None = None) -> GmvExplorer:
    """The m01 explorer: pick a year, a rate and a budget line; read GMV in rupiah and its share."""
    return GmvExplorer(lang)
