import pandas as pd

from forumdash import charts, stats
from forumdash.db import read_session


def test_country_chart_spec(seeded_engine):
    with read_session(seeded_engine) as session:
        frame = stats.practices_by_country(session=session)
    spec = charts.practices_by_country_chart(frame).to_dict()
    assert spec["mark"]["type"] == "bar"
    assert spec["encoding"]["x"]["field"] == "practices"
    assert spec["encoding"]["href"]["field"] == "url"
    values = next(iter(spec["datasets"].values()))
    assert len(values) == 10
    assert {"url": "/country?code=XK"}.items() <= next(
        row for row in values if row["code"] == "XK"
    ).items()


def test_theme_chart_sorted_largest_first():
    frame = pd.DataFrame(
        {"slug": ["a", "b", "c"], "theme": ["A", "B", "C"], "practices": [1, 5, 3]}
    )
    spec = charts.practices_by_theme_chart(frame).to_dict()
    assert spec["encoding"]["y"]["sort"] == ["B", "C", "A"]


def test_timeline_spec_has_every_milestone(seeded_engine):
    with read_session(seeded_engine) as session:
        frame = stats.milestone_frame(session=session, country="XK")
    spec = charts.milestone_timeline_chart(frame).to_dict()
    assert len(spec["hconcat"]) == 2
    rows = next(iter(spec["datasets"].values()))
    assert len(rows) == len(frame)
    assert rows[0]["label"].startswith("2013-07-09")


def test_milestone_dates_shown_as_precisely_as_known():
    import datetime as dt

    from forumdash import vocab as v

    assert stats.format_milestone_date(dt.date(2014, 6, 1), v.DatePrecision.month) == "June 2014"
    assert stats.format_milestone_date(dt.date(2011, 1, 1), v.DatePrecision.year) == "2011"
