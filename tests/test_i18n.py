"""The site in the organisation's language: the catalogues, numbers and dates, the check
command, and the sample register built in every shipped language."""

from __future__ import annotations

import dataclasses
import datetime as dt
import re
import shutil
from html.parser import HTMLParser
from pathlib import Path

import pytest
from babel.messages.pofile import read_po

from csi_macros import i18n, translations
from csi_macros.cli import main as csi
from csi_macros.readings.facts import load_register
from csi_macros.i18n import (LOCALE_DIR, _, format_number, format_percent, month_name,
                             month_year, ngettext, using)
from csi_macros.site.pages import SiteContext, site_files
from csi_macros.site.pages.page import Page
from csi_macros.parallel import fork_map
from sitebuild import PROJECT, Site, build_site

SHIPPED = ("de", "nb")
SAMPLE = PROJECT / "register"


# --- The core: texts, numbers, dates -----------------------------------------------------

def test_numbers_follow_the_language() -> None:
    with using("en"):
        assert (format_number(4.5), format_number(1234.567), format_percent(83.8)) == \
            ("4.5", "1,234.57", "83.8%")
    with using("de"):
        assert (format_number(4.5), format_number(1234.567), format_percent(83.8)) == \
            ("4,5", "1.234,57", "83,8\xa0%")
        assert _("{count} value").format(count=1) != "{count} value"
    with using("nb"):
        assert format_number(1234.5) == "1\xa0234,5" and format_percent(83.8) == "83,8\xa0%"
    assert format_number(-0.001) == "0", "no negative zero"


def test_month_names_and_plurals_follow_the_language() -> None:
    with using("de"):
        assert (month_name(3), month_year(dt.date(2026, 3, 1))) == ("März", "März 2026")
        assert ngettext("{count} value", "{count} values", 1).format(count=1) == "1 Wert"
        assert ngettext("{count} value", "{count} values", 4).format(count=4) == "4 Werte"
    with using("nb"):
        assert month_year(dt.date(2026, 11, 1)) == "november 2026"
    assert month_name(3) == "March", "English outside any block"


def test_the_language_is_put_back_and_forked_workers_inherit_it() -> None:
    with using("de"):
        with using("nb"):
            assert i18n.active().code == "nb"
        assert i18n.active().code == "de"
        words, workers = fork_map(priority_word, list(range(40)), least=2, per_worker=1)
        assert set(words) == {"Priorität"} and workers >= 2
    assert i18n.active().code == "en" and _("Priority") == "Priority"


def priority_word(_item: int) -> str:
    return _("Priority")


def test_an_unknown_language_is_refused_with_a_message() -> None:
    with pytest.raises(ValueError, match="unknown language 'xx_nowhere'"):
        i18n.language("xx-nowhere")


def test_region_codes_use_the_language_s_catalogue() -> None:
    assert i18n.language("de-AT").path == i18n.language("de").path
    assert i18n.language("de-AT").tag == "de-AT"


# --- The catalogues ------------------------------------------------------------------------

def test_the_template_holds_every_text_of_the_code() -> None:
    """`csi translations extract` was run after the last text changed."""
    shipped = {m.id if isinstance(m.id, str) else m.id[0] for m in i18n.read_template() if m.id}
    fresh = {m.id if isinstance(m.id, str) else m.id[0] for m in translations.template() if m.id}
    assert fresh - shipped == set(), "new texts: run `csi translations extract` and `update`"
    assert shipped - fresh == set(), "texts gone from the code: run `csi translations extract`"


@pytest.mark.parametrize("code", SHIPPED)
def test_shipped_catalogues_are_complete(code: str, capsys: pytest.CaptureFixture[str]) -> None:
    report = translations.check(code)
    assert report.complete, "\n".join(report.lines())
    assert csi(["translations", "check", "--language", code]) == 0
    assert f"{code}: {report.total} of {report.total} messages translated" in capsys.readouterr().out


@pytest.fixture
def partial_catalogue(tmp_path: Path) -> Path:
    """A copy of the locale folder whose German catalogue lost two translations and
    got one wrong placeholder."""
    folder = tmp_path / "locale"
    shutil.copytree(LOCALE_DIR, folder)
    po = folder / "de" / "LC_MESSAGES" / "csi.po"
    text = po.read_text(encoding="utf-8")
    text = text.replace('msgstr "Priorität"', 'msgstr ""')
    text = text.replace('msgstr "Verantwortlich"', 'msgstr ""')
    text = text.replace('msgstr "Mehr zu {id}"', 'msgstr "Mehr zu {ident}"')
    po.write_text(text, encoding="utf-8")
    return folder


def test_a_missing_translation_shows_in_english_and_is_reported(partial_catalogue: Path) -> None:
    german = i18n.language("de", partial_catalogue)
    with using(german):
        assert (_("Priority"), _("Owner"), _("Title")) == ("Priority", "Owner", "Titel")
        assert _("More about {id}").format(id="X") == "More about X", "never a broken placeholder"
    report = translations.check("de", partial_catalogue)
    before = translations.check("de")
    assert set(report.missing) - set(before.missing) == {"Priority", "Owner"}
    assert set(report.broken) - set(before.broken) == {"More about {id}"}
    lines = "\n".join(report.lines())
    assert "'Priority': missing translation" in lines
    assert "'More about {id}': the translation's {placeholders} differ" in lines
    assert not report.complete


def test_a_language_without_a_catalogue_is_all_missing_and_says_so(
        capsys: pytest.CaptureFixture[str]) -> None:
    assert csi(["translations", "check", "--language", "fr"]) == 1
    out = capsys.readouterr().out
    assert "(no catalogue for fr): 'Priority': missing translation" in out
    with using("fr"):
        assert _("Priority") == "Priority" and format_number(4.5) == "4,5"


def test_fuzzy_translations_are_not_trusted(tmp_path: Path) -> None:
    folder = tmp_path / "locale"
    shutil.copytree(LOCALE_DIR, folder)
    po = folder / "nb" / "LC_MESSAGES" / "csi.po"
    po.write_text(po.read_text(encoding="utf-8").replace(
        'msgid "Priority"\n', '#, fuzzy\nmsgid "Priority"\n'), encoding="utf-8")
    with using(i18n.language("nb", folder)):
        assert _("Priority") == "Priority"
    fuzzy = set(translations.check("nb", folder).fuzzy) - set(translations.check("nb").fuzzy)
    assert fuzzy == {"Priority"}


# --- The site in German and Norwegian -----------------------------------------------------

@pytest.fixture(scope="module", params=SHIPPED)
def built(request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory
          ) -> tuple[str, Site]:
    code = request.param
    folder = tmp_path_factory.mktemp(f"site-{code}")
    site = build_site(SAMPLE, folder / "site", language=code)
    assert site.returncode == 0, site.output
    return code, site


def generated_addresses() -> list[str]:
    """The addresses of every page the plugin generates from the sample register."""
    register = load_register(SAMPLE)
    pages = [src for src, content in site_files(register, SiteContext()).items()
             if isinstance(content, Page)]
    return ["/" + (src[:-len("index.md")] if src.endswith("index.md") else src[:-3] + "/")
            for src in pages]


class Texts(HTMLParser):
    """The text nodes of a page's article, outside scripts."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.texts: list[str] = []
        self.depth = 0
        self.skip = 0

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        classes = (dict(attrs).get("class") or "").split()
        if tag == "article" and "md-content__inner" in classes:
            self.depth = 1
        elif self.depth and tag == "article":
            self.depth += 1
        if tag in ("script", "style"):
            self.skip += 1

    def handle_endtag(self, tag: str) -> None:
        if self.depth and tag == "article":
            self.depth -= 1
        if tag in ("script", "style"):
            self.skip -= 1

    def handle_data(self, data: str) -> None:
        if self.depth and not self.skip and data.strip():
            self.texts.append(" ".join(data.split()))


def register_text() -> str:
    """Every text the sample register holds, in one blob: it is shown as written."""
    found: list[str] = []

    def walk(value: object) -> None:
        if isinstance(value, str):
            found.append(" ".join(value.split()))
        elif dataclasses.is_dataclass(value):
            for item in dataclasses.fields(value):
                walk(getattr(value, item.name))
        elif isinstance(value, dict):
            for key, item in value.items():
                walk(key)
                walk(item)
        elif isinstance(value, (list, tuple)):
            for item in value:
                walk(item)

    register = load_register(SAMPLE)
    walk(register.organisation)
    for records in (register.improvements, register.metrics, register.snapshots):
        walk(records)
    return "\n".join(found)


def english_patterns(code: str) -> list[tuple[str, re.Pattern[str]]]:
    """A pattern per English text of the catalogue whose translation differs from it: the
    text with its placeholders free, matching a whole text node."""
    with open(LOCALE_DIR / code / "LC_MESSAGES" / "csi.po", "rb") as file:
        catalogue = read_po(file, locale=code)
    patterns = []
    for message in catalogue:
        if not message.id:
            continue
        ids = message.id if isinstance(message.id, (list, tuple)) else (message.id,)
        strings = message.string if isinstance(message.string, (list, tuple)) \
            else (message.string,)
        for english in ids:
            if english in strings or not re.search(r"[A-Za-z]{2}", english):
                continue
            parts = re.split(r"\{\w*\}", english)
            if len(parts) > 1 and len(re.sub(r"[^A-Za-z]", "", "".join(parts))) < 6:
                continue  # "{value} on {date}": too little of its own to tell in a sentence
            pattern = ".+?".join(re.escape(part) for part in parts)
            patterns.append((english, re.compile(f"^{pattern}$")))
    return patterns


@pytest.mark.build
def test_pages_say_their_language_and_speak_it(built: tuple[str, Site]) -> None:
    code, site = built
    register = site.page("/register/")
    assert f'<html lang="{code}"' in register
    expected = {
        "de": ["<th scope=\"col\" data-sort-type=\"text\" aria-sort=\"ascending\">ID</th>",
               "Modellschritt", "Zieldatum", ">in Arbeit</span>", ">kritisch</span>"],
        "nb": ["Modelltrinn", "Måldato", ">pågår</span>", ">kritisk</span>"],
    }[code]
    for text in expected:
        assert text in register, text
    metric = site.page("/metrics/P1-MTTR/")
    verdict, heading, number = {
        "de": ("nicht im Plan", ">Werte<", "6,1 hours"),
        "nb": ("ikke i rute", ">Verdier<", "6,1 hours"),
    }[code]
    assert f">{verdict}<span class=\"csi-sr\">" in metric and heading in metric and number in metric
    assert 'id="values"' in metric, "anchors stay the same in every language"
    changes = site.page("/register/changes/")
    assert {"de": "November 2025", "nb": "november 2025"}[code] in changes
    assert 'id="november-2025"' in changes
    playbook = site.page("/playbook/")
    assert {"de": ">Der Leitfaden der kontinuierlichen Verbesserung",
            "nb": ">Håndbok for kontinuerlig forbedring"}[code] in playbook
    assert site.page("/playbook/target-state/").count('id="scoring"') == 1


@pytest.mark.build
def test_no_english_generated_text_is_left(built: tuple[str, Site]) -> None:
    """Every text node of every generated page that is not register text matches no
    English text of the catalogue (those the language writes the same way aside)."""
    code, site = built
    patterns = english_patterns(code)
    written = register_text()
    leaks: dict[str, set[str]] = {}
    for address in generated_addresses():
        parser = Texts()
        parser.feed(site.page(address))
        for text in parser.texts:
            if text in written:
                continue
            for english, pattern in patterns:
                if pattern.match(text):
                    leaks.setdefault(english, set()).add(address)
    assert leaks == {}


@pytest.mark.build
def test_the_scripts_get_their_texts_in_the_language(built: tuple[str, Site]) -> None:
    code, site = built
    script = (site.root / "assets" / "csi" / "csi.js").read_text(encoding="utf-8")
    expected = {"de": '"Showing {shown} of {total} improvements.": "{shown} von {total} '
                      'Verbesserungen angezeigt."',
                "nb": '"Showing {shown} of {total} improvements.": "Viser {shown} av {total} '
                      'forbedringer."'}[code]
    assert expected in script
    form = site.page("/raise/")
    assert {"de": ">Priorität</label>", "nb": ">Prioritet</label>"}[code] in form
    assert '<option value="in_progress">' in form, "the values stay the register's keys"
    feed = (site.root / "feed.xml").read_text(encoding="utf-8")
    assert f'xml:lang="{code}"' in feed


@pytest.mark.build
def test_a_language_without_a_catalogue_builds_in_english_and_says_so(tmp_path: Path) -> None:
    site = build_site(SAMPLE, tmp_path / "site", plugin_language="fr")
    assert site.returncode == 0, site.output
    assert "Language fr:" in site.output and "csi translations check --language fr" in \
        site.output
    register = site.page("/register/")
    assert ">Model step<" in register and "1,25" in register, "English words, French numbers"


# --- In a browser: the German site works, reads German and stays accessible ---------------

@pytest.fixture(scope="module")
def german_url(tmp_path_factory: pytest.TempPathFactory):
    from browser_harness import require_chromium, serve
    require_chromium()
    site = build_site(SAMPLE, tmp_path_factory.mktemp("browser-de") / "site", language="de")
    assert site.returncode == 0, site.output
    yield from serve(site.root)


@pytest.fixture(scope="module")
def german_browser():
    from browser_harness import CHROMIUM, CHROMIUM_ARGS, require_chromium
    require_chromium()
    from playwright.sync_api import sync_playwright
    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        yield chromium
        chromium.close()


@pytest.mark.browser
@pytest.mark.build
def test_the_german_site_s_scripts_speak_german(german_browser, german_url: str) -> None:
    context = german_browser.new_context(viewport={"width": 1280, "height": 900})
    page = context.new_page()
    errors: list[str] = []
    page.on("pageerror", lambda error: errors.append(str(error)))
    page.goto(german_url + "/register/?status=in_progress", wait_until="networkidle")
    assert re.fullmatch(r"\d+ von \d+ Verbesserungen angezeigt\.",
                        page.inner_text("[data-csi-count]"))
    page.goto(german_url + "/register/changes/", wait_until="networkidle")
    assert re.fullmatch(r"Alle \d+ Änderungen\.", page.inner_text("[data-csi-count]"))
    page.goto(german_url + "/raise/", wait_until="networkidle")
    assert re.fullmatch(r"CSI-\d{4}", page.input_value("#csi-raise-id")), \
        "the id is filled in from the published register"
    page.fill("#csi-raise-id", "")
    page.click("#csi-raise-copy")
    assert "id ist Pflicht" in page.inner_text("#csi-raise-errors")
    context.close()
    assert errors == []


@pytest.mark.browser
@pytest.mark.build
@pytest.mark.parametrize("address", ["/register/", "/register/CSI-0001/", "/metrics/P1-MTTR/",
                                     "/objectives/", "/raise/"])
def test_the_german_site_has_no_serious_accessibility_violations(
        german_browser, german_url: str, address: str) -> None:
    from axe_playwright_python.sync_playwright import Axe
    context = german_browser.new_context(viewport={"width": 1280, "height": 900})
    page = context.new_page()
    page.goto(german_url + address, wait_until="networkidle")
    results = Axe().run(page)
    context.close()
    serious = [(v["id"], v["help"], [n["target"] for n in v["nodes"]][:3])
               for v in results.response["violations"] if v["impact"] in ("serious", "critical")]
    assert serious == []


@pytest.mark.build
def test_german_builds_are_reproducible_and_charts_are_cached_per_language(
        tmp_path: Path) -> None:
    """Two German builds give the same bytes; a chart cache filled by an English build is
    not taken for the German one (the language is part of what names a chart)."""
    from test_reproducible import digest
    cache = {"CSI_CHART_CACHE": str(tmp_path / "cache")}
    english = build_site(SAMPLE, tmp_path / "en", extra_env=cache)
    first = build_site(SAMPLE, tmp_path / "one", extra_env=cache, language="de")
    second = build_site(SAMPLE, tmp_path / "two", language="de",
                        extra_env={"CSI_CHART_CACHE": str(tmp_path / "other-cache")})
    for site in (english, first, second):
        assert site.returncode == 0, site.output
    one, two = digest(first.root), digest(second.root)
    assert [name for name in one if one[name] != two.get(name)] == []
    status = "charts/status.svg"
    assert one[status] != digest(english.root)[status]
    assert "Verbesserungen" in (first.root / status).read_text(encoding="utf-8")
    burnup = (first.root / "charts" / "burnup.svg").read_text(encoding="utf-8")
    assert re.search(r">(Jan|Feb|Mär|Apr|Mai|Jun|Jul|Aug|Sep|Okt|Nov|Dez) 20\d\d<", burnup), \
        "the axis names months in German"
    csat = (first.root / "charts" / "metric-CSAT.svg").read_text(encoding="utf-8")
    assert re.search(r">\d,\d<", csat) and not re.search(r">\d\.\d<", csat), "4,0 on the axis"


@pytest.mark.build
def test_an_unknown_language_option_stops_the_build_with_a_message(tmp_path: Path) -> None:
    site = build_site(SAMPLE, tmp_path / "site", plugin_language="xx-nowhere")
    assert site.returncode == 1
    assert "plugins.csi.language: unknown language 'xx_nowhere'" in site.output
    assert "Traceback" not in site.output


def test_a_new_language_starts_from_the_template(tmp_path: Path) -> None:
    folder = tmp_path / "locale"
    shutil.copytree(LOCALE_DIR, folder)
    [written] = translations.update(folder, ["fr"])
    assert written == folder / "fr" / "LC_MESSAGES" / "csi.po"
    with open(written, "rb") as file:
        french = read_po(file, locale="fr")
    assert french.plural_forms.startswith("nplurals=")
    report = translations.check("fr", folder)
    assert len(report.missing) == report.total > 100
    assert i18n.available_languages(folder) == ["de", "fr", "nb"]
