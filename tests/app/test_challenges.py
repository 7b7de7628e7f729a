"""AppTest: the challenges list and page, a focal point's challenge through review, matches."""

from sqlmodel import select

from forumdash import repository
from forumdash import vocab as v
from forumdash.db import read_session
from forumdash.models import Challenge, Match
from tests.app.test_contribute import accounts, field, sign_in  # noqa: F401
from tests.app.test_pages import open_page


def test_list_shows_every_published_challenge(app_database):
    at = open_page("pages/challenges.py")
    assert not at.exception
    assert at.title[0].value == "Challenges looking for help"
    assert at.markdown[0].value.startswith("**16** challenges") or any(
        m.value.startswith("**16** challenges") for m in at.markdown
    )


def test_filters_come_from_the_url_and_bad_values_are_dropped(app_database):
    at = open_page("pages/challenges.py", country="xk", theme=["open-data", "<b>nope</b>"])
    assert not at.exception
    assert any(m.value.startswith("**1** challenge") for m in at.markdown)
    notes = " ".join(c.value for c in at.caption)
    assert "nope" in notes and "<b>" not in notes.replace("\\<b\\>", "")


def test_one_challenge_lists_matches_from_other_countries(app_database):
    at = open_page("pages/challenges.py", id="1")
    assert not at.exception
    scores = [m for m in at.metric if m.label == "Match score"]
    assert 3 <= len(scores) <= 8
    subheaders = [s.value for s in at.subheader]
    assert "Practices from other countries that could help" in subheaders
    assert any("How are practices matched?" in e.label for e in at.expander)


def test_unknown_or_malformed_id_gets_a_message(app_database):
    for raw in ("999999", "abc", "<script>"):
        at = open_page("pages/challenges.py", id=raw)
        assert not at.exception
        assert at.title[0].value == "Challenge not found"


def test_focal_point_submits_a_challenge_and_organiser_publishes_it(accounts):  # noqa: F811
    at = sign_in(open_page("app.py"), "fp@xk.example")
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
    [b for b in at.button if b.label == "Save and submit for review"][0].click().run()
    assert not at.exception
    assert "Nothing was saved" in at.error[0].value and "http" in at.error[0].value
    with read_session(accounts) as session:
        assert not session.exec(
            select(Challenge).where(Challenge.title.startswith("Village"))
        ).all()
    field(at.text_area, "Sources * (one per line: title | https://..., or a citation)").input(
        "Survey | https://example.org/survey"
    )
    [b for b in at.button if b.label == "Save and submit for review"][0].click().run()
    assert not at.exception
    assert "Submitted for review" in at.success[0].value
    with read_session(accounts) as session:
        saved = session.exec(select(Challenge).where(Challenge.title.startswith("Village"))).one()
    assert saved.status == v.Workflow.submitted and saved.country_code == "XK"

    org = sign_in(open_page("app.py"), "org@example.org")
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
    at = sign_in(open_page("app.py"), "org@example.org")
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
            correction_in={"record_type": "milestone", "record_id": milestone.id,
                           "what_is_wrong": "The title is vague.",
                           "what_is_right": "Name the decision."},
        )  # fmt: skip
        workflow.accept_correction(
            session=session, user=user, correction_id=correction,
            milestone_changes={"title": milestone.title + " (decision 08/139)"},
        )  # fmt: skip
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
