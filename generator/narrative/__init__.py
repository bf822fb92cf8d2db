"""Briefs written from metrics: wording rules in one place, Markdown from Jinja2 templates."""
