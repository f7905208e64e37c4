"""Films and directors: vetoes, the fitted models, the collection's list, agreement across
the corpus, and the curator's review queue."""

from __future__ import annotations

import json
from dataclasses import replace
from pathlib import Path

import numpy as np
import pytest
from click.testing import CliRunner

from indexer.cli import cli
from indexer.entities.catalog import parse_catalog
from indexer.entities.choose import rank
from indexer.entities.corpus import agree_across_corpus
from indexer.entities.directors import director_features
from indexer.entities.titles import Page, corroborated, title_candidates
from indexer.entities.validate import director_veto, film_veto
from indexer.linear import MODEL_FILES, LinearModel, Models, SequenceModel, default_models
from indexer.model import INTERVIEWEE, INTERVIEWER, Article, Block, Guess, Source, Turn
from indexer.parse import parse_source
from indexer.review import review

SHARED = Path(__file__).resolve().parents[2] / "shared" / "realworld"


def source(text: str, sidecar: dict[str, object] | None = None) -> Source:
    return Source(Path("page.txt"), "page", "text", text, "utf-8", dict(sidecar or {}))


@pytest.mark.parametrize(
    ("title", "reason"),
    [
        ("Wednesday, 29 August 2018", "a date"),
        ("12.03.2019", "a date"),
        ("Hindi", "a language"),
        ("Interview", "a section name or placeholder"),
        ("Place of Birth", "a section name or placeholder"),
        ("Censorship in Iran is like the British weather.", "a sentence"),
        ("GS: What drew you", "opens with a speaker label"),
        ("Ann Lee", "a person"),
        ("Film Weekly", "the publication"),
    ],
)
def test_a_film_title_is_never(title: str, reason: str) -> None:
    assert film_veto(title, ["Ann Lee"], ["Film Weekly"]) == reason


@pytest.mark.parametrize("title", ["The Interview", "Die Kommune", "Red, White & Royal Blue", "M"])
def test_titles_that_look_like_furniture_still_pass(title: str) -> None:
    assert film_veto(title, [], []) == ""


@pytest.mark.parametrize(
    ("name", "reason"),
    [
        ("Regisseur Thomas Vinterberg", "holds a role word"),
        ("RESPUESTA", "not a full name"),
        ("Michel Ciment and Hubert Niogret", "several people"),
        ("Interviewee Name", "a placeholder or profile-box key"),
        ("JOHN SMITH", "a label in capitals"),
        ("Ann Lee", "the interviewer"),
        ("Film Weekly", "the publication"),
    ],
)
def test_a_director_is_a_persons_name(name: str, reason: str) -> None:
    assert director_veto(name, ["Film Weekly"], ["Ann Lee"]) == reason


def test_a_vetoed_candidate_never_ranks() -> None:
    ranked = rank(
        {"Hindi": {"rule_share": 1.0}, "Blue Hour": {"rule_share": 0.4}}, None, film_veto_
    )
    assert [g.value for g in ranked] == ["Blue Hour"]


def film_veto_(title: str) -> str:
    return film_veto(title, [], [])


PAGE = Page(
    title="Mara Velde on “Blue Hour”",
    blocks=[
        Block("Mara Velde’s Blue Hour premiered in Venice."),
        Block("Blue Hour (2021) is a documentary directed by Mara Velde.", italics=["Blue Hour"]),
    ],
    url="https://example.org/interviews/mara-velde-blue-hour",
    people=["Mara Velde", "Jonas Pike"],
    structured=[],
)


def test_committed_weights_name_only_features_the_code_produces() -> None:
    films = title_candidates(PAGE)
    directors = director_features(PAGE, [], ["Mara Velde"], ["Jonas Pike"], "Blue Hour")
    produced = {f for c in films.values() for f in c} | {f for c in directors.values() for f in c}
    models = default_models()
    for name in MODEL_FILES:
        model = getattr(models, name)
        assert model is not None, f"{name} weights missing"
        if name in ("film", "director"):
            assert set(model.features) <= produced, set(model.features) - produced


def test_features_read_the_cues_they_name() -> None:
    film = title_candidates(PAGE)["Blue Hour"]
    assert film["title_quoted"] > 0 and film["italic"] > 0 and film["release"] > 0
    assert film["in_slug"] == 1.0 and film["in_lead"] == 1.0
    assert title_candidates(PAGE)["Mara Velde"]["is_person"] == 1.0
    director = director_features(PAGE, [], ["Mara Velde"], ["Jonas Pike"], "Blue Hour")
    assert director["Mara Velde"]["near_directing"] > 0 and director["Mara Velde"]["owner"] == 1
    assert director["Mara Velde"]["film_unsure"] == 0.0
    unsure = director_features(PAGE, [], ["Mara Velde"], ["Jonas Pike"], "Blue Hour", False)
    assert unsure["Mara Velde"]["film_unsure"] == 1.0


@pytest.mark.parametrize(
    ("question", "answer", "way"),
    [
        ("How did you cast the two leads?", "We shot for six weeks.", "talks_directing"),
        (
            "Comment avez-vous travaillé ?",
            "Sur le tournage de mon film, tout a changé.",
            "talks_directing",
        ),
        ("¿Cómo preparó su papel?", "Mi personaje no habla.", "talks_acting"),
        ("Was hat Sie an der Rolle fasziniert?", "Sie ist eine Heilerin.", "talks_acting"),
        ("What was it like on set?", "Our director let us improvise.", "talks_acting"),
    ],
)
def test_how_a_guest_speaks_of_the_work(question: str, answer: str, way: str) -> None:
    turns = [
        Turn("Jonas Pike", "", INTERVIEWER, question),
        Turn("Mara Velde", "", INTERVIEWEE, answer),
        Turn("Jonas Pike", "", INTERVIEWER, "And the music?"),
        Turn("Mara Velde", "", INTERVIEWEE, "It came last."),
    ]
    found = director_features(PAGE, turns, ["Mara Velde"], ["Jonas Pike"], "Blue Hour")
    other = "talks_acting" if way == "talks_directing" else "talks_directing"
    assert found["Mara Velde"][way] == 0.5 and found["Mara Velde"][other] == 0.0


def test_a_choice_model_weighs_candidates_against_each_other_and_none() -> None:
    model = LinearModel("t", ("x",), np.array([2.0]), 0.0, 0.5, choice=True)
    alone = model.probabilities([{"x": 1.0}])
    rivals = model.probabilities([{"x": 1.0}, {"x": 1.0}])
    assert alone[0] > rivals[0]  # a rival takes probability away
    assert sum(rivals) < 1.0  # and "none of them" keeps some
    assert LinearModel.from_json(model.to_json()).probabilities([{"x": 1.0}]) == alone


INTERVIEW = (
    Path(__file__).parent / "fixtures" / "articles" / "credited-documentary.txt"
).read_text("utf-8")


def test_the_model_names_a_well_evidenced_film_and_director() -> None:
    article = parse_source(source(INTERVIEW))
    assert article.films == ["Blue Hour"] and article.decided_by["films"] == "model"
    assert article.directors == ["Mara Velde"]
    assert article.film_candidates[0].value == "Blue Hour"


def test_without_models_the_rules_decide() -> None:
    article = parse_source(source(INTERVIEW), Models())
    assert article.decided_by["films"] == "rules"


def test_an_unsure_film_is_left_empty_and_inspect_says_why() -> None:
    text = "Notes\n\nWe spoke about Harbour Lights and about Grey Tide, and about the sea."
    article = parse_source(source(text))
    assert article.films == []
    assert any(n.startswith(("film left empty", "film: no candidate")) for n in article.notes)


CATALOG = "title,year,directors,other_titles\nBlue Hour,2021,Mara Velde;Ivo Strand,L'heure bleue\n"


def test_the_collections_list_names_the_film_and_its_directors() -> None:
    catalog = parse_catalog(CATALOG)
    text = "Notes\n\nWe talked about L'heure bleue, and about the sea and the winter light."
    article = parse_source(source(text), catalog=catalog)
    assert article.films == ["Blue Hour"]
    assert article.directors == ["Mara Velde", "Ivo Strand"]
    assert article.decided_by == {"films": "film list", "directors": "film list"}


def test_the_list_matches_titles_as_written() -> None:
    catalog = parse_catalog("title\nThe Interview\n")
    assert catalog.mentioned("A review of The Interview.") == ["The Interview"]
    assert catalog.mentioned("After the interview, we left.") == []


def guess(value: str, score: float, confirmed: bool = True) -> Guess:
    return Guess(value, score, confirmed=confirmed)


def test_articles_that_agree_settle_an_unsure_one() -> None:
    sure = Article("a", "a.txt", films=["Blue Hour"], directors=["Mara Velde"])
    unsure = Article("b", "b.txt")
    unsure.film_candidates = [guess("Blue Hour", 0.4), guess("Grey Tide", 0.3)]
    unsure.director_candidates = [guess("Mara Velde", 0.5)]
    alone = Article("c", "c.txt", film_candidates=[guess("Grey Tide", 0.6)])
    agree_across_corpus([sure, unsure, alone])
    assert unsure.films == ["Blue Hour"] and unsure.directors == ["Mara Velde"]
    assert unsure.decided_by == {"films": "corpus", "directors": "corpus"}
    assert alone.films == []  # nobody else chose Grey Tide
    assert sure.films == ["Blue Hour"]  # an article's own choice is not its own evidence


def test_other_articles_never_settle_what_the_page_itself_does_not_confirm() -> None:
    sure = Article("a", "a.txt", films=["Blue Hour"], directors=["Mara Velde"])
    lone = Article("b", "b.txt", film_candidates=[guess("Blue Hour", 0.9, confirmed=False)])
    named = Article("c", "c.txt", film_candidates=[guess("Blue Hour", 0.4)])
    named.director_candidates = [guess("Mara Velde", 0.9, confirmed=False)]
    agree_across_corpus([sure, lone, named])
    assert lone.films == [] and lone.decided_by == {}
    assert named.films == ["Blue Hour"] and named.directors == []


def test_a_parsed_guess_says_whether_the_page_confirms_it() -> None:
    one_cue = "Harbour Lights: Oren Vast in conversation\n\nOren Vast paints the harbour at night."
    two_cues = "“Harbour Lights”: Oren Vast in conversation\n\nHis film Harbour Lights opens today."
    for text, confirmed in ((one_cue, False), (two_cues, True)):
        article = parse_source(source(text), replace(TRUSTING, film=UNSURE))
        assert article.films == []  # the model alone names nothing
        best = next(g for g in article.film_candidates if g.value == "Harbour Lights")
        assert best.confirmed is confirmed
        again = Article.from_json(article.to_json()).film_candidates
        assert next(g for g in again if g.value == "Harbour Lights").confirmed is confirmed
        sure = Article("a", "a.txt", films=["Harbour Lights"])
        agree_across_corpus([sure, article])
        assert article.films == (["Harbour Lights"] if confirmed else [])


def test_review_lists_the_doubtful_worst_first_with_the_fix(tmp_path: Path) -> None:
    empty = Article("x", "x.txt", is_qa=True, film_candidates=[guess("Grey Tide", 0.3)])
    done = Article("y", "y.txt", films=["Blue Hour"], directors=["Mara Velde"])
    done.decided_by = {"films": "sidecar", "directors": "sidecar"}
    entries = review([done, empty])
    assert [e.article.id for e in entries] == ["x"]
    assert entries[0].doubts[0].fix == {"films": []}  # Grey Tide at 0.3 is only a guess
    corpus = tmp_path / "corpus"
    corpus.mkdir()
    (corpus / "blue.txt").write_text(INTERVIEW.replace("Blue Hour", "Grey Tide"), "utf-8")
    (corpus / "notes.txt").write_text("Notes\n\nWe spoke about the sea at length today.", "utf-8")
    result = CliRunner().invoke(cli, ["review", "--corpus", str(corpus), "--json", "--jobs", "1"])
    assert result.exit_code == 0, result.output
    rows = [json.loads(line) for line in result.output.splitlines() if line.startswith("{")]
    assert rows and rows[0]["source"].endswith("notes.txt")
    assert rows[0]["sidecar"].endswith("notes.meta.json")


@pytest.mark.skipif(not SHARED.is_dir(), reason="needs ../shared/realworld beside the checkout")
def test_no_facet_value_on_real_pages_is_a_date_placeholder_or_profile_key() -> None:
    from benchmarks.realworld import load_items

    for item in load_items(SHARED):
        article = parse_source(item.source())
        for film in article.films:
            assert film_veto(film, [], []) == "", (item.id, film)
        for director in article.directors:
            assert director_veto(director, [], []) == "", (item.id, director)
        for speaker in {t.speaker for t in article.turns}:
            assert speaker.casefold() not in {"q", "a", "interviewer", "interviewee"}, item.id


@pytest.mark.skipif(not SHARED.is_dir(), reason="needs ../shared/realworld beside the checkout")
def test_the_committed_weights_are_what_the_fitting_command_writes() -> None:
    from benchmarks.fit_parser import fit_models
    from benchmarks.realworld import load_items

    fitted = fit_models(load_items(SHARED))
    committed = default_models()
    for name in ("film", "director", "subject"):
        ours, theirs = getattr(fitted, name), getattr(committed, name)
        assert ours is not None and theirs is not None
        recorded = {k: v for k, v in theirs.meta.items() if k not in ("fitted_on", "scikit_learn")}
        assert {k: v for k, v in ours.meta.items() if k != "scikit_learn"} == recorded, name
        ours = LinearModel.from_json(ours.to_json())  # as written: no feature weighing nothing
        assert ours.features == theirs.features, name
        assert np.allclose(ours.weights, theirs.weights, atol=1e-3), name
        assert abs(ours.threshold - theirs.threshold) < 1e-3, name
    turns, kept = fitted.turns, committed.turns
    assert turns is not None and kept is not None
    assert SequenceModel.from_json(turns.to_json()).features == kept.features
    assert np.allclose(SequenceModel.from_json(turns.to_json()).weights, kept.weights, atol=1e-3)
    assert np.allclose(turns.transitions, kept.transitions, atol=1e-3)


@pytest.mark.skipif(not SHARED.is_dir(), reason="needs ../shared/realworld beside the checkout")
def test_the_committed_entity_weights_were_fitted_on_todays_pages_and_features() -> None:
    pytest.importorskip("sklearn")
    from benchmarks.fit_turns import DEVSET, pages_hash
    from benchmarks.realworld import load_items
    from indexer.dialogue import subject
    from indexer.entities import directors, titles

    items = load_items(SHARED)
    committed = default_models()
    refit = "refit with python -m benchmarks.fit_parser"
    hashes = {"film": items, "director": items, "subject": [*items, *load_items(DEVSET)]}
    for name, fitted_on in hashes.items():
        model = getattr(committed, name)
        assert model is not None
        stale = f"{name}: the annotated pages changed, {refit}"
        assert model.meta["pages_sha256"] == pages_hash(fitted_on), stale
    versions = ((committed.film, titles), (committed.director, directors))
    for model, module in (*versions, (committed.subject, subject)):
        assert model is not None
        assert model.meta["feature_version"] == module.FEATURE_VERSION, f"{model.name}: {refit}"
    assert committed.director is not None
    assert committed.director.meta["scikit_learn"]  # the version that fitted it, for the record


def test_a_feature_weighing_nothing_is_left_out_of_the_weights_file() -> None:
    model = LinearModel("film", ("a", "none", "b"), np.array([1.5, 0.0, -2e-7]), 0.1, 0.5)
    data = model.to_json()
    assert list(data["weights"]) == ["a"]
    again = LinearModel.from_json(data)
    rows = [{"a": 1.0, "none": 3.0, "b": 2.0}, {"none": 1.0}]
    assert [again.score(r) for r in rows] == [pytest.approx(model.score(r)) for r in rows]


def test_a_calibrated_threshold_is_not_held_up_by_one_wrong_value_at_the_top() -> None:
    from benchmarks.fit_entities import calibrated_threshold, lowest_threshold

    right = [(0.96 - 0.02 * i, 1) for i in range(15)]
    wrong = [(0.5 - 0.03 * i, 0) for i in range(12)]
    named = [(0.99, 1), (0.97, 0), *right, *wrong]
    assert lowest_threshold(named) == 0.99  # observed: 16 right of 17 is below target
    threshold = calibrated_threshold(named)
    assert 0.5 < threshold < 0.9  # every value informs it; no wrong one below it is named
    assert calibrated_threshold(right) == min(s for s, _ in right)  # all right: name all
    assert calibrated_threshold(wrong) == 1.0  # all wrong: name none


# A film needs two kinds of evidence; a director needs the page's word that they directed,
# on a page about a film. Hand-made models that trust every candidate show the checks alone.
TRUSTING = Models(
    film=LinearModel("film", ("mentions",), np.array([6.0]), 0.0, 0.5, choice=True),
    director=LinearModel("director", ("mentions",), np.array([6.0]), 0.0, 0.5),
)


# A film model that names nothing on its own: its threshold is out of reach.
UNSURE = LinearModel("film", ("mentions",), np.array([1.0]), 0.0, 1.01, choice=True)


def test_the_kinds_of_evidence_a_film_candidate_has() -> None:
    films = title_candidates(PAGE)
    # headline, italics, "(2021)", and the body naming again what the headline quotes
    assert films["Blue Hour"]["families"] == 4.0
    assert corroborated(films["Blue Hour"])
    assert not corroborated({"title_quoted": 1.0, "title_part": 1.0, "mentions": 2.0})
    assert corroborated({"title_part": 1.0, "pattern": 0.7})


@pytest.mark.parametrize(
    ("title", "named"),
    [
        ("Oren Vast, the director of “Harbour Lights”", True),
        ("Oren Vast, director of Harbour Lights", True),
        ("Oren Vast on his new Harbour Lights", False),  # "new X" does not say it is a film
        ("Oren Vast's Harbour Lights", False),
    ],
)
def test_a_headline_that_calls_a_title_a_film_is_two_kinds_of_evidence(
    title: str, named: bool
) -> None:
    page = Page(title, [Block("We met Oren Vast by the harbour at night.")], "", ["Oren Vast"], [])
    film = title_candidates(page)["Harbour Lights"]
    assert corroborated(film) is named


TWICE = "Harbour Lights took four years. Why Harbour Lights? It is the sea."


@pytest.mark.parametrize(
    ("title", "body", "named"),
    [
        ("Oren Vast talks “Harbour Lights”", TWICE, True),
        ("Oren Vast talks “Harbour Lights”", "Harbour Lights took four years.", False),
        # the short form of a longer title the body sets off is no title of its own
        (
            "Oren Vast talks “Harbour Lights”",
            "*Harbour Lights at Dawn* took four years. Harbour Lights, Harbour Lights!",
            False,
        ),
    ],
)
def test_a_body_that_keeps_naming_what_the_headline_sets_off_corroborates_it(
    title: str, body: str, named: bool
) -> None:
    italics = ["Harbour Lights at Dawn"] if body.startswith("*") else []
    blocks = [Block(body.replace("*", ""), italics=italics)]
    page = Page(title, blocks, "", ["Oren Vast"], [])
    film = title_candidates(page)["Harbour Lights"]
    assert corroborated(film) is named


@pytest.mark.parametrize(
    "text",
    [
        "Oren Vast directed Harbour Lights in one winter.",
        "They co-directed Harbour Lights together.",
        "Harbour Lights, a documentary about the sea, opens today.",
        "Harbour Lights, an unusual little film, opens today.",
    ],
)
def test_a_directing_verb_or_an_apposition_calls_a_title_a_film(text: str) -> None:
    page = Page("Notes", [Block(text)], "", ["Oren Vast"], [])
    assert title_candidates(page)["Harbour Lights"]["pattern"] > 0


def test_a_film_with_one_kind_of_evidence_stays_a_guess() -> None:
    text = "Harbour Lights: Oren Vast in conversation\n\nOren Vast paints the harbour at night."
    article = parse_source(source(text), TRUSTING)
    assert article.films == []
    assert any("only one kind of evidence" in n for n in article.notes)
    seen = "“Harbour Lights”: Oren Vast in conversation\n\nHis film Harbour Lights opens today."
    assert parse_source(source(seen), TRUSTING).films == ["Harbour Lights"]


def test_a_director_is_named_only_where_the_page_says_so() -> None:
    credited = "“Harbour Lights”: a conversation\n\nHarbour Lights, directed by Oren Vast, opens."
    assert parse_source(source(credited), TRUSTING).directors == ["Oren Vast"]
    guest = (
        "“Harbour Lights”: a conversation with Oren Vast\n\nThe film Harbour Lights opens "
        "today, and Oren Vast talked to us about it."
    )
    article = parse_source(source(guest), TRUSTING)
    assert article.films == ["Harbour Lights"] and article.directors == []
    assert any("never says they directed" in n for n in article.notes)


def test_no_director_for_a_page_whose_film_is_unclear() -> None:
    career = "Oren Vast looks back\n\nOren Vast, the director, has made films for forty years."
    # a film model sure only of a title the text calls a film: here, of none
    models = replace(
        TRUSTING, film=LinearModel("f", ("pattern",), np.array([6.0]), -3.0, 0.5, True)
    )
    article = parse_source(source(career), models)
    assert article.films == [] and article.directors == []
    assert any("film is not clear" in n for n in article.notes)


def test_cjk_title_marks_in_the_headline_set_the_film_off_as_quotes_do() -> None:
    body = [Block("『冬の港』は冬の港町の物語です。")]
    page = Page("『冬の港』監督インタビュー", body, "", [], [])
    film = title_candidates(page)["冬の港"]
    assert film["title_quoted"] > 0 and film["cjk"] > 0 and corroborated(film)


def test_a_fragment_of_another_title_named_is_left_out() -> None:
    text = (
        "“Harbour Lights: The Keeper” and “Harbour Lights”\n\nHis film Harbour Lights: The "
        "Keeper, and his film Harbour Lights, open today."
    )
    even = LinearModel("film", ("families",), np.array([3.0]), 0.0, 0.5, choice=True)
    article = parse_source(source(text), replace(TRUSTING, film=even))  # both are chosen
    assert article.films == ["Harbour Lights: The Keeper"]
    assert any("part of another title" in n for n in article.notes)


def test_a_word_before_the_chinese_for_director_is_no_director() -> None:
    from indexer.entities.films import director_candidates

    text = "影院舉辦《海燈》放映活動，邀請導演林海和影評人對談。主持人：歡迎林海導演。"
    assert set(director_candidates(text, [], [])) == {"林海"}  # not 邀請, not 歡迎林海
    assert director_candidates("影院邀請導演與觀眾見面。", [], []) == {}


def test_a_job_title_made_with_the_word_for_director_names_no_one() -> None:
    from indexer.entities.films import director_candidates

    text = "映画監督の川村一郎さんに話を聞いた。川村一郎監督の新作は冬の港の物語です。"
    assert set(director_candidates(text, [], [])) == {"川村一郎"}  # not 映画 ("film")
    assert director_candidates("영화감독이 되고 싶었다.", [], []) == {}


@pytest.mark.parametrize(
    "text",
    [
        "‘Harbour Lights’ director to visit Cork\n\nThe director of Harbour Lights will visit "
        "Cork. ‘Harbour Lights’ director Oren Vast said the film Harbour Lights is about the sea.",
        "‘Harbour Lights Tonight’ director to visit Cork for a free screening\n\nThe film "
        "‘Harbour Lights Tonight’ will screen in Cork, and its director, Oren Vast, will attend.",
    ],
)
def test_a_title_the_page_sets_off_is_no_director(text: str) -> None:
    article = parse_source(source(text), TRUSTING)
    assert article.directors == ["Oren Vast"]


@pytest.mark.parametrize(
    "title",
    ["Ann Lee, Artistic Director of Harbour Film Festival", "Ann Lee, Director of Photography"],
)
def test_a_job_title_in_the_headline_credits_no_film(title: str) -> None:
    page = Page(title, [Block("We met Ann Lee by the harbour at night.")], "", ["Ann Lee"], [])
    assert not any(corroborated(f) for f in title_candidates(page).values())


@pytest.mark.parametrize(
    ("span", "body", "recurs"),
    [
        ("Saltwater", "Saltwater took four years. Why Saltwater? It is the sea.", True),
        ("Saltwater", "Saltwater took four years. Why the sea?", False),
        # a name the headline sets apart is no title, however often the body says it
        (
            "Oren Vast",
            "Oren Vast grew up by the sea. Oren Vast paints it. We met Oren Vast.",
            False,
        ),
    ],
)
def test_a_part_of_the_headline_the_body_keeps_naming(span: str, body: str, recurs: bool) -> None:
    page = Page(f"{span} – an interview", [Block(body)], "", [], [])
    film = title_candidates(page)[span]
    assert film["title_recurs"] == float(recurs) and corroborated(film) is recurs
