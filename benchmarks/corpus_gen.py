"""Write a synthetic corpus of plain-text interviews with sidecars, for tests and benchmarks."""

from __future__ import annotations

import json
import random
from pathlib import Path

WORDS = (
    "camera light night censorship music score editing festival actor script budget "
    "producer documentary memory colour red silence city river war family archive "
    "interview freedom border exile studio rehearsal montage frame lens sound dream "
    "childhood painting piano ocean desert train letter prison village harvest winter"
).split()
FIRST = "Mara Ode Jonas Ines Bijan Alison Lena Tomas Yuki Amir Sofia Pavel".split()
LAST = "Velde Farrow Pike Almodovar Tehrani Klayman Okafor Lindqvist Sato Haddad".split()
PUBLICATIONS = ["Reel Notes", "Cine Diario", "Frame Weekly", "The Projector", "Lens & Light"]


def _sentence(rng: random.Random, words: int) -> str:
    text = " ".join(rng.choice(WORDS) for _ in range(words))
    return text[0].upper() + text[1:]


def _person(rng: random.Random) -> str:
    return f"{rng.choice(FIRST)} {rng.choice(LAST)}"


def write_article(directory: Path, n: int, rng: random.Random, extra: str = "") -> Path:
    """One interview `interview-<n>.txt` with its `.meta.json` sidecar."""
    asker, director = _person(rng), _person(rng)
    while director == asker:
        director = _person(rng)
    film = f"The {rng.choice(WORDS).title()} {rng.choice(WORDS).title()}"
    lines = [f"Talking {film}", "", _sentence(rng, 40) + ".", ""]
    for _ in range(rng.randint(4, 10)):
        lines.append(f"{asker}: {_sentence(rng, rng.randint(6, 14))}?")
        lines.append(f"{director}: {_sentence(rng, rng.randint(30, 90))}. {extra}".rstrip())
    path = directory / f"interview-{n:05d}.txt"
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    sidecar = {
        "url": f"https://example.org/interviews/{n}",
        "publication": rng.choice(PUBLICATIONS),
        "date": f"{rng.randint(1995, 2024)}-{rng.randint(1, 12):02d}-{rng.randint(1, 28):02d}",
        "films": [film],
        "directors": [director],
        "interviewers": [asker],
        "interviewees": [director],
    }
    path.with_name(path.stem + ".meta.json").write_text(json.dumps(sidecar), encoding="utf-8")
    return path


def write_corpus(directory: Path, count: int, seed: int = 0, extra: str = "") -> list[Path]:
    """Write `count` interviews into `directory`; `extra` is appended to every answer."""
    directory.mkdir(parents=True, exist_ok=True)
    rng = random.Random(seed)
    return [write_article(directory, n, rng, extra) for n in range(count)]
