"""Where everything is on the site, and how one page links to another.

The site's addresses are fixed by the register format ("The published site"), with
MkDocs' `use_directory_urls: true`: the page built from `register/CSI-0007.md` is served
at `register/CSI-0007/`. Addresses here are relative to the site root, without a
leading slash.

Generated pages put their links in raw HTML blocks, which MkDocs does not rewrite, so a
link is the target's address prefixed with the page's `base`: the way from the page
back to the site root ("" on the home page, "../" on `register/`, "../../" on
`register/CSI-0007/`). Links work the same from a file:// copy and under any site path.
"""

from __future__ import annotations

import hashlib
import re
import unicodedata
from typing import Iterable


REGISTER = "register/"
BOARD = "register/board/"
CHANGES = "register/changes/"
METRICS = "metrics/"
OBJECTIVES = "objectives/"
SERVICES = "services/"
DIMENSIONS = "dimensions/"
TAGS = "tags/"
VERDICTS = "playbook/verdicts/"
"""The hand-written page "How verdicts work": its glossary explains every badge's word."""
CSV = "register.csv"
JSON = "register.json"
ASSETS = "assets/csi/"
"""Where the site's own stylesheet and scripts are published."""
STYLESHEET = ASSETS + "csi.css"
SCRIPT = ASSETS + "csi.js"
"""The stylesheet and script every page of the site loads."""

_STEP_PAGES = {1: "vision", 2: "current-state", 3: "target-state", 4: "plan", 5: "action",
               6: "review", 7: "momentum"}


def improvement(id: str) -> str:
    """An improvement's page."""
    return f"register/{id}/"


def improvement_source(id: str) -> str:
    """The generated Markdown an improvement's page is built from."""
    return f"register/{id}.md"


def metric(id: str) -> str:
    """A metric's page."""
    return f"metrics/{id}/"


def metric_source(id: str) -> str:
    return f"metrics/{id}.md"


def service(slug: str) -> str:
    """A service's page, by its slug (see `service_slugs`): `services/email-and-calendar/`."""
    return f"{SERVICES}{slug}/"


def service_source(slug: str) -> str:
    return f"{SERVICES}{slug}.md"


def dimension(id: str) -> str:
    """A dimension, on the dimensions page."""
    return f"{DIMENSIONS}#{id}"


def tag(slug: str) -> str:
    """A tag, on the tags page."""
    return f"{TAGS}#tag-{slug}"


# Letters that Unicode does not decompose into an ASCII letter and a mark.
_LETTERS = str.maketrans({"ø": "o", "Ø": "O", "æ": "ae", "Æ": "AE", "œ": "oe", "Œ": "OE",
                          "ß": "ss", "đ": "d", "Đ": "D", "ð": "d", "Ð": "D", "ł": "l",
                          "Ł": "L", "þ": "th", "Þ": "TH", "ı": "i", "&": " and "})
_NOT_WORD = re.compile(r"[^a-z0-9]+")
_SLUG_LENGTH = 60


def slug(name: str) -> str:
    """A name's words in lower-case ASCII, joined by hyphens: "Email & Calendar" →
    "email-and-calendar", "Bølgeservice" → "bolgeservice"; "" when nothing is left
    (a name in a script without Latin letters)."""
    plain = unicodedata.normalize("NFKD", name.translate(_LETTERS))
    words = _NOT_WORD.sub("-", plain.encode("ascii", "ignore").decode("ascii").lower())
    return words.strip("-")[:_SLUG_LENGTH].strip("-")


def slugs(names: Iterable[str], reserved: Iterable[str] = ()) -> dict[str, str]:
    """Each name's slug, unique among them: the first name in code-point order keeps the
    plain slug, and any other name that would share it (or that has no slug, or whose slug
    is `reserved`) gets its own: the slug, then the start of a hash of the name
    ("email-and-calendar-3f2a9c1e"). A name's slug therefore depends on no other name
    unless two names read the same in ASCII."""
    taken = set(reserved)
    found: dict[str, str] = {}
    for name in sorted(set(names)):
        plain = slug(name)
        chosen = plain
        digest = hashlib.sha256(name.encode("utf-8")).hexdigest()
        length = 8
        while not chosen or chosen in taken:
            chosen = f"{plain}-{digest[:length]}" if plain else digest[:length]
            length += 4
        taken.add(chosen)
        found[name] = chosen
    return found


def service_slugs(names: Iterable[str]) -> dict[str, str]:
    """Each service's slug, by name: `services/<slug>/` is its page (`index` is the
    services page itself, so no service may have it)."""
    return slugs(names, reserved=("index",))


def objective_anchor(id: str) -> str:
    """The id of an objective's heading on the objectives page: `obj-1`."""
    return id.lower()


def objective(id: str) -> str:
    """An objective, on the objectives page."""
    return f"{OBJECTIVES}#{objective_anchor(id)}"


def principle(id: str) -> str:
    """A guiding principle's hand-written page."""
    return f"principles/{id}/"


def step(number: int) -> str:
    """The playbook page of a model step."""
    return f"playbook/{_STEP_PAGES[number]}/"


_PREFIX_PART = re.compile(r"[A-Za-z0-9][A-Za-z0-9._-]*")


def prefix_folder(prefix: str | None) -> str:
    """The plugin's `prefix` as the folder every address of the register starts with:
    "improvement" → "improvement/", nothing → "". Raises `ValueError` for a prefix that is
    not a folder path of plain names ("../x", "a b", "/")."""
    text = (prefix or "").strip()
    if not text:
        return ""
    parts = text.strip("/").split("/")
    bad = next((part for part in parts if not _PREFIX_PART.fullmatch(part)), None)
    if bad is not None or text.strip("/") == "":
        raise ValueError(f"{text!r} is not a folder of the site: use names of letters, digits, "
                         "'.', '-' and '_', separated by '/' (for example `improvement`)")
    return "/".join(parts) + "/"


def register_url(site_url: str | None, prefix: str) -> str | None:
    """The register's own address on the web, from the site's (`site_url`) and the prefix's
    folder: absolute links (the feed's) start there."""
    if not site_url:
        return site_url
    return site_url.rstrip("/") + "/" + prefix if prefix else site_url


def base_of(address: str) -> str:
    """The way from the page at `address` back to the site root."""
    return "../" * address.count("/")


def page_base(url: str | None) -> str:
    """The base of a page from its MkDocs URL (`page.url`: "", "playbook/", "raise/",
    or "raise.html" without directory URLs)."""
    return base_of((url or "").split("#", 1)[0].split("?", 1)[0].lstrip("/"))
