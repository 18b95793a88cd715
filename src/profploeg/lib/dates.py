import datetime
from zoneinfo import ZoneInfo

BRUSSELS = ZoneInfo("Europe/Brussels")


def end_of_day(day: datetime.date) -> datetime.datetime:
    """The last moment of a Belgian calendar day, as an aware datetime."""
    return datetime.datetime.combine(day, datetime.time.max, tzinfo=BRUSSELS)


def local_date(moment: datetime.datetime) -> datetime.date:
    return moment.astimezone(BRUSSELS).date()


def at_brussels(day: datetime.date, hour: int = 10, minute: int = 0) -> datetime.datetime:
    return datetime.datetime.combine(day, datetime.time(hour, minute), tzinfo=BRUSSELS)
