"""AppTest: the challenges list and page, a focal point's challenge through review, matches."""

import re

from sqlmodel import select

from forumdash import repository
from forumdash import vocab as v
from forumdash.db import make_engine, read_session
from forumdash.models import Challenge, Match
from tests.app.test_contribute import accounts, field, sign_in  # noqa: F401
from tests.app.test_pages import new_session, open_correction, open_page

FILTER_KEYS = ("challenges.country", "challenges.theme", "challenges.obstacle", "challenges.status")


def _heading(at) -> str:
    return next(s.value for s in at.subheader if re.fullmatch(r"[\d,]+ challenges?", s.value))


def _pills(at) -> dict:
    return {b.key: b for b in at.get("button_group") if b.key in FILTER_KEYS}


def _counts(pill) -> dict[str, int]:
    """{label: count} of a pill widget, in the order shown."""
    return {
        label.replace("\\", ""): int(n) for label, n in (o.rsplit(" · ", 1) for o in pill.options)
    }


def _assert_zeros_last(pill) -> None:
    shown = [n for n in _counts(pill).values()]
    chosen = set(pill.indices)
    first_zero = next((i for i, n in enumerate(shown) if n == 0 and i not in chosen), len(shown))
    assert all(n == 0 for n in shown[first_zero:]), shown


def test_list_shows_every_published_challenge(app_database):
    at = open_page("pages/challenges.py")
    assert not at.exception
    assert at.title[0].value == "Challenges looking for help"
    assert _heading(at) == "16 challenges"
    assert not [b for b in at.button if b.key == "challenges.clear"]  # nothing to clear


def test_filters_come_from_the_url_and_bad_values_are_dropped(app_database):
    at = open_page("pages/challenges.py", country="xk", theme=["open-data", "<b>nope</b>"])
    assert not at.exception
    assert _heading(at) == "1 challenge"
    notes = " ".join(c.value for c in at.caption)
    assert "nope" in notes and "<b>" not in notes.replace("\\<b\\>", "")
    # The link keeps what is known here, in the page's own form.
    assert at.query_params["country"] in ("XK", ["XK"])
    assert at.query_params["theme"] in ("open-data", ["open-data"])
    assert _pills(at)["challenges.country"].value == ["XK"]


def test_empty_values_leave_the_link(app_database):
    at = open_page("pages/challenges.py", theme=",,", status=["resolved", "open"])
    assert not at.exception
    assert "theme" not in at.query_params
    assert at.query_params["status"] in ("resolved,open", ["resolved,open"])


def test_every_option_shows_what_it_would_give_under_the_other_choices(app_database):
    at = open_page("pages/challenges.py", country="RS")
    assert not at.exception
    assert _heading(at) == "3 challenges"
    pills = _pills(at)
    with read_session(make_engine(app_database)) as session:
        names = {c.code: c.name_en for c in repository.list_countries(session=session)}
        themes = repository.theme_names(session=session)
        serbian = repository.list_challenges(session=session, countries=["RS"])
        every = repository.list_challenges(session=session)
    # Countries ignore their own choice (OR within a filter): each shows all its challenges.
    countries = _counts(pills["challenges.country"])
    assert countries == {names[code]: sum(c.country_code == code for c in every) for code in names}
    assert countries["Serbia"] == 3 and countries["Georgia"] == 0
    # Themes obey the country (AND across filters), counted by hand from the list.
    by_theme = _counts(pills["challenges.theme"])
    assert by_theme == {
        name: sum(slug in c.themes for c in serbian) for slug, name in themes.items()
    }
    assert by_theme["Civic participation"] == 2 and by_theme["Open data"] == 0
    statuses = _counts(pills["challenges.status"])
    assert statuses == {"Open": 3, "Being addressed": 0, "Resolved": 0}
    for pill in pills.values():
        _assert_zeros_last(pill)
    # Zero options stay offered: nothing is hidden.
    assert len(pills["challenges.theme"].options) == len(themes)
    assert len(pills["challenges.obstacle"].options) == len(v.ObstacleType)


def test_labels_are_the_vocabulary_labels(app_database):
    at = open_page("pages/challenges.py")
    pills = _pills(at)
    shown = {label for pill in pills.values() for label in _counts(pill)}
    assert {s.label for s in v.ChallengeStatus} <= shown
    assert {o.label for o in v.ObstacleType} <= shown
    assert "Being addressed" in shown and "Political will / leadership turnover" in shown
    text = " ".join([m.value for m in at.markdown] + [o for p in pills.values() for o in p.options])
    for raw in ("being_addressed", "political_will", "cso_engagement", "legal_framework"):
        assert raw not in text
    assert ":orange-badge[Being addressed]" in text and ":red-badge[Open]" in text
    assert [e.label for e in at.expander][:4] == ["Country", "Theme", "Obstacle type", "Status"]


def test_a_pill_click_updates_the_url_the_heading_and_the_counts(app_database):
    at = open_page("pages/challenges.py")
    _pills(at)["challenges.country"].set_value(["XK"]).run()
    assert not at.exception
    assert at.query_params["country"] in ("XK", ["XK"])
    assert _heading(at) == "2 challenges"
    assert _counts(_pills(at)["challenges.status"]) == {
        "Open": 1,
        "Being addressed": 1,
        "Resolved": 0,
    }
    _pills(at)["challenges.obstacle"].set_value(["data"]).run()
    assert _heading(at) == "1 challenge"
    assert at.query_params["obstacle"] in ("data", ["data"])
    assert "Country (1)" in [e.label for e in at.expander]


def test_clear_all_empties_the_filters_and_the_url(app_database):
    at = open_page("pages/challenges.py", country="RS", status="open", theme="civic-participation")
    assert _heading(at) == "2 challenges"
    at.button(key="challenges.clear").click().run()
    assert not at.exception
    assert _heading(at) == "16 challenges"
    for param in ("country", "theme", "obstacle", "status"):
        assert param not in at.query_params
    assert all(pill.value == [] for pill in _pills(at).values())
    assert not [b for b in at.button if b.key == "challenges.clear"]
    assert _counts(_pills(at)["challenges.country"])["North Macedonia"] == 3


def test_one_challenge_lists_matches_from_other_countries(app_database):
    at = open_page("pages/challenges.py", id="1")
    assert not at.exception
    scores = [m for m in at.metric if m.label == "Match score"]
    assert 3 <= len(scores) <= 8
    subheaders = [s.value for s in at.subheader]
    assert "Practices from other countries that could help" in subheaders
    assert any("How are practices matched?" in e.label for e in at.expander)


def test_unknown_or_malformed_id_gets_a_message(app_database):
    for raw in ("999999", "abc", "<script>", "²"):  # "²": isdigit() but not int()
        at = open_page("pages/challenges.py", id=raw)
        assert not at.exception
        assert at.title[0].value == "Challenge not found"


def test_focal_point_submits_a_challenge_and_organiser_publishes_it(accounts):  # noqa: F811
    at = sign_in(new_session(), "fp@xk.example")
    at.switch_page("pages/submit.py").run()
    at.query_params["kind"] = "challenge"
    at.run()
    assert not at.exception
    field(at.text_input, "Title *").input("Village water budgets are not published")
    field(at.text_area, "Description * (what blocks progress, where, since when)").input(
        "Villages publish nothing about water budgets."
    )
    field(at.multiselect, "Themes * (1 to 3)").select("open-budgets")
    field(at.text_area, "Sources * (one per line: title | https://..., or a citation)").input(
        "Survey | javascript:alert(1)"
    )
    # The obstacle and the severity start unchosen (a preselected one would be a claim).
    assert field(at.selectbox, "Main obstacle *").value is None
    assert field(at.selectbox, "Severity *").value is None
    [b for b in at.button if b.label == "Save and submit for review"][0].click().run()
    assert not at.exception
    message = at.error[0].value.replace("\\", "")
    assert "Nothing was saved" in message and "http" in message
    assert "Main obstacle: choose one" in message and "Severity: choose one" in message
    with read_session(accounts) as session:
        assert not session.exec(
            select(Challenge).where(Challenge.title.startswith("Village"))
        ).all()
    field(at.text_area, "Sources * (one per line: title | https://..., or a citation)").input(
        "Survey | https://example.org/survey"
    )
    field(at.selectbox, "Main obstacle *").set_value("political_will")
    field(at.selectbox, "Severity *").set_value("high")
    [b for b in at.button if b.label == "Save and submit for review"][0].click().run()
    assert not at.exception
    assert "Submitted for review" in at.success[0].value
    with read_session(accounts) as session:
        saved = session.exec(select(Challenge).where(Challenge.title.startswith("Village"))).one()
    assert saved.workflow == v.Workflow.submitted and saved.country_code == "XK"

    org = sign_in(new_session(), "org@example.org")
    org.switch_page("pages/review.py").run()
    assert any("New challenge" in e.label for e in org.expander)
    shown = " ".join(m.value for m in org.markdown)
    assert "Open budgets" in shown and "Political will" in shown  # labels, not codes
    assert "open-budgets" not in shown and "political_will" not in shown
    [b for b in org.button if b.key == f"review.approve.challenge.{saved.id}"][0].click().run()
    assert not org.exception
    with read_session(accounts) as session:
        assert repository.get_challenge(session=session, challenge_id=saved.id) is not None

    page = open_page("pages/challenges.py", id=str(saved.id))
    assert page.title[0].value == "Village water budgets are not published"


def test_organiser_moves_a_match_along(accounts):  # noqa: F811
    at = sign_in(new_session(), "org@example.org")
    at.switch_page("pages/challenges.py").run()
    at.query_params["id"] = "1"
    at.run()
    boxes = [s for s in at.selectbox if s.label == "Progress"]
    assert boxes, "an organiser sees the progress control"
    boxes[0].select("contacted").run()
    assert not at.exception
    assert "Contacted" in at.success[0].value
    with read_session(accounts) as session:
        assert [m.state for m in session.exec(select(Match)).all()] == [v.MatchState.contacted]


def test_participants_see_matches_but_cannot_move_them(app_database):
    at = open_page("pages/challenges.py", id="1")
    assert not [s for s in at.selectbox if s.label == "Progress"]


def test_country_profile_lists_challenges_exchanges_and_a_summary(app_database):
    at = open_page("pages/country.py", code="AL")
    assert not at.exception
    sentence = next(m.value for m in at.markdown if m.value.startswith("Albania shares"))
    assert sentence.startswith("Albania shares 6 published practices")
    metrics = {m.label: int(m.value) for m in at.metric}
    assert metrics["Open challenges"] == 3 and metrics["Shared across borders"] == 1
    assert "Learned from other countries" in [m.value.strip("*") for m in at.markdown]


def test_a_corrected_milestone_shows_its_history_on_the_country_page(accounts):  # noqa: F811
    from forumdash import auth, workflow
    from forumdash.db import write_session

    with read_session(accounts) as session:
        milestone = repository.list_milestones(session=session, country="XK")[0]
        organiser = session.exec(select(auth.User).where(auth.User.role == "organiser")).one()
    user = auth.SessionUser(organiser.id, organiser.email, v.Role.organiser, None)
    with write_session(accounts) as session:
        correction = workflow.flag_correction(
            session=session,
            correction_in={
                "record_type": "milestone",
                "record_id": milestone.id,
                "what_is_wrong": "The title is vague.",
                "what_is_right": "Name the decision.",
            },
        )
        workflow.accept_correction(
            session=session,
            user=user,
            correction_id=correction,
            milestone_changes={"title": milestone.title + " (decision 08/139)"},
        )
    at = open_page("pages/country.py", code="XK")
    assert not at.exception
    assert any(m.value.startswith("**History** (2 changes)") for m in at.markdown)
    assert any("from a reader's correction" in m.value for m in at.markdown)


def test_a_practice_page_links_the_challenges_it_could_help_with(app_database):
    at = open_page("pages/practice.py", id="1")
    assert not at.exception
    assert "Could help with" in [s.value for s in at.subheader]


def test_a_refused_correction_keeps_what_was_typed_and_a_sent_one_clears_it(app_database):
    at = open_page("pages/challenges.py", id="1")
    key = "correction.challenge.1"
    open_correction(at, key)
    at.text_area(key=key + ".wrong").input("The year is wrong here.")
    at.text_area(key=key + ".right").input("It was 2018, not 2017.")
    at.text_input(key=key + ".source").input("javascript:alert(1)")
    [b for b in at.button if b.label == "Send the correction"][0].click().run()
    assert not at.exception
    assert "only http" in at.error[0].value
    assert at.text_area(key=key + ".wrong").value == "The year is wrong here."
    at.text_input(key=key + ".source").input("https://example.org/report")
    [b for b in at.button if b.label == "Send the correction"][0].click().run()
    assert "Thank you" in at.success[0].value
    assert at.text_area(key=key + ".wrong").value == ""


def test_countries_without_a_code_lists_every_country(app_database):
    at = open_page("pages/country.py")
    assert not at.exception
    assert at.title[0].value == "Countries"
    assert {s.value for s in at.subheader} >= {"Western Balkans", "Partners"}
