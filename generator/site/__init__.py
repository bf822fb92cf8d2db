"""The site stage: MkDocs builds the pages (only those that changed, when it can), Pagefind
indexes them per period, and the site dir switches to the new build in one rename."""

from generator.site.build import build_site
from generator.site.problems import BuildError

__all__ = ["BuildError", "build_site"]
