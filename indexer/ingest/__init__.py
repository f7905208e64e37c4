"""Bring pages into the corpus: fetch them from the web or import them from web archives."""
