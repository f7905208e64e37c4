"""Blocks -> speaker labels and unlabeled questions -> turns, roles and passages."""
