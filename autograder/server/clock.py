"""The server's times as people read them: in the course's time zone (``ServerSettings.time_zone``:
``--time-zone``, else AUTOGRADER_TIME_ZONE, else Asia/Seoul, i.e. KST).

The database keeps UTC (models.UTCDateTime); the API gives ISO 8601 with the zone's offset
(``2025-03-04T19:05:12+09:00``, still machine-readable) and, for people, text such as
``2025-03-04 19:05:12 KST`` (what the pages and the CSV show).
"""
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError


def time_zone(name):
    """The ZoneInfo of an IANA name ("Asia/Seoul", "UTC"); ValueError with one line for an unknown one."""
    try:
        return ZoneInfo(name)
    except (ZoneInfoNotFoundError, ValueError):
        raise ValueError(f"모르는 시간대입니다: {name!r} (unknown time zone; an IANA name such as Asia/Seoul or UTC)") \
            from None


def iso(value, zone):
    """A timezone-aware datetime as ISO 8601 in ``zone``, to the second; None stays None."""
    return value.astimezone(zone).isoformat(timespec="seconds") if value else None


def text(value, zone):
    """A timezone-aware datetime as people read it in ``zone``: "2025-03-04 19:05:12 KST"."""
    return value.astimezone(zone).strftime("%Y-%m-%d %H:%M:%S %Z") if value else None
