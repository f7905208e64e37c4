"""Knowledge beyond one page: a film or director other articles chose confidently settles
an article that was unsure between the same candidates. Only a candidate that passed the
page's own checks (`Guess.confirmed`: enough kinds of evidence for a film, the page's word
for a director) is settled so; another article's choice is no evidence of what this page
says.

Runs over the whole corpus after every article is parsed (before names are canonicalised),
and only fills facets that are empty; sidecar and structured values are never touched.
"""

from __future__ import annotations

from collections import Counter

from indexer.model import Article
from indexer.text.names import fold

# A candidate must have at least this score on its own page for the corpus to settle on
# it (measured on the annotated pages, leave-one-outlet-out: below it, candidates that
# merely mention another article's film get chosen).
MIN_OWN_SCORE = 0.10  # on ../shared/realworld as good as 0.15 for precision, finds more
# Only the page's best few candidates are considered.
TOP_CANDIDATES = 3


def agree_across_corpus(articles: list[Article]) -> None:
    """Fill empty film and director facets from what other articles chose confidently."""
    films: Counter[str] = Counter()
    directors: dict[str, Counter[str]] = {}
    for article in articles:
        for film in {fold(f) for f in article.films}:
            films[film] += 1
            directors.setdefault(film, Counter()).update({fold(d) for d in article.directors})
    # Only empty facets are filled, so no article counts its own choice as evidence.
    for article in articles:
        if not article.films:
            for guess in article.film_candidates[:TOP_CANDIDATES]:
                key = fold(guess.value)
                if guess.confirmed and guess.score >= MIN_OWN_SCORE and films[key] > 0:
                    article.films = [guess.value]
                    article.decided_by["films"] = "corpus"
                    article.notes.append(
                        f"film {guess.value!r} (p={guess.score:.2f}) chosen confidently "
                        f"by {films[key]} other article(s) of the corpus"
                    )
                    break
        if article.directors or not article.films:
            continue
        known: Counter[str] = Counter()
        for film in article.films:
            known.update(directors.get(fold(film), Counter()))
        agreed = [
            g.value
            for g in article.director_candidates
            if g.confirmed and known[fold(g.value)] > 0 and g.score >= MIN_OWN_SCORE
        ]
        if agreed:
            article.directors = agreed
            article.decided_by["directors"] = "corpus"
            article.notes.append(
                f"directors {agreed}: other articles about the same film name them"
            )
