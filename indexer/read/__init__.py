"""Reading the corpus: find files, read bytes, decode, extract the page into blocks."""
