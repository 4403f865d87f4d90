"""Dates for the callers of `qa` (CLI, chat app), who never import `index` themselves."""

from index.ingest.dates import (
    USER_FORMS,
    find_dates,
    latest_year,
    names_year,
    parse_user_date,
    period_start,
    weekday_date,
)

__all__ = ["USER_FORMS", "find_dates", "latest_year", "names_year", "parse_user_date", "period_start", "weekday_date"]
