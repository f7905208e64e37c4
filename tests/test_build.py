"""Building the index from a corpus: the CLI summary, skipped files, exit status."""

from __future__ import annotations

from pathlib import Path

from click.testing import CliRunner

from indexer.cli import cli
from indexer.indexing.generation import build_index
from indexer.schema import current_generation

SEED = Path(__file__).resolve().parent.parent / "corpus"


def test_index_builds_the_seed_corpus(tmp_path: Path) -> None:
    result = CliRunner().invoke(cli, ["index", "--corpus", str(SEED), "--index", str(tmp_path)])
    assert result.exit_code == 0, result.output
    assert "from 1 articles" in result.output
    generation = current_generation(tmp_path)
    assert generation is not None and generation.name.startswith("gen-")


DIARY = (
    "<html><head><title>Festival diary</title></head><body><article><h1>Festival diary</h1>"
    "<p>On Friday I saw <i>Blue Hour</i> (2021), <i>Grey Tide</i> (2019), <i>Red Sky</i> "
    "(2018) and <i>Salt Road</i> (2020), back to back, in the small hall by the harbour.</p>"
    "<p>The sea was everywhere that week, in every film and in every conversation after.</p>"
    "</article></body></html>"
)
INTERVIEW = (
    Path(__file__).parent / "fixtures" / "articles" / "credited-documentary.txt"
).read_text("utf-8")


def films_by_article(index_root: Path) -> dict[str, set[str]]:
    from whoosh import index

    generation = current_generation(index_root)
    assert generation is not None
    with index.open_dir(str(generation)).searcher() as searcher:
        found: dict[str, set[str]] = {}
        for fields in searcher.all_stored_fields():
            found.setdefault(fields["article_id"], set()).update(fields.get("film_f") or [])
        return found


def test_a_build_settles_unsure_films_by_the_corpus_and_the_film_list(tmp_path: Path) -> None:
    corpus = tmp_path / "corpus"
    corpus.mkdir()
    (corpus / "diary.html").write_text(DIARY, "utf-8")
    (corpus / "velde.txt").write_text(INTERVIEW, "utf-8")
    build_index(corpus, tmp_path / "index", jobs=1)
    # The interview names its film confidently; the diary, unsure between four films it
    # calls films, follows it.
    assert films_by_article(tmp_path / "index") == {"diary": {"Blue Hour"}, "velde": {"Blue Hour"}}
    (corpus / "films.csv").write_text("title,directors\nGrey Tide,Ivo Strand\n", "utf-8")
    build_index(corpus, tmp_path / "index", jobs=1, update=True)
    assert films_by_article(tmp_path / "index")["diary"] == {"Grey Tide"}
