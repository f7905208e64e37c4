"""A deterministic synthetic corpus of film interviews in the formats `filmsearch` reads.

Articles are plain text or HTML with several speaker-label styles ("Full Name:",
initials, "Q:/A:", bold names, upper-case surnames), drawn from a fixed cast of films,
directors, interviewers and other speakers, with Zipf-distributed words and dates over
six decades. The same seed always writes the same files.
"""

from __future__ import annotations

import html
import itertools
import json
import random
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

SYLLABLES = (
    "ka ren tol mar vi sen lo dra bel fin cor ul ta mi sho per gan li no vas te rul om ki "
    "zan pre du ly sa qui ber mon ne fa go ri hal tem cas vo ni ur pel"
).split()
# Real words seeded at fixed Zipf ranks so the query mix can name them.
ANCHORS = {
    "film": 3,
    "camera": 12,
    "actor": 40,
    "light": 90,
    "story": 160,
    "festival": 400,
    "budget": 900,
    "editing": 2_000,
    "censorship": 6_000,
    "lighthouse": 15_000,
}
FIRST = (
    "Alma Bruno Clara Dario Elena Farid Greta Hugo Ines Jonas Kaia Luca Mara Nadia Oskar "
    "Paula Quentin Rosa Sami Tilda Ugo Vera Walter Xenia Yara Zoltan Agnes Bilal Celine "
    "Dmitri Esther Fabio Gilda Hector Ilse Jorge Kiran Lotte Milo Nora Omar Petra Rafael "
    "Selma Tomas Ulla Victor Wanda Yusuf Zita Anouk Boris Carmen Desmond Edith Felix Hana"
).split()
LAST = (
    "Abbas Bergman Castillo Dorsey Eklund Ferreira Galloway Hoffmann Ibsen Jaworski Kessler "
    "Lindqvist Moreau Nakamura Okafor Petrov Quinlan Rossi Sandoval Takahashi Urban Varga "
    "Whitlock Xu Yilmaz Zeller Almeida Brandt Ciampi Delacroix Esposito Fontaine Gruber "
    "Haddad Iwasaki Jensen Kowalski Lombardi Mendes Novak Olsen Pereira Quiroga Reyes "
    "Schaefer Tanaka Uribe Voss Weber Yamada Zimmer Arslan Bianchi Costa Duval Engel Falk "
    "Gomes Horvat Ivanova"
).split()
PUBLICATIONS = [
    f"{a} {b}"
    for a, b in itertools.product(
        ["Reel", "Cinema", "Frame", "Screen", "Lens", "Projector", "Celluloid", "Montage"],
        ["Notes", "Review", "Quarterly", "Journal", "Weekly"],
    )
]
QA_STYLES = ("names", "qa", "bold", "surname", "initials")


@dataclass
class Cast:
    """Everyone and everything articles are about."""

    films: list[tuple[str, str]]  # (title, director)
    interviewers: list[str]
    people: list[str]
    words: list[str]
    weights: list[float] = field(default_factory=list)


def make_words(rng: random.Random, count: int) -> list[str]:
    """`count` distinct pronounceable words, with the anchor words at their ranks."""
    seen: set[str] = set(ANCHORS)
    words: list[str] = []
    while len(words) < count:
        word = "".join(rng.choice(SYLLABLES) for _ in range(rng.choice((2, 2, 3, 3, 4))))
        if word not in seen:
            seen.add(word)
            words.append(word)
    for word, rank in sorted(ANCHORS.items(), key=lambda kv: kv[1]):
        words.insert(rank, word)
    return words[:count]


def make_cast(seed: int = 7, films: int = 1_200, vocabulary: int = 30_000) -> Cast:
    """The fixed cast: films with directors, interviewers, other speakers and words."""
    rng = random.Random(seed)
    names = [f"{f} {last}" for f, last in itertools.product(FIRST, LAST)]
    rng.shuffle(names)
    words = make_words(rng, vocabulary)
    directors = names[: films * 3 // 4]
    interviewers = names[len(directors) : len(directors) + 300]
    people = names[len(directors) + 300 :]
    titles: set[str] = set()
    film_list = []
    while len(film_list) < films:
        n = rng.choice((1, 2, 2, 3))
        title = " ".join(rng.choice(words[20:3000]).capitalize() for _ in range(n))
        title = ("The " if rng.random() < 0.3 else "") + title
        if title not in titles:
            titles.add(title)
            film_list.append((title, rng.choice(directors)))
    weights = list(itertools.accumulate(1 / (r + 1) ** 1.05 for r in range(len(words))))
    return Cast(film_list, interviewers, people, words, weights)


def sentence(rng: random.Random, cast: Cast, low: int, high: int, end: str = ".") -> str:
    """Zipf-distributed words with a capital and a full stop."""
    n = rng.randint(low, high)
    words = rng.choices(cast.words, cum_weights=cast.weights, k=n)
    return words[0].capitalize() + " " + " ".join(words[1:]) + end


def paragraph(rng: random.Random, cast: Cast, sentences: int) -> str:
    return " ".join(sentence(rng, cast, 6, 18) for _ in range(sentences))


def initials(name: str) -> str:
    return "".join(part[0] for part in name.split()).upper()


@dataclass
class Spec:
    """One article before it is written out."""

    slug: str
    fmt: str
    style: str
    title: str
    film: str
    director: str
    interviewer: str
    guests: list[str]
    publication: str
    date: str
    intro: str
    turns: list[tuple[str, str]]  # (speaker, text); questions by the interviewer


def make_spec(rng: random.Random, cast: Cast, number: int, passages: int) -> Spec:
    """One interview: a film, its director and maybe another guest, a few Q&A rounds."""
    film, director = rng.choice(cast.films)
    guests = [director] + ([rng.choice(cast.people)] if rng.random() < 0.25 else [])
    interviewer = rng.choice(cast.interviewers)
    year = rng.randint(1965, 2025)
    date = f"{year}-{rng.randint(1, 12):02d}-{rng.randint(1, 28):02d}"
    turns: list[tuple[str, str]] = []
    for _ in range(passages):
        turns.append((interviewer, sentence(rng, cast, 8, 22, "?")))
        for guest in guests if rng.random() < 0.2 else [rng.choice(guests)]:
            turns.append((guest, paragraph(rng, cast, rng.randint(2, 8))))
    intro = (
        f"{film} is the new film by {director}. {paragraph(rng, cast, 3)} "
        f"{interviewer} spoke with {' and '.join(guests)} about {film}."
    )
    return Spec(
        slug=f"a{number:06d}",
        fmt="html" if number % 2 else "text",
        style=QA_STYLES[number % len(QA_STYLES)],
        title=f"{director} on {film}",
        film=film,
        director=director,
        interviewer=interviewer,
        guests=guests,
        publication=rng.choice(PUBLICATIONS),
        date=date,
        intro=intro,
        turns=turns,
    )


def label(spec: Spec, speaker: str, index: int) -> str:
    """The label a turn is written with, in the article's style."""
    first_time = all(s != speaker for s, _ in spec.turns[:index])
    if spec.style == "qa":
        return "Q" if speaker == spec.interviewer else "A"
    if spec.style == "surname":
        return speaker.split()[-1].upper()
    if spec.style == "initials" and not first_time:
        return initials(speaker)
    return speaker


def render_text(spec: Spec) -> str:
    lines = [spec.title, "", spec.intro, ""]
    for i, (speaker, text) in enumerate(spec.turns):
        lines += [f"{label(spec, speaker, i)}: {text}", ""]
    lines += ["About the author", "", f"{spec.interviewer} writes about film."]
    return "\n".join(lines) + "\n"


def render_html(spec: Spec) -> str:
    e = html.escape
    body = [f"<h1>{e(spec.title)}</h1>", f'<p class="byline">By {e(spec.interviewer)}</p>']
    body.append(f"<p>{e(spec.intro)}</p>")
    for i, (speaker, text) in enumerate(spec.turns):
        name = e(label(spec, speaker, i))
        if spec.style in ("bold", "names", "initials"):
            body.append(f"<p><strong>{name}:</strong> {e(text)}</p>")
        else:
            body.append(f"<p>{name}: {e(text)}</p>")
    url = f"https://{spec.publication.lower().replace(' ', '')}.example/{spec.slug}/"
    return (
        '<!doctype html>\n<html lang="en"><head><meta charset="utf-8">'
        f"<title>{e(spec.title)} | {e(spec.publication)}</title>"
        f'<meta property="og:title" content="{e(spec.title)}">'
        f'<meta property="og:site_name" content="{e(spec.publication)}">'
        f'<meta property="og:url" content="{url}">'
        f'<meta property="article:published_time" content="{spec.date}T09:00:00Z">'
        f'<meta name="author" content="{e(spec.interviewer)}"></head>\n<body>'
        '<header><nav><a href="/">Home</a> <a href="/reviews">Reviews</a></nav></header>\n'
        "<main><article>\n" + "\n".join(body) + "\n</article></main>\n"
        "<aside><h3>Related</h3><ul><li><a href='/x'>More interviews</a></li></ul></aside>"
        "<footer>© Film journalism</footer></body></html>\n"
    )


def sidecar(spec: Spec) -> dict[str, object]:
    """What the page leaves unclear: films, directors and, for Q/A labels, who is who."""
    data: dict[str, object] = {"films": [spec.film], "directors": [spec.director]}
    if spec.fmt == "text":
        data |= {"publication": spec.publication, "date": spec.date}
    if spec.style == "qa":
        data |= {"interviewers": [spec.interviewer], "interviewees": spec.guests[:1]}
    return data


def generate(
    out: Path, passages: int, seed: int = 7, per_article: tuple[int, int] = (6, 14)
) -> Iterator[Path]:
    """Write articles into `out` until they hold about `passages` Q&A passages."""
    cast = make_cast(seed)
    rng = random.Random(seed + 1)
    out.mkdir(parents=True, exist_ok=True)
    written = 0
    for number in itertools.count(1):
        if written >= passages:
            return
        spec = make_spec(rng, cast, number, min(rng.randint(*per_article), passages - written))
        written += len([s for s, _ in spec.turns if s == spec.interviewer])
        yield write_spec(out, spec)


def write_spec(out: Path, spec: Spec) -> Path:
    """Write one article (and its sidecar) in its format; return the article's path."""
    shard = out / spec.slug[:4]
    shard.mkdir(exist_ok=True)
    if spec.fmt == "html":
        path = shard / f"{spec.slug}.html"
        path.write_text(render_html(spec), encoding="utf-8")
    else:
        path = shard / f"{spec.slug}.txt"
        path.write_text(render_text(spec), encoding="utf-8")
    (shard / f"{spec.slug}.meta.json").write_text(json.dumps(sidecar(spec)), encoding="utf-8")
    return path


def edit_articles(paths: list[Path], fraction: float, seed: int = 11) -> list[Path]:
    """Append a sentence to the last answer of `fraction` of the articles; return them."""
    rng = random.Random(seed)
    chosen = rng.sample(paths, max(1, round(len(paths) * fraction)))
    for path in chosen:
        text = path.read_text(encoding="utf-8")
        marker = "</p>\n</article>" if path.suffix == ".html" else "\n\nAbout the author"
        path.write_text(text.replace(marker, " An added sentence." + marker, 1), "utf-8")
    return chosen
