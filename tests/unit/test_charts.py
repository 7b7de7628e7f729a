from forumdash import charts, stats
from forumdash.db import read_session


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
