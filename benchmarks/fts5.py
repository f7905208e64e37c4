"""SQLite FTS5 doing our request's work: bm25 top 10, snippets, disjunctive facet counts."""

from __future__ import annotations

import sqlite3
from collections.abc import Iterable
from pathlib import Path
from typing import Any

from indexer.schema import FACETS

from .corpus import QUERY_ONLY, TEXT, Passage
from .queries import Search

COLUMNS = (*TEXT, *QUERY_ONLY)
# bm25 weights: title 1.5, question and answer 1, field-query columns not ranked
WEIGHTS = ", ".join(["1.5", "1.0", "1.0"] + ["0.0"] * len(QUERY_ONLY))


class Fts5:
    """An FTS5 table of passages plus a (doc, facet, value) table for counting."""

    name = "SQLite FTS5"

    def __init__(self, path: Path, facet_limit: int = 10) -> None:
        self.path = path
        self.facet_limit = facet_limit
        self.db = sqlite3.connect(path, check_same_thread=False)

    def build(self, passages: Iterable[Passage]) -> int:
        """Index `passages`; return how many."""
        db = self.db
        db.executescript(
            f"""
            PRAGMA journal_mode = OFF; PRAGMA synchronous = OFF;
            CREATE VIRTUAL TABLE p USING fts5({", ".join(COLUMNS)},
                tokenize = 'porter unicode61 remove_diacritics 2');
            CREATE TABLE f (doc INTEGER, facet TEXT, value TEXT);
            CREATE TABLE d (doc INTEGER PRIMARY KEY, pid TEXT, date INTEGER);
            """
        )
        count = 0
        for doc, passage in enumerate(passages, 1):
            db.execute(
                f"INSERT INTO p (rowid, {', '.join(COLUMNS)}) VALUES (?{', ?' * len(COLUMNS)})",
                (doc, *(passage.text[c] for c in COLUMNS)),
            )
            db.executemany(
                "INSERT INTO f VALUES (?, ?, ?)",
                [(doc, name, v) for name, values in passage.facets.items() for v in values],
            )
            db.execute("INSERT INTO d VALUES (?, ?, ?)", (doc, passage.pid, passage.date))
            count += 1
        db.executescript(
            "CREATE INDEX f_value ON f (facet, value, doc); CREATE INDEX f_doc ON f (doc, facet);"
            "INSERT INTO p(p) VALUES ('optimize'); ANALYZE;"
        )
        db.commit()
        return count

    def match(self, search: Search) -> str:
        """Our query in FTS5 syntax, over the same columns."""
        cols = "{title question answer}"
        t = search.terms
        if search.op == "or":
            return f"{cols} : ({t[0]} OR {t[1]})"
        if search.op == "phrase":
            return f'{cols} : "{" ".join(t)}"'
        if search.op == "prefix":
            return f"{cols} : {t[0]}*"
        if search.op == "field":
            return f"{search.field} : {t[0]}"
        return f"{cols} : ({' '.join(t)})"

    def search(self, search: Search) -> dict[str, Any]:
        """Top 10 with snippets, the total, and every facet's disjunctive counts."""
        db = self.db
        db.execute("DROP TABLE IF EXISTS temp.m")
        if search.op == "all":
            db.execute("CREATE TEMP TABLE m AS SELECT doc FROM d")
        else:
            db.execute(
                "CREATE TEMP TABLE m AS SELECT rowid AS doc FROM p WHERE p MATCH ?",
                (self.match(search),),
            )
        clauses = {
            name: (
                f"doc IN (SELECT doc FROM f WHERE facet = ? AND value IN "
                f"({', '.join('?' * len(values))}))",
                [name, *values],
            )
            for name, values in search.filters.items()
        }
        where = " AND ".join(c for c, _ in clauses.values()) or "1"
        args = [a for _, params in clauses.values() for a in params]
        total = db.execute(f"SELECT count(*) FROM m WHERE {where}", args).fetchone()[0]
        if search.op == "all":
            hits = db.execute(
                f"SELECT d.pid, substr(p.answer, 1, 200) FROM m JOIN d USING (doc) "
                f"JOIN p ON p.rowid = m.doc WHERE {where} ORDER BY doc LIMIT 10",
                args,
            ).fetchall()
        else:
            # rank first, then make snippets for the ten shown rows only
            restrict = f"AND rowid IN (SELECT doc FROM m WHERE {where})" if clauses else ""
            hits = db.execute(
                f"WITH top AS (SELECT rowid AS doc, bm25(p, {WEIGHTS}) AS score FROM p "
                f"WHERE p MATCH ?1 {restrict} ORDER BY score LIMIT 10) "
                f"SELECT d.pid, snippet(p, 1, '<mark>', '</mark>', ' … ', 24), "
                f"snippet(p, 2, '<mark>', '</mark>', ' … ', 48) "
                f"FROM top JOIN p ON p.rowid = top.doc JOIN d ON d.doc = top.doc "
                f"WHERE p MATCH ?1 ORDER BY top.score",
                [self.match(search), *args],
            ).fetchall()
        facets = {}
        for name in FACETS:
            others = [(c, p) for other, (c, p) in clauses.items() if other != name]
            sub = " AND ".join(c.replace("doc IN", "m.doc IN") for c, _ in others) or "1"
            rows = db.execute(
                f"SELECT value, count(*) AS c FROM m JOIN f ON f.doc = m.doc "
                f"WHERE f.facet = ? AND {sub} GROUP BY value ORDER BY c DESC, value LIMIT ?",
                [name, *(a for _, p in others for a in p), self.facet_limit],
            ).fetchall()
            facets[name] = rows
        return {"total": total, "hits": hits, "facets": facets}

    def close(self) -> None:
        self.db.close()
