"""The JSON API described as an OpenAPI 3 document, served at /api/openapi.json."""

from __future__ import annotations

from typing import Any

from indexer.schema import FACET_TABLE, FACETS

from .paging import GROUPS, SORTS

JSON = dict[str, Any]


def _obj(description: str, **properties: JSON) -> JSON:
    return {
        "type": "object",
        "description": description,
        "properties": properties,
        "required": list(properties),
    }


def _str(description: str, nullable: bool = False) -> JSON:
    return {"type": ["string", "null"] if nullable else "string", "description": description}


def _int(description: str) -> JSON:
    return {"type": "integer", "description": description}


def _list(items: JSON, description: str) -> JSON:
    return {"type": "array", "items": items, "description": description}


def _param(name: str, description: str, schema: JSON, where: str = "query") -> JSON:
    return {
        "name": name,
        "in": where,
        "required": where == "path",
        "description": description,
        "schema": schema,
    }


def _get(summary: str, params: list[JSON], schema: JSON, twin: str = "") -> JSON:
    responses: JSON = {
        "200": {"description": "OK", "content": {"application/json": {"schema": schema}}},
        "4XX": {
            "description": "A problem with the request, in a plain sentence.",
            "content": {"application/json": {"schema": {"$ref": "#/components/schemas/Error"}}},
        },
    }
    op = {"summary": summary, "parameters": params, "responses": responses}
    if twin:
        op["description"] = f"The JSON twin of the HTML page `{twin}`."
    return {"get": op}


STRINGS = _list({"type": "string"}, "Names.")
TURN = _obj(
    "One speaker's uninterrupted speech.",
    speaker=_str("Canonical full name."),
    label=_str("The label as written in the article, e.g. BT."),
    role=_str("interviewer or interviewee."),
    text=_str("What was said."),
)
HIT = _obj(
    "One passage in the results.",
    pid=_str("Passage id: <article_id>#<anchor>."),
    article_id=_str("The article's stable id."),
    anchor=_str("The passage's anchor in its article (q1, q2, intro, p1...)."),
    kind=_str("qa, intro or narrative."),
    title=_str("Article title."),
    url=_str("Original URL of the article."),
    publication=_str("Publication name."),
    date=_str("Publication date, YYYY-MM-DD, or empty."),
    films=STRINGS,
    directors=STRINGS,
    speakers=STRINGS,
    askers=_list({"type": "string"}, "Who asked the question."),
    answerers=_list({"type": "string"}, "Who answered."),
    question=_str("The question, plain text."),
    answer=_str("The answer, plain text."),
    question_html=_str("The question, escaped HTML with query words in <mark>."),
    answer_html=_str("The best fragments of the answer, escaped HTML with <mark>."),
    speaks=_str("Who speaks: answers (an interviewee answers), questions or intros."),
    score={"type": ["number", "null"], "description": "Relevance score (null when sorted)."},
    matches=_int("Matching passages of this article (1 unless grouped by article)."),
    more=_list(
        {"type": "object", "description": "A passage with the same fields as this one."},
        "Grouped by article: the article's other matching passages, in reading order.",
    ),
    permalink=_str("Absolute URL of the passage on this server."),
    source_link=_str("The original page with a #:~:text= fragment, or empty."),
)
FACET_VALUE = _obj(
    "One facet value.",
    value=_str("The value as written."),
    count=_int("Passages it would give, with the other facets' filters applied."),
    selected={"type": "boolean", "description": "Whether it is in the filters."},
)
SEARCH = _obj(
    "One page of results with facet counts.",
    ok={"type": "boolean", "description": "Always true."},
    q=_str("The query as given."),
    filters={"type": "object", "description": "Applied filters: facet -> values."},
    sort=_str("relevance, newest or oldest."),
    group=_str("article (one result per interview) or passage."),
    groups=_int("Number of interviews with a matching passage (0 unless grouped)."),
    page=_int("This page (from 1)."),
    pages=_int("Number of pages."),
    page_size=_int("Results per page."),
    total=_int("Number of matching passages."),
    notice=_str("What was changed to read a query with a syntax slip, or empty."),
    did_you_mean=_str(
        "The query with misspellings corrected, or with no results the name of a person or "
        "film close to it; or null.",
        nullable=True,
    ),
    closest=_list(
        {"type": "object", "description": "kind (people or films), name and url."},
        "With no results: people and films whose names are close to the query.",
    ),
    stop_words=_list({"type": "string"}, "With no results: words too common to search."),
    results=_list(HIT, "The passages of this page (grouped: each interview's best one)."),
    facets={
        "type": "object",
        "description": "Facet name -> top values (every value of the one named by `more`).",
        "additionalProperties": _list(FACET_VALUE, "Values, most passages first."),
    },
    facets_more={
        "type": "object",
        "description": "Facet name -> whether values exist beyond those listed.",
        "additionalProperties": {"type": "boolean"},
    },
)
ASKED = _obj(
    "A passage asking a question also asked in another interview, and its answer.",
    article_id=_str("The article's stable id."),
    anchor=_str("Anchor (q1, q2...)."),
    title=_str("The article's headline."),
    publication=_str("Where it appeared."),
    date=_str("When (YYYY-MM-DD), or empty."),
    films=STRINGS,
    speakers=STRINGS,
    answerers=_list({"type": "string"}, "Who answers."),
    question=_str("The question as asked there."),
    answer=_str("The answer."),
    permalink=_str("The passage on this server."),
)
ELSEWHERE = {
    **ASKED,
    "properties": {
        **ASKED["properties"],
        "similarity": {"type": "number", "description": "Cosine of the two questions (0-1)."},
    },
    "required": [*ASKED["required"], "similarity"],
}
COPY = _obj(
    "Another copy of the same interview (near-duplicate text under another name).",
    id=_str("Article id."),
    title=_str("Title."),
    publication=_str("Publication."),
    source=_str("Its file in the corpus."),
    url=_str("Original URL."),
    counted={"type": "boolean", "description": "Whether this copy is the one counted."},
)
PASSAGE = _obj(
    "One passage of an article.",
    anchor=_str("Anchor (q1, intro, p1...)."),
    kind=_str("qa, intro or narrative."),
    question=_str("The question."),
    answer=_str("The answer."),
    speakers=STRINGS,
    turns=_list(TURN, "Speaker turns."),
    citations={
        "type": "object",
        "description": "The passage cited in the chicago, mla and apa styles.",
        "additionalProperties": {"type": "string"},
    },
    elsewhere=_list(ELSEWHERE, "Other interviews' answers to the same question, most alike first."),
)
ENTRY = _obj(
    "A film or a person.",
    name=_str("The name."),
    passages=_int("Passages about the film, or in which the person speaks."),
    interviews=_int("Interviews about the film, or in which the person has a role."),
    years=_str("First and last year of those interviews (2008–2019), or empty."),
    roles={
        "type": "object",
        "description": "A person's roles (director, interviewee, interviewer) -> interviews.",
        "additionalProperties": {"type": "integer"},
    },
    directors=_list({"type": "string"}, "A film's directors."),
    url=_str("Its browse page."),
    search_url=_str("A search filtered to it."),
)
APPEARANCE = _obj(
    "An interview a person has a role in.",
    id=_str("Article id."),
    title=_str("Title."),
    publication=_str("Publication."),
    date=_str("Date."),
    films=STRINGS,
    roles=_list({"type": "string"}, "director, interviewee and/or interviewer."),
    article_url=_str("The article page on this server."),
)
BRIEF = _obj(
    "A passage on a browse page.",
    anchor=_str("Anchor."),
    kind=_str("qa, intro or narrative."),
    question=_str("The question."),
    answer=_str("The answer."),
    speakers=STRINGS,
    permalink=_str("URL of the passage."),
)
GROUP = _obj(
    "An article and its passages.",
    id=_str("Article id."),
    title=_str("Title."),
    publication=_str("Publication."),
    date=_str("Date."),
    url=_str("Original URL."),
    films=STRINGS,
    directors=STRINGS,
    article_url=_str("The article page on this server."),
    passages=_list(BRIEF, "Its passages, in order."),
)
NEWEST = _obj(
    "An interview.",
    id=_str("Article id."),
    title=_str("Title."),
    publication=_str("Publication."),
    date=_str("Date."),
    films=STRINGS,
    directors=STRINGS,
    article_url=_str("The article page on this server."),
)
EXPORT_COLUMNS = (
    "pid, article_id, anchor, kind, speaks, title, publication, date, films, directors, "
    "speakers, interviewers, askers, answerers, question, answer, url (http(s) only, else "
    "empty), permalink, citation (Chicago), score"
)


def export_op(mimetype: str, what: str, params: list[JSON]) -> JSON:
    """A streamed export of every passage of a search."""
    return {
        "get": {
            "summary": f"Every passage of a search as {what}",
            "description": (
                f"Columns: {EXPORT_COLUMNS}. In CSV, lists are joined with '; ' and a cell "
                "starting with =, +, -, @, tab or carriage return is prefixed with an "
                "apostrophe. Headers: X-Total-Count (passages found), X-Exported-Count."
            ),
            "parameters": params,
            "responses": {
                "200": {"description": "OK", "content": {mimetype: {"schema": {"type": "string"}}}},
                "4XX": {
                    "description": "A problem with the request, in a plain sentence.",
                    "content": {
                        "application/json": {"schema": {"$ref": "#/components/schemas/Error"}}
                    },
                },
            },
        }
    }


KIND = _param("kind", "films or people.", {"type": "string", "enum": ["films", "people"]}, "path")


def document(server: str) -> JSON:
    """The OpenAPI document for a server at `server` (its root URL)."""
    facet_params = [
        _param(
            f.name,
            f"Only passages with this {f.label.lower()}: {f.help} (repeatable: any of them).",
            STRINGS,
        )
        for f in FACET_TABLE
    ]
    search_params = [
        _param("q", "Query text; see the README's query syntax.", {"type": "string"}),
        *facet_params,
        _param("page", "Page number, from 1.", {"type": "integer", "minimum": 1}),
        _param("size", "Results per page.", {"type": "integer", "enum": [10, 20, 50]}),
        _param("sort", "Order of results.", {"type": "string", "enum": list(SORTS)}),
        _param(
            "group",
            "article: one result per interview (the default), paged by interview; "
            "passage: every passage.",
            {"type": "string", "enum": list(GROUPS)},
        ),
        _param("more", "List every value of this facet.", {"type": "string", "enum": [*FACETS]}),
        _param("within", "Keep values of the `more` facet containing this.", {"type": "string"}),
    ]
    export_params = [
        search_params[0],
        *facet_params,
        _param("sort", "Order of results.", {"type": "string", "enum": list(SORTS)}),
        _param(
            "limit",
            "Most passages to export (1 to EXPORT_LIMIT, which is also the default).",
            {"type": "integer", "minimum": 1},
        ),
    ]
    article = _obj(
        "An article with its passages, as `filmsearch inspect --json` prints it.",
        id=_str("Stable id."),
        title=_str("Title."),
        url=_str("Original URL."),
        publication=_str("Publication."),
        date=_str("Date."),
        captured=_str("When a web archive captured the page (ISO 8601 UTC), or empty."),
        fetched=_str("When the page was fetched from the web (ISO 8601 UTC), or empty."),
        archive=_str("The web archive file an imported page came from, or empty."),
        wayback=_str("The capture's Wayback Machine address, when it came from there, or empty."),
        passages=_list(PASSAGE, "Passages in order."),
        turns=_list(TURN, "Every turn in order."),
        counted={
            "type": "boolean",
            "description": "False when this is another copy of an interview saved more than "
            "once: it is left out of searches and counts, and the copy counted is in `copies`.",
        },
        copies=_list(COPY, "The other copies of this interview, when it was saved more than once."),
    )
    article["required"] = ["id", "passages", "turns"]
    article["additionalProperties"] = True
    paths = {
        "/api/search": _get("Search passages", search_params, SEARCH, "/search"),
        "/api/search.csv": export_op("text/csv", "CSV with a header row", export_params),
        "/api/search.jsonl": export_op(
            "application/x-ndjson", "JSON Lines: one passage object a line", export_params
        ),
        "/api/home": _get(
            "What the collection holds",
            [],
            _obj(
                "Counts, example queries and the newest interviews.",
                ok={"type": "boolean", "description": "Always true."},
                counts={
                    "type": "object",
                    "description": "interviews, passages, outlets, films, people.",
                    "additionalProperties": {"type": "integer"},
                },
                years=_str("First and last year of publication, or empty."),
                examples=_list({"type": "object"}, "Example searches: q, passages, url."),
                film={"type": ["object", "null"], "description": "The most discussed film."},
                person={"type": ["object", "null"], "description": "Who answers most."},
                newest=_list(NEWEST, "The newest interviews."),
            ),
            "/",
        ),
        "/api/articles/{article_id}": _get(
            "One article",
            [_param("article_id", "Article id.", {"type": "string"}, "path")],
            article,
            "/a/{article_id}",
        ),
        "/api/{kind}": _get(
            "Every film or person, A to Z",
            [KIND, _param("filter", "Only names containing this.", {"type": "string"})],
            _obj(
                "A listing.",
                ok={"type": "boolean", "description": "Always true."},
                kind=_str("films or people."),
                filter=_str("The text names were filtered by, or empty."),
                total=_int("Number of entries."),
                entries=_list(ENTRY, "Entries, A to Z."),
            ),
            "/{kind}",
        ),
        "/api/{kind}/{name}": _get(
            "One film or person, with their passages by article",
            [KIND, _param("name", "Film title or person's name.", {"type": "string"}, "path")],
            {
                **ENTRY,
                "description": "A film or person: roles, films, interviews and passages.",
                "properties": {
                    **ENTRY["properties"],
                    "ok": {"type": "boolean", "description": "Always true."},
                    "kind": _str("films or people."),
                    "spellings": _list({"type": "string"}, "Other ways the name is written."),
                    "films": _list({"type": "string"}, "Films a person directed."),
                    "appearances": _list(APPEARANCE, "A person's interviews, newest first."),
                    "articles": _list(
                        GROUP, "Passages about the film, or the person's, by article."
                    ),
                },
            },
            "/{kind}/{name}",
        ),
        "/api/suggest": _get(
            "OpenSearch suggestions for the search box",
            [_param("q", "What has been typed.", {"type": "string"})],
            {
                "type": "array",
                "description": "[query, completions, descriptions, URLs] (OpenSearch "
                "suggestions): films, people and frequent words.",
                "prefixItems": [
                    _str("The query."),
                    _list({"type": "string"}, "Completions."),
                    _list({"type": "string"}, "What each is: film, person or word, and count."),
                    _list({"type": "string"}, "Search URL applying each."),
                ],
            },
        ),
        "/api/questions": _get(
            "The questions asked in most interviews, with their answers",
            [],
            _obj(
                "Questions asked in more than one interview.",
                ok={"type": "boolean", "description": "Always true."},
                total=_int("Questions asked in more than one interview."),
                questions=_list(
                    _obj(
                        "One question and every answer to it.",
                        question=_str("The question, worded as its most typical asking."),
                        interviews=_int("Interviews asking it."),
                        passages=_list(ASKED, "Each asking and its answer."),
                    ),
                    "The questions asked in most interviews first.",
                ),
            ),
            "/questions",
        ),
        "/api/help/search": _get(
            "What the search box accepts, with examples",
            [],
            _obj(
                "The query syntax.",
                ok={"type": "boolean", "description": "Always true."},
                sections=_list(
                    _obj(
                        "A part of the syntax.",
                        title=_str("Its heading."),
                        text=_str("What it does, in a sentence."),
                        examples=_list(
                            _obj(
                                "An example query.",
                                query=_str("The query as typed."),
                                finds=_str("What it finds."),
                                url=_str("Its search page."),
                                count=_int("Passages it finds in this collection."),
                            ),
                            "Examples.",
                        ),
                    ),
                    "Parts of the syntax.",
                ),
                fields=_list(
                    _obj(
                        "A field name.",
                        name=_str("Written before a colon: speaker:klayman."),
                        searches=_str("What it searches."),
                    ),
                    "The field names a query may use.",
                ),
                slips=_str("How a query with a slip is read."),
            ),
            "/help/search",
        ),
        "/api/openapi.json": _get("This document", [], {"type": "object"}),
    }
    return {
        "openapi": "3.1.0",
        "info": {
            "title": "filmsearch",
            "version": "1",
            "description": "Faceted search over film interviews, passage by passage.",
        },
        "servers": [{"url": server}],
        "paths": paths,
        "components": {
            "schemas": {
                "Error": _obj(
                    "An error.",
                    ok={"type": "boolean", "description": "Always false."},
                    error=_str("What went wrong, in a sentence."),
                    status=_int("The HTTP status."),
                )
            }
        },
    }
