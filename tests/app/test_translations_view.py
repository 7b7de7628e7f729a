"""AppTest: a practice with a published Albanian translation, read in Albanian (with the notice
and the original on request) and in English; a card in the reader's language."""

from sqlmodel import select

from forumdash import auth, i18n, repository, workflow
from forumdash import vocab as v
from forumdash.db import make_engine, read_session, write_session
from forumdash.models import Challenge, ChallengeTranslationIn, Practice, PracticeTranslationIn
from forumdash.translations import shown_text
from tests.app.test_contribute import accounts, sign_in  # noqa: F401
from tests.app.test_pages import new_session, open_page

ALBANIAN = PracticeTranslationIn(
    title="Portali i vetëm i shërbimeve qeveritare e-Albania",
    summary="Portali kombëtar i shërbimeve publike të Shqipërisë.",
    body={"methods": "Një hyrje e vetme me numrin personal."},
)


def translated_practice(database_url: str) -> int:
    """A published seed practice given an Albanian translation (as an organiser's edit)."""
    engine = make_engine(database_url)
    with write_session(engine) as session:
        practice_id = session.exec(select(Practice.id).where(Practice.slug == "al-e-albania")).one()
        current = workflow.record_of(session=session, practice_id=practice_id)
        repository.update_practice(
            session=session,
            practice_id=practice_id,
            practice_in=current.model_copy(update={"translations": {"sq": ALBANIAN}}),
        )
    engine.dispose()
    return practice_id


def _plain(text: str) -> str:
    """Text as shown, without the escapes that keep user text inert in Markdown."""
    return text.replace("\\", "")


def _captions(at) -> str:
    return _plain(" ".join(c.value for c in at.caption))


def test_an_albanian_reader_sees_the_translation_with_the_notice_and_the_original_on_request(
    app_database,
):
    practice_id = translated_practice(app_database)
    engine = make_engine(app_database)
    with read_session(engine) as session:
        practice = repository.get_practice(session=session, practice_id=practice_id)
    engine.dispose()
    with i18n.language("sq"):
        notice = shown_text(practice).notice()
        original_notice = shown_text(practice, original=True).notice()
    at = open_page("pages/practice.py", id=str(practice_id), lang="sq")
    assert not at.exception
    assert _plain(at.title[0].value) == ALBANIAN.title
    assert notice in _captions(at)
    assert any(ALBANIAN.body["methods"] in _plain(m.value) for m in at.markdown)
    show_original = [
        link.proto for link in at.get("page_link") if "original=1" in link.proto.query_string
    ]
    assert len(show_original) == 1 and "lang=sq" in show_original[0].query_string

    asked = open_page("pages/practice.py", id=str(practice_id), lang="sq", original="1")
    assert not asked.exception
    assert _plain(asked.title[0].value) == practice.title
    assert original_notice in _captions(asked)  # "Written in" English, named in Albanian
    assert asked.query_params["original"] in ("1", ["1"])  # kept in the URL

    english = open_page("pages/practice.py", id=str(practice_id))
    assert _plain(english.title[0].value) == practice.title
    assert notice not in _captions(english)
    # The history tells the translation's fields by name and language.
    history = _plain(" ".join(m.value for m in english.markdown))
    assert f"Title (Albanian translation): — → {ALBANIAN.title}" in history


def test_a_challenge_reads_in_the_readers_language(app_database):
    engine = make_engine(app_database)
    translation = ChallengeTranslationIn(title="Sfida në shqip", description="Përshkrimi shqip.")
    with write_session(engine) as session:
        challenge_id = session.exec(
            select(Challenge.id).where(Challenge.workflow == "published")
        ).first()
        current = workflow.challenge_record_of(session=session, challenge_id=challenge_id)
        repository.update_challenge(
            session=session,
            challenge_id=challenge_id,
            challenge_in=current.model_copy(update={"translations": {"sq": translation}}),
        )
    engine.dispose()
    at = open_page("pages/challenges.py", id=str(challenge_id), lang="sq")
    assert not at.exception
    assert _plain(at.title[0].value) == translation.title
    assert any("original=1" in link.proto.query_string for link in at.get("page_link"))
    listed = open_page("pages/challenges.py", lang="sq")
    labels = [_plain(link.proto.label) for link in listed.get("page_link")]
    assert f"**{translation.title}**" in labels
    asked = open_page("pages/challenges.py", id=str(challenge_id), lang="sq", original="1")
    assert _plain(asked.title[0].value) == current.title


def test_a_card_in_the_browse_list_reads_in_the_readers_language(app_database):
    translated_practice(app_database)
    at = open_page("pages/browse.py", lang="sq", country="AL")
    assert not at.exception
    labels = [_plain(link.proto.label) for link in at.get("page_link")]
    assert any(ALBANIAN.title in label for label in labels)


def test_a_focal_point_adds_a_translation_that_waits_for_review(accounts):  # noqa: F811
    with read_session(accounts) as session:
        practice_id = session.exec(
            select(Practice.id).where(
                Practice.country_code == "XK", Practice.workflow == "published"
            )
        ).first()
    at = sign_in(new_session(), "fp@xk.example")
    at.switch_page("pages/submit.py")
    at.query_params["kind"] = "practice"
    at.query_params["id"] = str(practice_id)
    at.run()
    assert not at.exception
    at.selectbox(key=f"translate.practice.{practice_id}.language").set_value("sq").run()
    [w for w in at.text_input if w.label == "Title *"][-1].input("Titulli shqip")
    [w for w in at.text_area if w.label == "Summary *"][-1].input("Përmbledhja shqip.")
    [b for b in at.button if b.label == "Save translation"][0].click().run()
    assert not at.exception
    assert "published version stays online" in " ".join(s.value for s in at.success)
    waiting_user = auth.SessionUser(1, "fp@xk.example", v.Role.focal_point, "XK")
    with read_session(accounts) as session:
        published = repository.get_practice(session=session, practice_id=practice_id)
        waiting = workflow.editable_record(
            session=session, user=waiting_user, practice_id=practice_id
        )
    assert published.translations == {}  # readers see nothing until it is approved
    assert waiting.translations["sq"].title == "Titulli shqip"
    with write_session(accounts) as session:
        workflow.submit(session=session, user=waiting_user, practice_id=practice_id)
    org = sign_in(new_session(), "org@example.org")
    org.switch_page("pages/review.py").run()
    assert not org.exception
    shown = _plain(" ".join(m.value for m in org.markdown))
    assert "**Title (Albanian translation)**" in shown  # named as the form names it
    [b for b in org.button if b.label == "Approve and publish"][0].click().run()
    assert not org.exception
    with read_session(accounts) as session:
        published = repository.get_practice(session=session, practice_id=practice_id)
    assert published.translations["sq"].title == "Titulli shqip"


def test_an_organiser_translates_a_challenge_and_it_is_published_at_once(accounts):  # noqa: F811
    with read_session(accounts) as session:
        challenge_id = session.exec(
            select(Challenge.id).where(Challenge.workflow == "published")
        ).first()
    at = sign_in(new_session(), "org@example.org")
    at.switch_page("pages/submit.py")
    at.query_params["kind"] = "challenge"
    at.query_params["id"] = str(challenge_id)
    at.run()
    assert not at.exception
    at.selectbox(key=f"translate.challenge.{challenge_id}.language").set_value("mk").run()
    [w for w in at.text_input if w.label == "Title *"][-1].input("Предизвик")
    [w for w in at.text_area if w.label == "Description *"][-1].input("Опис на предизвикот.")
    [b for b in at.button if b.label == "Save translation"][0].click().run()
    assert not at.exception and not at.error
    with read_session(accounts) as session:
        challenge = repository.get_challenge(session=session, challenge_id=challenge_id)
    assert challenge.translations["mk"].title == "Предизвик"
    # An empty title is refused with the form's message, and nothing changes.
    at.selectbox(key=f"translate.challenge.{challenge_id}.language").set_value("sq").run()
    [w for w in at.text_area if w.label == "Description *"][-1].input("Vetëm përshkrimi.")
    [b for b in at.button if b.label == "Save translation"][0].click().run()
    assert "Nothing was saved" in at.error[0].value
    with read_session(accounts) as session:
        assert (
            "sq"
            not in repository.get_challenge(session=session, challenge_id=challenge_id).translations
        )


def test_review_asks_about_a_translation_changed_since_the_edit(accounts):  # noqa: F811
    focal_point = auth.SessionUser(1, "fp@xk.example", v.Role.focal_point, "XK")
    organiser = auth.SessionUser(2, "org@example.org", v.Role.organiser, None)
    with write_session(accounts) as session:
        practice_id = session.exec(
            select(Practice.id).where(
                Practice.country_code == "XK", Practice.workflow == "published"
            )
        ).first()
        ids = {"practice_id": practice_id}
        workflow.save_translation(
            session=session, user=organiser, language="sq", translation=ALBANIAN, was=None, **ids
        )
        mine = ALBANIAN.model_copy(update={"title": "Titulli i pikës së kontaktit"})
        workflow.save_translation(
            session=session, user=focal_point, language="sq", translation=mine, was=ALBANIAN, **ids
        )
        workflow.submit(session=session, user=focal_point, **ids)
        theirs = ALBANIAN.model_copy(update={"title": "Titulli i organizatorit"})
        workflow.save_translation(
            session=session, user=organiser, language="sq", translation=theirs, was=mine, **ids
        )
    org = sign_in(new_session(), "org@example.org")
    org.switch_page("pages/review.py").run()
    assert "Title (Albanian translation) was changed by someone else" in _plain(
        " ".join(w.value for w in org.warning)
    )
    approve = [b for b in org.button if b.label == "Approve and publish"][0]
    approve.click().run()
    assert "Choose which value stays" in _plain(" ".join(e.value for e in org.error))
    org.radio(key=f"review.pending.practice.{practice_id}.translations.sq.title").set_value(
        workflow.KEEP_CURRENT
    ).run()
    [b for b in org.button if b.label == "Approve and publish"][0].click().run()
    assert not org.exception
    with read_session(accounts) as session:
        now = repository.get_practice(session=session, practice_id=practice_id)
        assert now.translations["sq"].title == "Titulli i organizatorit"
        assert session.get(Practice, practice_id).pending is None
