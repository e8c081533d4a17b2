"""The tags, `tags/`: every tag the improvements carry, each with its improvements.

Material's own tags plugin reads tags from a page's front matter and prints them through
its templates without escaping them (MkDocs' Jinja does not autoescape): that suits tags
an author writes, not register text, which must be shown literally. It also knows pages
only, not records, so its index could not say an improvement's status. The register's
tags get a page of their own instead: an index of the tags with their counts, then each
tag (anchor `#tag-<slug>`) with its improvements, open ones first.
"""

from __future__ import annotations

from ...i18n import _, ngettext
from ...register.model import Improvement
from .. import addresses
from .blocks import block, escape, improvement_link, link, status_badge
from .context import Site
from .page import Heading, Page, Part, page

BASE = addresses.base_of(addresses.TAGS)


def pages(site: Site) -> dict[str, Page]:
    return {"tags/index.md": tags_page(site)}


def tag_links(site: Site, base: str, tags: tuple[str, ...]) -> str:
    """Tags, each linked to its place on the tags page, comma-separated."""
    return ", ".join(link(base, addresses.tag(site.tag_slugs[tag]), tag) for tag in tags)


def tags_page(site: Site) -> Page:
    register = site.register
    by_tag: dict[str, list[Improvement]] = {}
    for imp in register.improvements:
        for tag in dict.fromkeys(imp.tags):
            by_tag.setdefault(tag, []).append(imp)
    if not by_tag:
        return page(_("Tags"), '<p class="csi-empty">'
                    + escape(_("No improvement has a tag yet.")) + "</p>")
    ordered = sorted(by_tag, key=lambda tag: (tag.casefold(), tag))
    index = "\n".join(f"<li>{link(BASE, addresses.tag(site.tag_slugs[tag]), tag)} "
                      f'<span class="csi-tags__count">{len(by_tag[tag])}</span></li>'
                      for tag in ordered)
    intro = ('<p class="csi-lead">' + escape(ngettext(
        "{count} tag on the register's improvements, with its improvements, open ones first.",
        "{count} tags on the register's improvements, each with its improvements, open ones "
        "first.", len(ordered)).format(count=len(ordered))) + "</p>")
    parts: list[Part] = [block(intro, f'<ul class="csi-tags">\n{index}\n</ul>')]
    facts = register.facts
    for tag in ordered:
        imps = sorted(by_tag[tag], key=lambda imp: not facts[imp.id].open)
        items = "\n".join(f"<li>{improvement_link(BASE, imp)} {escape(imp.title)} "
                          f"{status_badge(imp.status)}</li>" for imp in imps)
        parts += [Heading(2, tag, id=f"tag-{site.tag_slugs[tag]}"),
                  f'<ul class="csi-tag-list" data-search-exclude>\n{items}\n</ul>']
    return page(_("Tags"), *parts)
