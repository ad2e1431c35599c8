"""The review console: the only package that imports Textual."""
