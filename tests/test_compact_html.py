"""Pages without the indentation a browser collapses (generator.site.compact_html)."""

from __future__ import annotations

import re

from hypothesis import given
from hypothesis import strategies as st

from generator.site.compact_html import compact_html

PAGE = """<!doctype html>
<html>
  <head>
    <title>A   page</title>
    <script>
      var s = "two
         lines";
    </script>
    <style>
      a  { color: red; }
    </style>
  </head>
  <body>
    <p title="kept
       as it is">Made with
      <a href="x">Material</a>   and
      more</p>
    <pre>
  code    indented
    </pre>
    <textarea>
  typed
    </textarea>
  </body>
</html>
"""


def _collapsed(html: str) -> str:
    return re.sub(r"\s+", " ", html)


def test_indentation_goes_and_verbatim_elements_and_attributes_stay() -> None:
    page = compact_html(PAGE)
    for verbatim in ("<pre>\n  code    indented\n    </pre>",
                     "<textarea>\n  typed\n    </textarea>",
                     '<script>\n      var s = "two\n         lines";\n    </script>',
                     "<style>\n      a  { color: red; }\n    </style>",
                     'title="kept\n       as it is"', "<title>A   page</title>",
                     "</a>   and\n"):
        assert verbatim in page, verbatim
    assert "<html>\n<head>\n<title>" in page and "Made with\n<a" in page
    assert "\n<pre>" in page and "\n<textarea>" in page and "</body>\n</html>\n" in page
    assert len(page) == len(PAGE) - 44  # the indentation outside those, and nothing else
    assert _collapsed(page) == _collapsed(PAGE)


def test_a_page_is_compacted_once_for_all() -> None:
    assert compact_html(compact_html(PAGE)) == compact_html(PAGE)


@given(st.lists(st.sampled_from(["<p>", "</p>", "<a href='x  y'>", "</a>", "word", " ", "\n",
                                 "\t", "  \n  ", "<pre>", "</pre>", "<!-- c -->"]),
                max_size=30))
def test_compacting_changes_whitespace_runs_only(tokens: list[str]) -> None:
    html = "".join(tokens)
    page = compact_html(html)
    assert re.sub(r"\s", "", page) == re.sub(r"\s", "", html)
    assert len(page) <= len(html)
