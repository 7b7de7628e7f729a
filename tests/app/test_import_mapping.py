"""AppTest of /review's import of a spreadsheet in its own columns: upload, the proposed mapping,
the first rows as records, an unmatched word mapped, a dry run, the import, a saved mapping; and
what a person adjusted survives reruns."""

import pytest
from sqlmodel import select

from forumdash import auth
from forumdash.db import make_engine, read_session, write_session
from forumdash.models import Practice
from tests.app.test_contribute import PASSWORD, sign_in

FILE = (
    "Naslov,Država,Opis,Tema/Teme,Izvor,Nivo,Tip aktera,Faza\n"
    "Otvoreni budžet Čačak,Северна Македонија,"
    '"Opština objavljuje budžet svakog meseca u otvorenom formatu, sa vizualizacijama.",'
    '"open-budgets; Open data",https://example.org/a,Local,Government,Implementing\n'
    "Buxheti i hapur,Federation of Bosnia and Herzegovina,"
    '"Komuna publikon buxhetin çdo muaj në format të hapur.",'
    '"Open budgets, local-government",https://example.org/b,Local,Joint,Implementing\n'
).encode()


@pytest.fixture
def organiser(app_database):
    engine = make_engine(app_database)
    with write_session(engine) as session:
        auth.create_user(
            session=session,
            actor=auth.SYSTEM,
            email="org@example.org",
            password=PASSWORD,
            role="organiser",
        )
    return engine


def _review_with_file(data: bytes = FILE):
    from tests.app.test_pages import new_session

    at = new_session()
    sign_in(at, "org@example.org")
    at.switch_page("pages/review.py").run()
    at.file_uploader(key="review.map.file").upload("praksa.csv", data, "text/csv").run()
    assert not at.exception, at.exception
    return at


def _select(at, label):
    return next(s for s in at.selectbox if s.label.startswith(label))


def test_the_mapping_is_proposed_previewed_adjusted_and_imported(organiser):
    at = _review_with_file()
    # Proposed from the Serbian headers.
    assert _select(at, "Title").value == "Naslov"
    assert _select(at, "Country code").value == "Država"
    assert _select(at, "Themes").value == "Tema/Teme"
    assert _select(at, "Sources").value == "Izvor"
    # The first rows as records: Cyrillic country read as MK, themes split on ';' and ','.
    preview = at.dataframe[0].value
    first = preview[preview["Row"] == "2"].iloc[0]
    assert first["Country code"] == "MK"
    assert first["Themes"] == "open-budgets; open-data"
    assert (
        "Federation of Bosnia and Herzegovina" in preview[preview["Row"] == "3"].iloc[0]["Problems"]
    )
    # The word that matches nothing is listed with its count, and mapped here.
    word = _select(at, "Federation of Bosnia and Herzegovina")
    assert "1 row" in word.label
    word.set_value("BA").run()
    assert not at.exception
    # A rerun keeps the adjustment (the word's meaning and the columns).
    at.run()
    assert _select(at, "Federation of Bosnia and Herzegovina").value == "BA"
    preview = at.dataframe[0].value
    assert preview[preview["Row"] == "3"].iloc[0]["Country code"] == "BA"

    [b for b in at.button if b.label == "Dry run"][0].click().run()
    assert not at.exception
    report = at.code[-1].value
    assert "practices: praksa.csv: 2 created" in report and "dry run" in report
    with read_session(organiser) as session:
        assert not session.exec(select(Practice).where(Practice.title == "Buxheti i hapur")).all()

    [b for b in at.button if b.label == "Import now"][0].click().run()
    assert not at.exception
    # (Markdown-escaped: the file name is the uploader's text)
    assert any(
        "Imported from praksa\\.csv" in s.value and "2 created" in s.value for s in at.success
    )
    assert not [b for b in at.button if b.label == "Import now"]  # only the result shows
    with read_session(organiser) as session:
        stored = session.exec(select(Practice).where(Practice.title == "Buxheti i hapur")).one()
        assert stored.country_code == "BA"


def test_a_changed_mapping_needs_a_new_dry_run_and_a_saved_mapping_is_reused(organiser):
    at = _review_with_file()
    _select(at, "Federation of Bosnia and Herzegovina").set_value("BA").run()
    [b for b in at.button if b.label == "Dry run"][0].click().run()
    assert [b for b in at.button if b.label == "Import now"]
    _select(at, "Summary").set_value("Naslov").run()  # a column may feed two fields
    assert not [b for b in at.button if b.label == "Import now"]
    assert any("changed since the dry run" in i.value for i in at.info)

    save_as = next(t for t in at.text_input if t.label == "Save the mapping below as")
    save_as.input("Serbian case library").run()
    [b for b in at.button if b.label == "Save mapping"][0].click().run()
    assert any("Saved as Serbian case library" in s.value for s in at.success)

    # Another file of the same shape starts from the proposal; the saved mapping brings back
    # the organiser's choices, the word's meaning included.
    other = FILE.replace(b"Otvoreni", b"Zatvoreni")
    at.file_uploader(key="review.map.file").upload("drugi.csv", other, "text/csv").run()
    assert _select(at, "Summary").value == "Opis"
    [b for b in at.button if b.label == "Use this mapping"][0].click().run()
    assert not at.exception
    assert _select(at, "Summary").value == "Naslov"
    assert _select(at, "Federation of Bosnia and Herzegovina").value == "BA"


def test_a_file_that_is_not_a_table_is_refused_with_a_message(organiser):
    at = _review_with_file(b"%PDF-1.4 not a table")
    assert not at.exception
    assert "cannot be imported" in at.error[0].value


def test_a_dry_run_with_an_unmapped_word_names_file_row_record_column_and_value(organiser):
    at = _review_with_file()
    [b for b in at.button if b.label == "Dry run"][0].click().run()
    assert not at.exception
    report = at.code[-1].value
    assert report.startswith("practices: praksa.csv: 1 invalid row; nothing was written")
    assert (
        "row 3: 'Buxheti i hapur': Država (Country code): 'Federation of Bosnia and Herzegovina' "
        "is not one of"
    ) in report
    assert "'Federation of Bosnia and Herzegovina' matches nothing (1 row)" in report
    assert not [b for b in at.button if b.label == "Import now"]


def test_the_flow_is_for_organisers_only(app_database):
    def script() -> None:
        from forumdash.db import make_engine
        from forumdash.settings import get_settings
        from forumdash.ui import mapping

        mapping.mapping_flow(
            make_engine(get_settings().database_url), None, "practices", b"Naslov\nx\n", "f.csv"
        )

    from streamlit.testing.v1 import AppTest

    at = AppTest.from_function(script).run()
    assert not at.exception
    assert at.info[0].value == "Only organisers import."
    assert not at.selectbox


def test_challenges_in_macedonian_columns_are_mapped_and_imported(organiser):
    from pathlib import Path

    from forumdash.models import Challenge
    from tests.app.test_pages import new_session

    data = (Path(__file__).parents[1] / "fixtures" / "mapped" / "izazovi_mk.csv").read_bytes()
    at = new_session()
    sign_in(at, "org@example.org")
    at.switch_page("pages/review.py").run()
    at.segmented_control(key="review.map.kind").set_value("challenges").run()
    at.file_uploader(key="review.map.file").upload("izazovi.csv", data, "text/csv").run()
    assert not at.exception
    assert _select(at, "Obstacle type").value == "Пречка"
    assert _select(at, "Description").value == "Опис"
    [b for b in at.button if b.label == "Dry run"][0].click().run()
    assert "challenges: izazovi.csv: 2 created" in at.code[-1].value
    [b for b in at.button if b.label == "Import now"][0].click().run()
    with read_session(organiser) as session:
        stored = session.exec(
            select(Challenge).where(Challenge.title == "Mungesa e vullnetit politik")
        ).one()
    assert stored.country_code == "XK"


def test_choices_survive_a_visit_to_the_other_kind_of_import(organiser):
    at = _review_with_file()
    _select(at, "Summary").set_value("Naslov").run()
    _select(at, "Federation of Bosnia and Herzegovina").set_value("BA").run()
    at.segmented_control(key="review.map.kind").set_value("challenges").run()
    assert _select(at, "Description").value == "Opis"  # the same file, as challenges
    at.segmented_control(key="review.map.kind").set_value("practices").run()
    assert not at.exception
    assert _select(at, "Summary").value == "Naslov"
    assert _select(at, "Federation of Bosnia and Herzegovina").value == "BA"
