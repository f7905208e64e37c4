"""Shared text helpers: person and title names, CJK scripts."""
