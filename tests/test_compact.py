"""Pages lose the theme's indentation and nothing else."""

from __future__ import annotations

import re
from html.parser import HTMLParser

from hypothesis import given, settings
from hypothesis import strategies as st

from csi_macros.engines.mkdocs.compact import compact_html

PAGE = """<!doctype html>
<html>
  <head>
    <title>A   title</title>
    <script>
      var x = "<b>\\n   kept</b>";
    </script>
  </head>
  <body>
    <div class="md-grid">
      <a href="#" title="two
         lines">link</a>
      <span>one</span> <span>two</span>
      <p>Text with
         a line break inside.</p>
      <pre><code><span>def</span> f():
    <span>return</span> 1
</code></pre>
      <textarea>
   typed
</textarea>
    </div>
  </body>
</html>
"""


class Nodes(HTMLParser):
    """Tags, attributes and text as a browser shows them: outside `pre`, `textarea` and
    `script`, a run of white space is one space, however long and whatever it holds."""

    CDATA_CONTENT_ELEMENTS = ("script", "style", "textarea")  # their tags are text inside

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.seen: list[object] = []
        self.verbatim = 0

    def handle_starttag(self, tag: str, attrs: list) -> None:
        self.seen.append((tag, attrs))
        self.verbatim += tag in ("pre", "textarea", "script")

    def handle_endtag(self, tag: str) -> None:
        self.seen.append(f"/{tag}")
        self.verbatim = max(0, self.verbatim - (tag in ("pre", "textarea", "script")))

    def handle_data(self, data: str) -> None:
        self.seen.append(data if self.verbatim else re.sub(r"\s+", " ", data))


def nodes(html: str) -> list[object]:
    parser = Nodes()
    parser.feed(html)
    return parser.seen


def test_only_white_space_between_tags_shrinks() -> None:
    compact = compact_html(PAGE)
    assert len(compact) < len(PAGE) - 50
    assert nodes(compact) == nodes(PAGE)
    assert "<span>one</span> <span>two</span>" in compact, "a space on one line stays"
    assert 'title="two\n         lines"' in compact and "Text with\n         a line" in compact
    assert '<pre><code><span>def</span> f():\n    <span>return</span> 1\n</code></pre>' in compact
    assert '<textarea>\n   typed\n</textarea>' in compact
    assert 'var x = "<b>\\n   kept</b>";\n    </script>' in compact


def test_a_pre_inside_a_pre_and_tags_inside_a_textarea_stay_verbatim() -> None:
    page = "<pre><pre>x</pre>\n   <b>kept</b>\n</pre>\n   <textarea><pre></textarea>\n   <p>"
    assert compact_html(page) == ("<pre><pre>x</pre>\n   <b>kept</b>\n</pre>\n"
                                  "<textarea><pre></textarea>\n<p>")


def test_a_compact_page_stays_as_it_is() -> None:
    once = compact_html(PAGE)
    assert compact_html(once) == once


FRAGMENTS = ["<div>", "</div>", "<p>", "</p>", "<pre>", "</pre>", "<script>", "</script>",
             "<textarea>", "</textarea>", "<span>", "</span>", " ", "\n", "\t", "  \n  ", "x", ">", "<"]


@settings(max_examples=500, deadline=None)
@given(st.lists(st.sampled_from(FRAGMENTS), max_size=40))
def test_any_mix_of_tags_and_white_space_reads_the_same(fragments: list[str]) -> None:
    html = "".join(fragments)
    assert nodes(compact_html(html)) == nodes(html)


def test_a_script_inside_a_pre_keeps_its_text_even_an_end_pre() -> None:
    page = "<pre><script></pre> \n</script>\n  </pre>\n   <p>"
    assert compact_html(page) == "<pre><script></pre> \n</script>\n  </pre>\n<p>"
