"""The shipped sample content: complete, valid, and exercising every field."""

from collections import Counter

import pytest

from uprsite import content, model
from uprsite.validate import validate

from .conftest import ROOT

FOURTEEN = {"ARM", "GRD", "GIN", "GNB", "GUY", "KEN", "KIR", "KWT", "KGZ", "LAO", "LSO", "ESP", "SWE", "TUR"}


@pytest.fixture(scope="module")
def db() -> model.Database:
    return validate(content.load(ROOT / "content"))


def test_reference_data_is_complete(db):
    assert len(db.countries) == 195
    assert sum(1 for c in db.countries.values() if c.region == "none") == 2  # Holy See, State of Palestine
    assert set(db.sessions) == set(range(1, 48))
    cycles = {n: s.cycle for n, s in db.sessions.items()}
    assert {cycles[1], cycles[12]} == {1} and {cycles[13], cycles[26]} == {2}
    assert {cycles[27], cycles[40]} == {3} and {cycles[41], cycles[47]} == {4}
    assert len(db.themes) == 56 and len(db.organisations) == 12
    assert all(set(t.name.languages) == {"en", "fr", "es"} for t in db.themes.values())
    assert db.site.demo is True


def test_sessions_21_and_35(db):
    for number, start, end in ((21, "2015-01-19", "2015-01-30"), (35, "2020-01-20", "2020-01-31")):
        session = db.sessions[number]
        assert (str(session.start), str(session.end)) == (start, end)
        assert session.pre_session is not None
        assert {r.state for r in db.reviews_in_session[number]} == FOURTEEN
    assert str(db.sessions[21].pre_session.start) == "2014-12-02"
    assert str(db.sessions[35].pre_session.end) == "2019-12-13"


def test_name_overrides_where_un_and_cldr_differ(db):
    from uprsite.localise import Localiser

    english, french = Localiser("en", db.site), Localiser("fr", db.site)
    assert english.country_name(db.countries["PSE"]) == "State of Palestine"
    assert english.country_name(db.countries["KOR"]) == "Republic of Korea"
    assert english.country_name(db.countries["IRN"]) == "Iran (Islamic Republic of)"
    assert english.country_name(db.countries["TUR"]) == "Türkiye"
    assert french.country_name(db.countries["TUR"]) == "Türkiye"
    assert french.country_name(db.countries["EGY"]) == "Égypte"


def test_every_field_of_the_contract_is_exercised(db):
    recs = list(db.recommendations())
    assert set(Counter(r.response for r in recs)) == set(model.RESPONSES)
    assert any(len(r.by) > 1 for r in recs)
    assert any(r.text.get("en") is None for r in recs)  # English missing: fallback shown
    assert any(r.text.get("fr") for r in recs) and any(r.text.get("es") for r in recs)
    assert {a.status for r in recs for a in r.implementation} == set(model.STATUSES)
    assert any(len(r.implementation) > 1 for r in recs)
    assert {r.action for r in recs} >= {1, 2, 3, 4, 5}
    assert any(r.sdgs for r in recs) and any(not r.themes for r in recs)
    reviews = db.reviews
    assert any(r.pledges for r in reviews) and any(r.pre_session_speakers for r in reviews)
    documents = [d for r in reviews for d in r.documents]
    assert any(d.url for d in documents) and any(not d.url for d in documents)
    assert {d.type for d in documents} == set(model.DOCUMENT_TYPES)
    assert all(r.date for r in reviews)
    ids = [r.id for r in recs]
    assert any("." in i for i in ids) and any(i.isdigit() for i in ids)


def test_sample_site_builds_through_the_readme_command(tmp_path):
    from .conftest import assert_file_content, run_cli

    result = run_cli("build", "--out", str(tmp_path / "site"))
    assert result.returncode == 0, result.stderr
    assert_file_content(
        tmp_path / "site/fr/countries/arm/index.html",
        "<h1>Arménie</h1>",
        "janvier 2020",
        'href="35/index.html"',
        "! Armenia</h1>",
        "! {{",  # no template syntax left unrendered
    )
    assert_file_content(
        tmp_path / "site/fr/countries/arm/35/index.html",
        "<h1>Arménie : cycle 3, session 35</h1>",
        'id="r-35-ARM-',
        "! {{",
    )
