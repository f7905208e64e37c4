"""The film catalogue: import, lookup by title in every language, and linking a page's
film candidates to it, precision first (each rule has a case that fails without it)."""

from __future__ import annotations

import gzip
import json
import sqlite3
from collections.abc import Iterator
from pathlib import Path

import pytest
from click.testing import CliRunner

from indexer.cli import cli
from indexer.entities.filmdb import FilmDatabase, person_key, title_key
from indexer.entities.link import confirm, is_common, link_aliases, link_films, person_aliases
from indexer.entities.titles import Page
from indexer.indexing.generation import build_index
from indexer.ingest.wikidata import import_file
from indexer.model import Article, Block, Guess, Source
from indexer.parse import parse_source

FIXTURES = Path(__file__).parent / "fixtures" / "films"


@pytest.fixture(scope="module")
def db() -> Iterator[FilmDatabase]:
    database = FilmDatabase(":memory:")
    import_file(database, FIXTURES / "catalogue.json")
    yield database
    database.close()


def page(text: str, title: str = "An interview") -> Page:
    return Page(title, [Block(p) for p in text.split("\n\n")], "https://example.org/a", [], [])


def guess(value: str, **features: float) -> Guess:
    return Guess(value, 0.9, "", dict(features))


@pytest.mark.parametrize(
    ("written", "key"),
    [
        ("The Commune", "commune"),
        ("the commune (2016)", "commune"),
        ("Commune 2016", "commune"),
        ("Le Voyage de Chihiro", "voyage de chihiro"),
        ("Fast & Furious", "fast and furious"),
        ("Trois Couleurs : Rouge", "trois couleurs rouge"),
        ("Élite", "elite"),
        ("The", "the"),  # an article alone is the title
    ],
)
def test_title_keys_ignore_case_accents_punctuation_articles_and_a_year(
    written: str, key: str
) -> None:
    assert title_key(written) == key


def test_person_keys_ignore_word_order_and_punctuation() -> None:
    assert person_key("Kore-eda Hirokazu") == person_key("Hirokazu KORE–EDA")


@pytest.mark.parametrize("export", ["catalogue.json", "catalogue.csv"])
def test_an_export_imports_titles_per_language_years_kinds_ids_and_directors(
    export: str,
) -> None:
    database = FilmDatabase(":memory:")
    assert import_file(database, FIXTURES / export) == 8
    (film,) = database.homonyms("Die Kommune")
    assert (film.title, film.original, film.year, film.kind) == (
        "The Commune",
        "Kollektivet",
        2016,
        "feature film",
    )
    assert (film.wikidata, film.imdb) == ("Q900007", "tt3082854")
    assert ("de", "Die Kommune") in film.titles
    assert [p.name for p in film.directors] == ["Thomas Vinterberg"]
    assert [f.title for f in database.homonyms("千と千尋の神隠し")] == ["Spirited Away"]
    assert database.homonyms("Spirited Away")[0].kind == "animated film"
    # importing again updates in place
    assert import_file(database, FIXTURES / export) == 8
    assert database.counts() == (8, 8)


def test_homonyms_come_with_their_own_years_and_directors(db: FilmDatabase) -> None:
    films = db.homonyms("still walking")
    assert [(f.year, [p.name for p in f.directors]) for f in films] == [
        (1995, ["Jane Decoy"]),
        (2008, ["Hirokazu Kore-eda"]),
    ]
    kieslowski = db.homonyms("Red")
    assert {f.title for f in kieslowski} == {"Red", "Three Colors: Red"}


def test_bokeh_sampledata_movies_db_imports(tmp_path: Path) -> None:
    path = tmp_path / "movies.db"
    source = sqlite3.connect(path)
    source.execute(
        'CREATE TABLE omdb ("ID" INTEGER, "imdbID" TEXT, "Title" TEXT, "Year" INTEGER, '
        '"Director" TEXT)'
    )
    source.execute("INSERT INTO omdb VALUES (1, 'tt1', 'Lone Star', 1996, 'John Sayles')")
    source.execute("INSERT INTO omdb VALUES (2, 'tt2', 'Two Hands', 1999, 'A One, B Two')")
    source.commit()
    source.close()
    database = FilmDatabase(":memory:")
    assert import_file(database, path) == 2
    (film,) = database.homonyms("Two Hands")
    assert (film.year, film.imdb, [p.name for p in film.directors]) == (
        1999,
        "tt2",
        ["A One", "B Two"],
    )


def test_bokeh_sampledata_package_imports_when_installed() -> None:
    sampledata = pytest.importorskip("bokeh_sampledata")
    path = Path(sampledata.__file__).parent / "_data" / "movies.db"
    if not path.exists():
        pytest.skip("bokeh-sampledata keeps no movies.db here")
    database = FilmDatabase(":memory:")
    assert import_file(database, path) > 17_000
    assert any(f.year == 2013 for f in database.homonyms("Her"))


# --- Linking: each rule confirms on its own, and nothing else does -------------------------

STILL = "Still Walking"  # homonyms: 1995 (a decoy) and 2008 (Kore-eda)


def test_a_title_alone_confirms_nothing(db: FilmDatabase) -> None:
    text = "We talked about Still Walking and the sea."
    assert confirm(guess(STILL), db.homonyms(STILL)[1], page(text), []) is None


@pytest.mark.parametrize("spelling", ["Hirokazu Kore-eda", "KORE-EDA Hirokazu", "Hirokazu Koreeda"])
def test_a_director_named_in_any_catalogue_spelling_confirms(
    db: FilmDatabase, spelling: str
) -> None:
    text = f"We talked about Still Walking with {spelling} at length."
    link = confirm(guess(STILL), db.homonyms(STILL)[1], page(text), [])
    assert link is not None and link.cues == ["director named"]
    assert [p.name for p in link.directors] == ["Hirokazu Kore-eda"]
    # the decoy of the same title has another director, not named here
    assert confirm(guess(STILL), db.homonyms(STILL)[0], page(text), []) is None


def test_the_interviewee_being_its_director_confirms(db: FilmDatabase) -> None:
    text = "Q: How did Still Walking begin?\n\nA: With my mother."
    film = db.homonyms(STILL)[1]
    assert confirm(guess(STILL), film, page(text), []) is None
    link = confirm(guess(STILL), film, page(text), ["Kore-eda Hirokazu"])
    assert link is not None and link.cues == ["interviewee directed it"]


def test_the_release_year_printed_confirms_and_tells_homonyms_apart(db: FilmDatabase) -> None:
    text = "Still Walking, released in 2008, is about a family."
    link, _ = link_films([guess(STILL)], page(text), [], db)
    assert link is not None and (link.film.year, link.cues) == (2008, ["year"])


def test_a_title_cue_confirms_a_title_of_several_words(db: FilmDatabase) -> None:
    text = "We talked about Still Walking and the sea."
    link = confirm(guess(STILL, italic=1.0), db.homonyms(STILL)[1], page(text), [])
    assert link is not None and link.cues == ["title cue"]


def test_equally_confirmed_homonyms_link_to_neither(db: FilmDatabase) -> None:
    text = "We talked about Still Walking and the sea."
    link, notes = link_films([guess(STILL, quoted=1.0)], page(text), [], db)
    assert link is None and "2 homonyms equally confirmed" in notes[0]


def test_a_single_word_title_needs_two_cues(db: FilmDatabase) -> None:
    text = "Nichols made Wolf with Jack Nicholson."
    wolf = db.homonyms("Wolf")[0]
    assert confirm(guess("Wolf", italic=1.0), wolf, page(text), []) is None
    with_year = page(text + "\n\nIt opened in 1994.")
    link = confirm(guess("Wolf", italic=1.0), wolf, with_year, [])
    assert link is not None and link.cues == ["year", "title cue"]


def test_a_title_of_common_words_needs_two_cues(db: FilmDatabase) -> None:
    text = "I was still walking when she called. We discussed Still Walking."
    assert is_common(STILL, page(text))
    assert not is_common(STILL, page("We discussed Still Walking."))
    film = db.homonyms(STILL)[1]
    assert confirm(guess(STILL, italic=1.0), film, page(text), []) is None
    both = page(text + "\n\nHirokazu Kore-eda smiled.")
    link = confirm(guess(STILL, italic=1.0), film, both, [])
    assert link is not None and link.cues == ["director named", "title cue"]


def test_a_link_makes_the_page_spelling_and_original_title_aliases(db: FilmDatabase) -> None:
    text = "Thomas Vinterberg on Die Kommune, his film of 2016."
    link, _ = link_films([guess("Die Kommune", quoted=1.0)], page(text), [], db)
    assert link is not None
    aliases = link_aliases(link)
    assert aliases["Die Kommune"] == "The Commune"
    assert aliases["Kollektivet"] == "The Commune"


def test_catalogue_spellings_of_one_person_join_into_one_name(db: FilmDatabase) -> None:
    names = ["Kore-eda Hirokazu", "Hirokazu Koreeda", "KORE–EDA Hirokazu", "Jane Smith"]
    assert person_aliases(names, db) == {
        "Kore-eda Hirokazu": "Hirokazu Kore-eda",
        "Hirokazu Koreeda": "Hirokazu Kore-eda",
        "KORE–EDA Hirokazu": "Hirokazu Kore-eda",
    }


# --- The commands ------------------------------------------------------------------------


def test_films_import_and_search_from_the_command_line(tmp_path: Path) -> None:
    catalogue = tmp_path / "films.db"
    runner = CliRunner()
    result = runner.invoke(
        cli, ["films", "import", str(FIXTURES / "catalogue.json"), "--catalogue", str(catalogue)]
    )
    assert result.exit_code == 0, result.output
    assert "8 films and 8 people" in result.output
    result = runner.invoke(
        cli, ["films", "search", "Still Walking"], env={"FILMSEARCH_CATALOGUE": str(catalogue)}
    )
    assert result.exit_code == 0, result.output
    assert "Still Walking (1995)" in result.output and "Still Walking (2008)" in result.output
    assert "Jane Decoy" in result.output and "歩いても" in result.output
    result = runner.invoke(
        cli, ["films", "search", "Hirokazu Koreeda", "--catalogue", str(catalogue)]
    )
    assert "Still Walking (2008)" in result.output and "(1995)" not in result.output
    result = runner.invoke(cli, ["films", "search", "Nothing Here", "--catalogue", str(catalogue)])
    assert result.exit_code != 0 and "no film titled" in result.output


def test_the_catalogue_setting_is_beside_the_index_by_default(tmp_path: Path) -> None:
    runner = CliRunner()
    index_dir = tmp_path / "index"
    result = runner.invoke(
        cli, ["films", "import", str(FIXTURES / "catalogue.csv"), "--index", str(index_dir)]
    )
    assert result.exit_code == 0, result.output
    assert (tmp_path / "films.db").is_file()
    result = runner.invoke(cli, ["films", "search", "Wolf", "--index", str(index_dir)])
    assert "Wolf (1994)" in result.output and "Wolf (2013)" in result.output
    missing = runner.invoke(cli, ["films", "search", "Wolf", "--catalogue", str(tmp_path / "x")])
    assert missing.exit_code != 0 and "no film catalogue" in missing.output


# --- Through the parser ------------------------------------------------------------------

INTERVIEW = """Thomas Vinterberg on ‘Die Kommune’

The Danish director talks about his film Die Kommune, which opens this week.

Q: Where did Die Kommune come from?

Thomas Vinterberg: I grew up in a commune. My father lived there with many friends.

Q: Was it hard to cast?

Thomas Vinterberg: Not at all. Everyone wanted to live in that house again.
"""


def parsed(text: str, filmdb: FilmDatabase | None) -> Article:
    url = "https://example.org/interviews/a-director-on-his-film"
    source = Source(Path("a.txt"), "a", "text", text, "utf-8", {"url": url})
    return parse_source(source, filmdb=filmdb)


def test_a_confirmed_film_shows_the_catalogue_title_and_directors(db: FilmDatabase) -> None:
    alone = parsed(INTERVIEW, None)
    assert alone.films == ["Die Kommune"]
    article = parsed(INTERVIEW, db)
    assert article.films == ["The Commune"]
    assert article.directors == ["Thomas Vinterberg"]
    assert article.decided_by == {"films": "catalogue", "directors": "catalogue"}
    assert article.aliases["Die Kommune"] == "The Commune"
    assert article.aliases["Kollektivet"] == "The Commune"


def test_an_unconfirmed_catalogue_film_stays_a_guess(db: FilmDatabase) -> None:
    text = INTERVIEW.replace("Die Kommune", "Still Walking").replace("Thomas Vinterberg", "Ann Ex")
    alone = parsed(text, None)
    assert alone.films == ["Still Walking"]  # the model alone names it
    article = parsed(text, db)  # two homonyms the page supports equally: neither
    # no film, and no director of either homonym: only what the page itself says
    assert article.films == [] and article.directors == alone.directors
    assert article.film_candidates[0].value == "Still Walking"
    assert "film_candidates" in article.to_json()
    # printing its year tells the homonyms apart
    dated = parsed(text.replace("opens this week", "opened in 2008"), db)
    assert dated.films == ["Still Walking"] and dated.decided_by["films"] == "catalogue"


def test_an_index_records_its_catalogue_and_an_update_reparses_when_it_changes(
    tmp_path: Path,
) -> None:
    corpus = tmp_path / "corpus"
    corpus.mkdir()
    (corpus / "kommune.txt").write_text(INTERVIEW, encoding="utf-8")
    (corpus / "kommune.meta.json").write_text('{"url": "https://example.org/i/kommune"}')
    catalogue = tmp_path / "films.db"
    made = FilmDatabase(catalogue)
    import_file(made, FIXTURES / "catalogue.csv")
    made.close()
    root = tmp_path / "index"
    first = build_index(corpus, root, jobs=1, catalogue=catalogue)
    assert first.parsed == 1
    assert build_index(corpus, root, jobs=1, update=True, catalogue=catalogue).parsed == 0
    # another catalogue, or none, is another parse
    assert build_index(corpus, root, jobs=1, update=True).parsed == 1
    assert build_index(corpus, root, jobs=1, update=True, catalogue=catalogue).parsed == 1
    changed = FilmDatabase(catalogue)
    changed.add_person("Q1", "Someone Else", [])
    changed.db.commit()
    changed.close()
    assert build_index(corpus, root, jobs=1, update=True, catalogue=catalogue).parsed == 1
    result = CliRunner().invoke(
        cli,
        ["inspect", "--json", str(corpus / "kommune.txt"), "--corpus", str(corpus)],
        env={"FILMSEARCH_CATALOGUE": str(catalogue)},
    )
    assert result.exit_code == 0, result.output
    assert json.loads(result.output)["films"] == ["The Commune"]


def test_imdb_datasets_import_with_their_licence_said(tmp_path: Path) -> None:
    files = {
        "title.basics.tsv.gz": [
            "tconst\ttitleType\tprimaryTitle\toriginalTitle\tisAdult\tstartYear\tendYear\t"
            "runtimeMinutes\tgenres",
            "tt1\tmovie\tStill Walking\tAruitemo aruitemo\t0\t2008\t\\N\t115\tDrama",
            "tt2\ttvSeries\tWolf\tWolf\t0\t2020\t\\N\t\\N\tDrama",
            'tt3\tshort\t"Red" Shoes\t"Red" Shoes\t0\t\\N\t\\N\t\\N\t\\N',
        ],
        "title.crew.tsv": ["tconst\tdirectors\twriters", "tt1\tnm1\tnm1", "tt2\tnm2\t\\N"],
        "name.basics.tsv": [
            "nconst\tprimaryName\tbirthYear\tdeathYear\tprimaryProfession\tknownForTitles",
            "nm1\tHirokazu Koreeda\t1962\t\\N\tdirector\ttt1",
            "nm2\tSomeone\t\\N\t\\N\t\\N\t\\N",
        ],
        "title.akas.tsv": [
            "titleId\tordering\ttitle\tregion\tlanguage\ttypes\tattributes\tisOriginalTitle",
            "tt1\t1\t歩いても 歩いても\tJP\tja\t\\N\t\\N\t0",
            "tt1\t2\tStill Walking\tFR\t\\N\t\\N\t\\N\t0",
        ],
    }
    paths = []
    for name, lines in files.items():
        path = tmp_path / name
        data = ("\n".join(lines) + "\n").encode()
        path.write_bytes(gzip.compress(data) if name.endswith(".gz") else data)
        paths.append(str(path))
    catalogue = tmp_path / "films.db"
    runner = CliRunner()
    result = runner.invoke(cli, ["films", "import", *paths, "--catalogue", str(catalogue)])
    assert result.exit_code == 0, result.output
    assert "personal and non-commercial use" in result.output
    database = FilmDatabase(catalogue)
    (film,) = database.homonyms("歩いても 歩いても")
    assert (film.title, film.original, film.year, film.imdb) == (
        "Still Walking",
        "Aruitemo aruitemo",
        2008,
        "tt1",
    )
    assert [p.name for p in film.directors] == ["Hirokazu Koreeda"]
    assert database.homonyms("Wolf") == []  # a series is no film
    assert database.homonyms('"Red" Shoes')[0].kind == "short film"
    database.close()
    lone = runner.invoke(cli, ["films", "import", paths[1], "--catalogue", str(catalogue)])
    assert lone.exit_code != 0 and "title.basics" in lone.output
