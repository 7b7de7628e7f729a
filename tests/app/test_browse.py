"""AppTest flows of the browse and practice pages."""

import re

from forumdash import repository
from forumdash.db import make_engine, read_session, write_session
from forumdash.filters import PracticeFilters
from forumdash.text import escape_markdown
from tests.app.test_pages import open_page


def _count(at) -> int:
    line = next(m.value for m in at.markdown if re.match(r"\*\*[\d,]+\*\* practice", m.value))
    return int(line.split("**")[1].replace(",", ""))


def _expected(url: str, **choices) -> int:
    with read_session(make_engine(url)) as session:
        return repository.count_matching(session=session, filters=PracticeFilters(**choices))


def test_deep_link_restores_the_view(app_database):
    at = open_page("pages/browse.py", country=["MK", "RS"], theme="open-data")
    assert not at.exception
    pills = {b.key: b for b in at.get("button_group")}
    assert pills["browse.countries"].value == ["MK", "RS"]
    assert pills["browse.themes"].value == ["open-data"]
    expected = _expected(app_database, countries=("MK", "RS"), themes=("open-data",))
    assert _count(at) == expected > 0


def test_comma_separated_values_work_too(app_database):
    at = open_page("pages/browse.py", country="MK,RS")
    assert _count(at) == _expected(app_database, countries=("MK", "RS"))


def test_a_filter_changes_the_count_and_the_url(app_database):
    at = open_page("pages/browse.py")
    everything = _count(at)
    pills = {b.key: b for b in at.get("button_group")}
    pills["browse.countries"].set_value(["XK"]).run()
    assert not at.exception
    assert at.query_params["country"] in ("XK", ["XK"])
    assert _count(at) == _expected(app_database, countries=("XK",)) < everything


def test_search_box_updates_the_url_and_results(app_database):
    at = open_page("pages/browse.py")
    at.text_input(key="browse.q").input("отворени парламент").run()
    assert not at.exception
    assert at.query_params["q"] in ("отворени парламент", ["отворени парламент"])
    assert _count(at) == _expected(app_database, q="отворени парламент") > 0


def test_bad_parameters_give_notices_not_errors(app_database):
    at = open_page("pages/browse.py", country=["ZZ", "AL"], page="x", foo="1")
    assert not at.exception
    notices = " ".join(c.value for c in at.caption)
    assert "unknown country" in notices and "unknown parameter" in notices
    assert _count(at) == _expected(app_database, countries=("AL",))


def test_paging(app_database):
    at = open_page("pages/browse.py", per_page="25")
    total = _count(at)
    assert total > 25
    at = open_page("pages/browse.py", page="2")
    shown = next(m.value for m in at.markdown if "showing" in m.value)
    assert f"showing 26–{min(50, total)}" in shown


def test_only_published_practices_are_listed(app_database):
    at = open_page("pages/browse.py", country="GB")
    before = _count(at)
    engine = make_engine(app_database)
    with write_session(engine) as session:
        from sqlmodel import select

        from forumdash import vocab as v
        from forumdash.models import Practice

        practice = session.exec(select(Practice).where(Practice.country_code == "GB")).first()
        practice.workflow = v.Workflow.draft
        session.add(practice)
    at = open_page("pages/browse.py", country="GB")
    assert _count(at) == before - 1


def test_practice_page(app_database):
    with read_session(make_engine(app_database)) as session:
        first = repository.list_practices(session=session, limit=1)[0]
        practice = repository.get_practice(session=session, practice_id=first.id)
    at = open_page("pages/practice.py", id=str(first.id))
    assert not at.exception
    assert at.title[0].value.replace("\\", "") == practice.title
    headings = [s.value for s in at.subheader]
    assert "Sources" in headings and "More like this, from other countries" in headings


def test_unknown_practice_is_not_found(app_database):
    for raw in ("999999", "abc", "-1", "1e9", "", "²"):  # "²": isdigit() but not int()
        at = open_page("pages/practice.py", id=raw)
        assert not at.exception
        assert at.title[0].value == "Practice not found"


def test_unpublished_practice_is_not_found(app_database):
    engine = make_engine(app_database)
    with write_session(engine) as session:
        from forumdash import vocab as v
        from forumdash.models import Practice

        practice = session.get(Practice, 1)
        practice.workflow = v.Workflow.submitted
        session.add(practice)
    at = open_page("pages/practice.py", id="1")
    assert at.title[0].value == "Practice not found"


def test_table_view_cells_cannot_carry_formulas(app_database):
    from forumdash import vocab as v
    from forumdash.models import PracticeSummary
    from forumdash.ui.browse import page_frame

    row = PracticeSummary(
        id=1,
        title='=HYPERLINK("http://evil")',
        summary="s",
        country_code="AL",
        country_name="+Albania",
        themes=["open-data"],
        stage=v.Stage.implementing,
        start_year=None,
        is_sample=False,
    )
    frame = page_frame([row], {"open-data": "@Open data"})
    for value in frame.iloc[0]:
        if isinstance(value, str):
            assert not value.startswith(("=", "+", "-", "@"))


def test_url_text_in_notices_is_shown_literally(app_database):
    at = open_page("pages/browse.py", theme="[log in](https://evil.example)")
    notice = next(c.value for c in at.caption if "Ignored" in c.value)
    assert "\\[log in\\]\\(https\\:" in notice  # escaped: no link


def test_two_changes_in_one_rerun_are_both_kept(app_database):
    at = open_page("pages/browse.py")
    at.text_input(key="browse.q").input("portal")
    next(b for b in at.get("button_group") if b.key == "browse.countries").set_value(["AL"])
    at.run()
    params = at.query_params
    assert params["q"] in ("portal", ["portal"]) and params["country"] in ("AL", ["AL"])


def test_few_matches_are_followed_by_practices_meeting_some_words(app_database):
    """Fewer than 10 practices hold every word: those holding most of them follow, under their
    own heading, and the page says which words no practice holds."""
    with read_session(make_engine(app_database)) as session:
        everything = repository.browse_view(
            session=session, filters=PracticeFilters(q="portal xyzzyq")
        )
    assert everything.total == 0 and everything.also  # the seed has portals, no xyzzyq
    at = open_page("pages/browse.py", q="portal xyzzyq")
    assert not at.exception
    assert _count(at) == 0
    assert "Also matching some of your words" in [h.value for h in at.subheader]
    captions = " ".join(c.value for c in at.caption)
    assert "No practice here contains" in captions and "xyzzyq" in captions
    titles = {f"**{escape_markdown(row.title)}**" for row in everything.also}
    shown = [e.proto.label for e in at.get("page_link") if e.proto.label in titles]
    assert len(shown) == len(everything.also)
    # Without a missing word there is nothing to say; with enough matches, no fallback.
    at = open_page("pages/browse.py", q="portal")
    assert "Also matching some of your words" not in [h.value for h in at.subheader]
    assert "No practice here contains" not in " ".join(c.value for c in at.caption)
