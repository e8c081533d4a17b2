"""The "Raise an improvement" form, in the site's language.

`docs/raise.md` is a hand-written page and never goes through Jinja; where it holds the
mark `<!-- csi:raise-form -->` the plugin puts this form, whose labels and hints are
translated and whose choices come from the model (`assets/raise.js` checks it the way
`csi check` does). The field names and option values are the register's keys and stay
English.
"""

from __future__ import annotations

from ...readings import words
from ...i18n import _
from ...register.model import PRINCIPLES, PRIORITIES, STATUSES
from ..text import escape

MARK = "<!-- csi:raise-form -->"
"""Where a hand-written page wants the form."""


def raise_form(base: str, register_path: str = "register", next_id: str = "") -> str:
    """The form, its `<noscript>` note and the script, for a page whose way to the site root
    is `base`; the id field starts at `next_id`, the id after every one the published
    register holds (a branch may have taken it since: the pull request's check says so)."""
    def label(field: str, text: str) -> str:
        return f'<label for="csi-raise-{field}">{escape(text)}</label>'

    def hint(field: str, text: str) -> str:
        return f'<span class="csi-raise-hint" id="csi-raise-{field}-hint">{text}</span>'

    def options(values: list[tuple[str, str]], selected: str) -> str:
        return "\n".join(f'<option value="{escape(value)}"'
                         f'{" selected" if value == selected else ""}>{escape(text)}</option>'
                         for value, text in values)

    scores = [("", _("not set"))] + [(str(n), str(n)) for n in range(1, 6)]
    principles = "\n".join(
        f'<span class="csi-raise-choice"><input type="checkbox" id="csi-raise-p{n}" '
        f'name="principles" value="{key}"><label for="csi-raise-p{n}">'
        f"{escape(words.principle(key))}</label></span>"
        for n, key in enumerate(PRINCIPLES, start=1))
    editing = f'<a href="{escape(base)}editing/">{escape(_("Editing the register"))}</a>'
    objectives = f'<a href="{escape(base)}objectives/">{escape(_("objectives"))}</a>'
    return "\n".join([
        "<noscript>",
        "<p><strong>" + escape(_("This form needs JavaScript.")) + "</strong> "
        + escape(_("Without it, copy the template from {page}, or run {command} in a copy of "
                   "the repository.")).format(page=editing,
                                              command='<code>csi new "Title"</code>') + "</p>",
        "</noscript>",
        '<form id="csi-raise" class="csi-raise" novalidate data-repo-url="" data-branch="" '
        f'data-forge="" data-register-path="{escape(register_path)}"'
        + (f' data-next-id="{escape(next_id)}"' if next_id else "") + ">",
        label("id", _("Id")),
        '<input type="text" id="csi-raise-id" name="id" required autocomplete="off" '
        'spellcheck="false" placeholder="CSI-0007" aria-describedby="csi-raise-id-hint">',
        hint("id", escape(_("Capitals and digits, a hyphen, a number, like CSI-0007; the file "
                            "name starts with it. Filled in: the next id after those of the "
                            "published register. Someone may take it on another branch first: "
                            "the check of your pull request says so when you propose the file, "
                            "and csi renumber gives it the next free one."))),
        label("title", _("Title")),
        '<input type="text" id="csi-raise-title" name="title" required '
        'aria-describedby="csi-raise-title-hint">',
        hint("title", escape(_("A short name, at most 120 characters."))),
        label("description", _("Description")),
        '<textarea id="csi-raise-description" name="description" rows="6" required '
        'aria-describedby="csi-raise-description-hint"></textarea>',
        hint("description", escape(_("The opportunity or problem: who is affected, and what it "
                                     "costs today. Markdown is welcome."))),
        label("raised", _("Raised")),
        '<input type="date" id="csi-raise-raised" name="raised" required '
        'aria-describedby="csi-raise-raised-hint">',
        hint("raised", escape(_("When it entered the register: today, unless you are recording "
                                "an older idea. Not in the future."))),
        label("raised-by", _("Raised by (optional)")),
        '<input type="text" id="csi-raise-raised-by" name="raised_by" autocomplete="name">',
        label("status", _("Status")),
        '<select id="csi-raise-status" name="status" aria-describedby="csi-raise-status-hint">',
        options([(key, words.status(key)) for key in STATUSES], "proposed"),
        "</select>",
        hint("status", escape(_("A new idea is proposed. The other statuses are for recording "
                                "work that already moved on."))),
        label("priority", _("Priority")),
        '<select id="csi-raise-priority" name="priority">',
        options([(key, words.priority(key)) for key in PRIORITIES], "medium"),
        "</select>",
        label("owner", _("Owner")),
        '<input type="text" id="csi-raise-owner" name="owner" '
        'aria-describedby="csi-raise-owner-hint">',
        hint("owner", escape(_("The accountable person. Required unless the status is proposed "
                               "or rejected."))),
        label("objectives", _("Objectives")),
        '<input type="text" id="csi-raise-objectives" name="objectives" spellcheck="false" '
        'placeholder="OBJ-1, OBJ-2" aria-describedby="csi-raise-objectives-hint">',
        hint("objectives", escape(_("The ids of the {objectives} it serves, separated by commas. "
                                    "At least one unless the status is proposed or rejected."))
             .format(objectives=objectives)),
        label("value", _("Value (optional)")),
        '<select id="csi-raise-value" name="value" aria-describedby="csi-raise-value-hint">',
        options(scores, ""),
        "</select>",
        hint("value", escape(_("Expected value to stakeholders, from 1 (low) to 5 (high)."))),
        label("effort", _("Effort (optional)")),
        '<select id="csi-raise-effort" name="effort" aria-describedby="csi-raise-effort-hint">',
        options(scores, ""),
        "</select>",
        hint("effort", escape(_("Expected effort, from 1 (small) to 5 (large)."))),
        label("target-date", _("Target date (optional)")),
        '<input type="date" id="csi-raise-target-date" name="target_date">',
        "<fieldset>",
        f"<legend>{escape(_('Guiding principles it applies (optional)'))}</legend>",
        principles,
        "</fieldset>",
        "<div data-when-done hidden>",
        label("closed", _("Closed")),
        '<input type="date" id="csi-raise-closed" name="closed">',
        label("outcome", _("Outcome")),
        '<textarea id="csi-raise-outcome" name="outcome" rows="3" '
        'aria-describedby="csi-raise-outcome-hint"></textarea>',
        hint("outcome", escape(_("What happened, or why it was rejected."))),
        "</div>",
        '<ul id="csi-raise-errors" class="csi-raise-errors" tabindex="-1" hidden></ul>',
        '<label for="csi-raise-yaml">' + escape(_("The file: {name}")).format(
            name='<code id="csi-raise-file">'
                 + escape(_("the file appears once every field is valid")) + "</code>")
        + "</label>",
        '<textarea id="csi-raise-yaml" rows="14" readonly spellcheck="false"></textarea>',
        '<p class="csi-raise-buttons">',
        '<button type="button" id="csi-raise-copy" class="md-button md-button--primary">'
        f"{escape(_('Copy'))}</button>",
        f'<button type="button" id="csi-raise-download" class="md-button">{escape(_("Download"))}'
        "</button>",
        '<button type="button" id="csi-raise-open" class="md-button" hidden>'
        f"{escape(_('Open in the web editor'))}</button>",
        "</p>",
        '<p id="csi-raise-message" role="status" aria-live="polite"></p>',
        "</form>",
        f'<script src="{escape(base)}assets/csi/raise.js"></script>',
    ])
