"""Module 6 slips (the peak day): filters, rows, ratios, capacity per minute and the calculator's plans."""

from slip_corpus import Slip

SLIPS = [
    Slip("m06-q1-first-hour", "the minute numbers added up instead of the orders", '''
orders_first_hour = orders.loc[orders["minute"].between(0, 59), "minute"].sum()
'''),
    Slip("m06-q1-first-hour", "the filter forgotten: the whole day's orders", '''
orders_first_hour = orders["orders"].sum()
'''),
    Slip("m06-q2-peak", "the clock time as text instead of the minute number", '''
peak_row = orders.loc[orders["orders"].idxmax()]
peak_minute = clock(peak_row["minute"])
peak_orders = peak_row["orders"]
'''),
    Slip("m06-q2-peak", "idxmax() (a row label) taken as the number of orders", '''
peak_minute = orders["orders"].idxmax()
peak_orders = orders["orders"].idxmax()
'''),
    Slip("m06-q3-peak-to-average", "not rounded to 1 decimal", '''
peak_to_average = peak_orders / (orders["orders"].sum() / 1440)
'''),
    Slip("m06-q3-peak-to-average", "the ratio turned upside down (average / peak)", '''
peak_to_average = round((orders["orders"].sum() / 1440) / peak_orders, 1)
'''),
    Slip("m06-q4-capacity", "per hour: the division by 60 minutes forgotten", '''
def capacity_units_per_minute(workers, units_per_worker_hour):
    return workers * units_per_worker_hour
'''),
    Slip("m06-q4-capacity", "floor division // drops the part of a unit", '''
def capacity_units_per_minute(workers, units_per_worker_hour):
    return workers * units_per_worker_hour // 60
'''),
    Slip("m06-q5-night-plan", "the worked example's even plan copied unchanged", '''
night = compute(PeakDayInputs(orders_per_minute=minute_orders, units_per_order=1.0,
                              picks_per_worker_hour=60, shifts=even_plan, stock_units=1_000_000))
max_backlog_units = round(night.max_backlog_units)
clear_minute = night.backlog_clear_minute
'''),
    Slip("m06-q5-night-plan", "the clearing time as clock text", '''
night_plan = ((0, 480, 40), (480, 960, 20), (960, 1440, 20))
night = compute(PeakDayInputs(orders_per_minute=minute_orders, units_per_order=1.0,
                              picks_per_worker_hour=60, shifts=night_plan, stock_units=1_000_000))
max_backlog_units = round(night.max_backlog_units)
clear_minute = clock(night.backlog_clear_minute)
'''),
    Slip("m06-q6-workers", "the orders before 06:00 spread over the whole day's 1,440 minutes", '''
before_six = orders.loc[orders["minute"] < 360, "orders"].sum()
workers_needed = math.ceil(before_six / 1440)
'''),
    Slip("m06-q6-workers", "the first guess not rounded up to a whole worker", '''
before_six = orders.loc[orders["minute"] < 360, "orders"].sum()
workers_needed = before_six / 360
'''),
    Slip("m06-q7-stockout", "the clock time as text instead of the minute number", '''
short = compute(PeakDayInputs(orders_per_minute=minute_orders, shifts=even_plan, stock_units=18_000))
stockout_minute = clock(short.stockout_minute)
'''),
    Slip("m06-q7-stockout", "the orders lost stored instead of the minute", '''
short = compute(PeakDayInputs(orders_per_minute=minute_orders, shifts=even_plan, stock_units=18_000))
stockout_minute = round(short.orders_lost_to_stockout)
'''),
]
