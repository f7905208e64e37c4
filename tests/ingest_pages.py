"""Interview pages for the fetch and import tests, as a real site would serve them."""

from __future__ import annotations

import json


def interview_page(name: str, film: str, answer: str, charset_meta: str = "utf-8") -> str:
    """A small Q&A interview page declaring its publication and headline."""
    headline = f"{name} on {film}"
    data = {"@type": "NewsArticle", "headline": headline, "datePublished": "2024-05-01"}
    return f"""<!doctype html>
<html lang="en"><head><meta charset="{charset_meta}">
<title>{headline} | Test Cinema Review</title>
<meta property="og:site_name" content="Test Cinema Review">
<script type="application/ld+json">{json.dumps(data)}</script>
</head><body><article><h1>{headline}</h1>
<p>{name} talks about the film <em>{film}</em>, shot over one winter.</p>
<p><strong>Q:</strong> What drew you to the railway stations at night?</p>
<p><strong>A:</strong> {answer}</p>
<p><strong>Q:</strong> How long did the shoot take?</p>
<p><strong>A:</strong> Forty nights, mostly in the cold, with a crew of six people.</p>
</article></body></html>
"""
