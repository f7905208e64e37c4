"""What an article is about: films, directors, publication and byline."""
