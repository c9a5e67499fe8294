"""Module 4 slips (supply readiness): dates, working days, rounding up, and the readiness arithmetic."""

from slip_corpus import Slip

SLIPS = [
    Slip("m04-q1-deadline", "one calendar month instead of the 30 days the question names", '''
deadline_1m = date(2018, 10, 11)
days_to_deadline_1m = (deadline_1m - invitation).days
'''),
    Slip("m04-q1-deadline", "days from the deadline to the event instead of from the invitation", '''
deadline_1m = event - timedelta(days=30)
days_to_deadline_1m = (event - deadline_1m).days
'''),
    Slip("m04-q1-deadline", "a pandas Timestamp instead of a date", '''
import pandas as pd
deadline_1m = pd.Timestamp(event) - pd.Timedelta(days=30)
days_to_deadline_1m = 36
'''),
    Slip("m04-q2-working-days", "calendar days, both ends included", '''
work_days = (date(2018, 10, 2) - date(2018, 9, 10)).days + 1
'''),
    Slip("m04-q2-working-days", "a Monday-to-Friday week instead of Monday to Saturday", '''
work_days = supply.working_days(date(2018, 9, 10), date(2018, 10, 2), 5)
'''),
    Slip("m04-q3-production-days", "forgot to round up", '''
def production_days(units_required, units_in_stock, daily_capacity):
    remaining = max(0, units_required - units_in_stock)
    return remaining / daily_capacity
'''),
    Slip("m04-q3-production-days", "no max(0, ...): negative days when the stock covers the order", '''
def production_days(units_required, units_in_stock, daily_capacity):
    return math.ceil((units_required - units_in_stock) / daily_capacity)
'''),
    Slip("m04-q3-production-days", "forgot return (prints the days instead)", '''
def production_days(units_required, units_in_stock, daily_capacity):
    remaining = max(0, units_required - units_in_stock)
    print(math.ceil(remaining / daily_capacity))
'''),
    Slip("m04-q4-complete-slack", "slack with the sign turned (arrival - deadline)", '''
complete_date = supply.nth_working_day(date(2018, 9, 10), production_days(1_000_000, 300_000, 40_000), 6)
slack_days = ((complete_date + timedelta(days=15)) - deadline).days
'''),
    Slip("m04-q4-complete-slack", "the 15 days at sea left out of the slack", '''
complete_date = supply.nth_working_day(date(2018, 9, 10), production_days(1_000_000, 300_000, 40_000), 6)
slack_days = (deadline - complete_date).days
'''),
    Slip("m04-q5-shortfall", "the 300,000 units in stock left out", '''
days_to_ship = supply.working_days(date(2018, 9, 10), latest_ship, 6)
shortfall_units = 1_000_000 - days_to_ship * 40_000
'''),
    Slip("m04-q5-shortfall", "working days counted up to the deadline instead of the latest ship date", '''
days_to_ship = supply.working_days(date(2018, 9, 10), deadline, 6)
shortfall_units = max(0, 1_000_000 - (300_000 + days_to_ship * 40_000))
'''),
    Slip("m04-q6-capacity-needed", "the stock left out: the whole million divided by the working days", '''
capacity_needed = math.ceil(1_000_000 / supply.working_days(date(2018, 9, 10), latest_ship, 6))
'''),
    Slip("m04-q6-capacity-needed", "calendar days instead of working days", '''
capacity_needed = math.ceil(700_000 / ((latest_ship - date(2018, 9, 10)).days + 1))
'''),
    Slip("m04-q7-ready-table", "the stock left out", '''
ready["ready_by_ship"] = ready["working_days_to_ship"] * ready["daily_capacity_units"]
'''),
    Slip("m04-q7-ready-table", "+ typed where x was meant", '''
ready["ready_by_ship"] = ready["units_in_stock"] + ready["working_days_to_ship"] + ready["daily_capacity_units"]
'''),
    Slip("m04-q8-pool", "True/False typed as text", '''
plan_20 = supply.pool(producers, 1_000_000, event_date=event, warehouse_days_before_event=30, transit_days=20)
pool_feasible = "False"
pool_shortfall_units = plan_20.shortfall_at_deadline_units
'''),
    Slip("m04-q8-pool", "feasibility read from the 15-day plan, the shortfall from the 20-day plan", '''
plan_20 = supply.pool(producers, 1_000_000, event_date=event, warehouse_days_before_event=30, transit_days=20)
pool_feasible = plan.feasible
pool_shortfall_units = plan_20.shortfall_at_deadline_units
'''),
    Slip("m04-q8-pool", "the slack in days stored as the units missing", '''
plan_20 = supply.pool(producers, 1_000_000, event_date=event, warehouse_days_before_event=30, transit_days=20)
pool_feasible = plan_20.feasible
pool_shortfall_units = plan_20.slack_days
'''),
]
