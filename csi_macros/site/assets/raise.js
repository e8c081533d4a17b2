/* "Raise an improvement": check the form the way `csi check` does and write the
 * improvement's YAML file, to copy, download or open in the repository's web editor.
 *
 * Plain script, no dependencies, nothing fetched: it works offline. The rules mirror
 * the register format (tests compare these lists with csi_macros/model.py, and run
 * `toYaml` through the project's own loader). Every text value is written as a
 * double-quoted YAML string with the same escapes as csi_macros.edit.yaml_string.
 */
(function () {
  "use strict";

  var STATUSES = ["proposed", "approved", "in_progress", "implemented", "closed", "rejected",
                  "deferred"];
  var PRIORITIES = ["critical", "high", "medium", "low"];
  var PRINCIPLES = ["focus-on-value", "start-where-you-are", "progress-iteratively-with-feedback",
                    "collaborate-and-promote-visibility", "think-and-work-holistically",
                    "keep-it-simple-and-practical", "optimize-and-automate"];
  var UNCOMMITTED = ["proposed", "rejected"];   // may have no owner and no objectives
  var DONE = ["closed", "rejected"];            // need `closed` and `outcome`
  var IMPROVEMENT_ID = /^[A-Z][A-Z0-9]*-[0-9]+$/;
  var OBJECTIVE_ID = /^OBJ-[0-9]+$/;
  var TITLE_MAX = 120;
  var SLUG_MAX = 48;

  /** `text` in the site's language (the site puts the catalogue's translations in front of
   * this script as `csiMessages`), its `{name}` placeholders filled from `values`. */
  function t(text, values) {
    var messages = (typeof window === "object" && window.csiMessages) || {};
    var found = Object.prototype.hasOwnProperty.call(messages, text) ? messages[text] : text;
    return found.replace(/\{(\w+)\}/g, function (whole, name) {
      return values && name in values ? values[name] : whole;
    });
  }

  /* --- The file -------------------------------------------------------------------- */

  var SHORT_ESCAPES = { "\\": "\\\\", "\"": "\\\"", "\n": "\\n", "\t": "\\t", "\r": "\\r" };

  function needsEscape(code) {
    return code < 0x20 || (code >= 0x7f && code <= 0x9f) || code === 0x2028 ||
      code === 0x2029 || code === 0xfeff || code === 0xfffe || code === 0xffff;
  }

  /** `text` as a double-quoted YAML string that reads back as exactly `text`. */
  function quote(text) {
    var out = "\"";
    for (var i = 0; i < text.length; i++) {
      var ch = text.charAt(i);
      var code = text.charCodeAt(i);
      var high = code >= 0xd800 && code <= 0xdbff;
      var next = text.charCodeAt(i + 1);
      if (high && next >= 0xdc00 && next <= 0xdfff) {  // a whole astral character: as it is
        out += ch + text.charAt(i + 1);
        i++;
      } else if (code >= 0xd800 && code <= 0xdfff) {  // half a character: not text
        out += "\ufffd";
      } else if (SHORT_ESCAPES[ch]) {
        out += SHORT_ESCAPES[ch];
      } else if (needsEscape(code)) {
        out += "\\u" + ("000" + code.toString(16)).slice(-4);
      } else {
        out += ch;
      }
    }
    return out + "\"";
  }

  /** `Faster P1 restore!` → `faster-p1-restore`, like csi_macros.edit.slug. */
  function slug(title) {
    var words = title.normalize("NFKD").replace(/\p{M}/gu, "").toLowerCase()
      .replace(/[^a-z0-9]+/g, "-").replace(/^-+|-+$/g, "");
    if (words.length <= SLUG_MAX) return words;
    var cut = words.slice(0, SLUG_MAX + 1);
    var end = cut.lastIndexOf("-");
    return (end >= 0 ? cut.slice(0, end) : words.slice(0, SLUG_MAX)).replace(/^-+|-+$/g, "");
  }

  function fileName(values) {
    var words = slug(values.title || "");
    return values.id + (words ? "-" + words : "") + ".yml";
  }

  function list(ids) {
    return "[" + ids.join(", ") + "]";
  }

  /** The improvement file for valid `values` (see `validate`). */
  function toYaml(values) {
    var lines = ["# " + values.id + ": raised with the \"Raise an improvement\" form.",
                 "id: " + values.id,
                 "title: " + quote(values.title),
                 "description: " + quote(values.description),
                 "raised: " + values.raised];
    if (values.raised_by) lines.push("raised_by: " + quote(values.raised_by));
    if (values.owner) lines.push("owner: " + quote(values.owner));
    lines.push("status: " + values.status, "priority: " + values.priority);
    if (values.value) lines.push("value: " + values.value);
    if (values.effort) lines.push("effort: " + values.effort);
    if (values.target_date) lines.push("target_date: " + values.target_date);
    if (DONE.indexOf(values.status) >= 0) lines.push("closed: " + values.closed);
    if (values.objectives.length) lines.push("objectives: " + list(values.objectives));
    if (values.principles.length) lines.push("principles: " + list(values.principles));
    lines.push("log:", "  - date: " + values.raised, "    note: " + quote("Raised."),
               "    status: " + values.status);
    if (DONE.indexOf(values.status) >= 0) lines.push("outcome: " + quote(values.outcome));
    return lines.join("\n") + "\n";
  }

  /* --- The rules ------------------------------------------------------------------- */

  function codePoints(text) {
    return Array.from(text).length;
  }

  function realDate(text) {
    if (!/^\d{4}-\d{2}-\d{2}$/.test(text)) return false;
    var parts = text.split("-").map(Number);
    var date = new Date(Date.UTC(parts[0], parts[1] - 1, parts[2]));
    return date.getUTCFullYear() === parts[0] && date.getUTCMonth() === parts[1] - 1 &&
      date.getUTCDate() === parts[2];
  }

  function splitIds(text) {
    return (text || "").split(/[\s,]+/).filter(Boolean);
  }

  /** Problems with `values`, as [field, message] pairs; none means `toYaml` may run. */
  function validate(values, today) {
    var problems = [];
    function problem(field, message) { problems.push([field, message]); }
    function text(field, required, max) {
      var value = values[field] || "";
      if (!value.trim()) {
        if (required) problem(field, t("{field} must not be blank", { field: field }));
      } else if (max && codePoints(value) > max) {
        problem(field, t("{field} must be at most {max} characters; got {count}",
                         { field: field, max: max, count: codePoints(value) }));
      }
    }
    function date(field, required) {
      var value = values[field] || "";
      if (!value) {
        if (required) problem(field, t("{field} is required (a date, YYYY-MM-DD)", { field: field }));
        return false;
      }
      if (!realDate(value)) {
        problem(field, t("{field} must be a real calendar date (YYYY-MM-DD); got {value}",
                         { field: field, value: JSON.stringify(value) }));
        return false;
      }
      return true;
    }
    function notFuture(field) {
      if (values[field] > today) {
        problem(field, t("{field} {date} is in the future (today is {today})",
                         { field: field, date: values[field], today: today }));
      }
    }

    if (!values.id) problem("id", t("id is required (an id like CSI-0007)"));
    else if (!IMPROVEMENT_ID.test(values.id)) {
      problem("id", t("id must be an id like CSI-0007: capitals and digits, a hyphen, a " +
                      "number; got {value}", { value: JSON.stringify(values.id) }));
    }
    text("title", true, TITLE_MAX);
    text("description", true);
    if (date("raised", true)) notFuture("raised");
    text("raised_by", false);
    if (STATUSES.indexOf(values.status) < 0) {
      problem("status", t("status must be one of {choices}", { choices: STATUSES.join(", ") }));
    }
    if (PRIORITIES.indexOf(values.priority) < 0) {
      problem("priority", t("priority must be one of {choices}",
                            { choices: PRIORITIES.join(", ") }));
    }
    var committed = UNCOMMITTED.indexOf(values.status) < 0;
    text("owner", false);
    if (committed && !(values.owner || "").trim()) {
      problem("owner", t("owner is required when status is {status} (only proposed and " +
                         "rejected improvements may have none)", { status: values.status }));
    }
    values.objectives.forEach(function (id) {
      if (!OBJECTIVE_ID.test(id)) {
        problem("objectives", t("objectives must be ids like OBJ-1; got {value}",
                                { value: JSON.stringify(id) }));
      }
    });
    if (committed && !values.objectives.length) {
      problem("objectives", t("objectives must list at least one objective id when status " +
                              "is {status}", { status: values.status }));
    }
    ["value", "effort"].forEach(function (field) {
      if (values[field] && !/^[1-5]$/.test(values[field])) {
        problem(field, t("{field} must be a whole number from 1 to 5", { field: field }));
      }
    });
    date("target_date", false);
    values.principles.forEach(function (id) {
      if (PRINCIPLES.indexOf(id) < 0) {
        problem("principles", t("unknown principle {value}", { value: JSON.stringify(id) }));
      }
    });
    if (DONE.indexOf(values.status) >= 0) {
      if (date("closed", true)) {
        notFuture("closed");
        if (realDate(values.raised || "") && values.closed < values.raised) {
          problem("closed", t("closed ({closed}) must not be before raised ({raised})",
                              { closed: values.closed, raised: values.raised }));
        }
      }
      text("outcome", true);
    }
    return problems;
  }

  /** The web editor's "new file" address, prefilled, or null when the forge is unknown. */
  function newFileUrl(repoUrl, forge, branch, folder, name, content) {
    var base = repoUrl.replace(/\/+$/, "");
    var path = folder.split("/").filter(Boolean).map(encodeURIComponent).join("/");
    var query = "?filename=" + encodeURIComponent(name) + "&value=" + encodeURIComponent(content);
    if (forge === "github") return base + "/new/" + encodeURIComponent(branch) + "/" + path + query;
    if (forge === "gitea") return base + "/_new/" + encodeURIComponent(branch) + "/" + path + query;
    return null;
  }

  function localToday() {
    var now = new Date();
    return now.getFullYear() + "-" + ("0" + (now.getMonth() + 1)).slice(-2) + "-" +
      ("0" + now.getDate()).slice(-2);
  }

  var api = { STATUSES: STATUSES, PRIORITIES: PRIORITIES, PRINCIPLES: PRINCIPLES,
              IMPROVEMENT_ID: IMPROVEMENT_ID.source, OBJECTIVE_ID: OBJECTIVE_ID.source,
              TITLE_MAX: TITLE_MAX, quote: quote, slug: slug, fileName: fileName,
              splitIds: splitIds, toYaml: toYaml, validate: validate, newFileUrl: newFileUrl };

  if (typeof module === "object" && module.exports) {
    module.exports = api;
    return;
  }

  /* --- The page -------------------------------------------------------------------- */

  function repository(form) {
    var url = form.getAttribute("data-repo-url");
    if (!url) {  // the theme's repository link in the header, when mkdocs.yml has repo_url
      var source = document.querySelector("a.md-source[href]");
      url = source ? source.href : "";
    }
    var branch = form.getAttribute("data-branch");
    if (!branch) {  // from the theme's "edit this page" link: …/edit/<branch>/docs/…
      var edit = document.querySelector("a.md-content__button[href]");
      var match = edit && /\/(?:edit|blob)\/([^/]+)\//.exec(edit.getAttribute("href"));
      branch = match ? decodeURIComponent(match[1]) : "main";
    }
    var forge = form.getAttribute("data-forge");
    if (!forge && url) {
      try {
        forge = /(^|\.)github\b/.test(new URL(url).hostname) ? "github" : "";
      } catch (error) {
        forge = "";
      }
    }
    return { url: url, branch: branch, forge: forge,
             folder: (form.getAttribute("data-register-path") || "register") + "/improvements" };
  }

  function wire(form) {
    var field = function (name) { return form.querySelector("[name='" + name + "']"); };
    var output = form.querySelector("#csi-raise-yaml");
    var errors = form.querySelector("#csi-raise-errors");
    var message = form.querySelector("#csi-raise-message");
    var openButton = form.querySelector("#csi-raise-open");
    var repo = repository(form);
    var touched = {};
    var showAll = false;
    var current = null;

    if (field("raised") && !field("raised").value) field("raised").value = localToday();
    if (form.getAttribute("data-next-id") && !field("id").value) {
      field("id").value = form.getAttribute("data-next-id");
    }

    function read() {
      var get = function (name) { var el = field(name); return el ? el.value : ""; };
      return {
        id: get("id").trim(), title: get("title").trim(), description: get("description"),
        raised: get("raised"), raised_by: get("raised_by").trim(), owner: get("owner").trim(),
        status: get("status"), priority: get("priority"), value: get("value"),
        effort: get("effort"), target_date: get("target_date"), closed: get("closed"),
        outcome: get("outcome"), objectives: splitIds(get("objectives")),
        principles: Array.prototype.map.call(
          form.querySelectorAll("input[name='principles']:checked"),
          function (box) { return box.value; })
      };
    }

    function say(text) {
      message.textContent = text;
    }

    function update() {
      var values = read();
      var done = DONE.indexOf(values.status) >= 0;
      form.querySelectorAll("[data-when-done]").forEach(function (el) { el.hidden = !done; });
      if (done && !field("closed").value) field("closed").value = localToday();
      var problems = validate(values, localToday());
      var shown = problems.filter(function (p) { return showAll || touched[p[0]]; });
      form.querySelectorAll("[name]").forEach(function (el) {
        el.removeAttribute("aria-invalid");
      });
      shown.forEach(function (p) {
        var el = field(p[0]);
        if (el) el.setAttribute("aria-invalid", "true");
      });
      errors.replaceChildren.apply(errors, shown.map(function (p) {
        var item = document.createElement("li");
        item.textContent = p[1];
        return item;
      }));
      errors.hidden = !shown.length;
      current = problems.length ? null : { name: fileName(values), text: toYaml(values) };
      output.value = current ? current.text : "";
      form.querySelector("#csi-raise-file").textContent =
        current ? repo.folder + "/" + current.name : t("the file appears once every field is valid");
      return current;
    }

    function ready() {
      showAll = true;
      if (update()) return true;
      say(t("Not yet: fix the problems listed above the file."));
      errors.focus();
      return false;
    }

    form.addEventListener("input", function (event) {
      if (event.target.name) touched[event.target.name] = true;
      update();
    });
    form.addEventListener("change", function (event) {
      if (event.target.name) touched[event.target.name] = true;
      update();
    });
    form.addEventListener("submit", function (event) { event.preventDefault(); });

    form.querySelector("#csi-raise-copy").addEventListener("click", function () {
      if (!ready()) return;
      var copied = function () { say(t("Copied {file} to the clipboard.", { file: current.name })); };
      var select = function () { say(t("Select the text of the file and copy it (Ctrl+C).")); };
      if (navigator.clipboard && window.isSecureContext) {
        navigator.clipboard.writeText(current.text).then(copied, function () {
          output.select();
          select();
        });
      } else {
        output.select();
        if (document.execCommand("copy")) copied();
        else select();
      }
    });

    form.querySelector("#csi-raise-download").addEventListener("click", function () {
      if (!ready()) return;
      var link = document.createElement("a");
      link.href = URL.createObjectURL(new Blob([current.text], { type: "application/yaml" }));
      link.download = current.name;
      document.body.appendChild(link);
      link.click();
      link.remove();
      setTimeout(function () { URL.revokeObjectURL(link.href); }, 1000);
      say(t("Downloaded {file}: put it in {folder}/.", { file: current.name, folder: repo.folder }));
    });

    // Shown only when the page knows a repository on a forge whose web editor takes a
    // prefilled new file (GitHub, Gitea).
    openButton.hidden = !(repo.url && repo.forge);
    openButton.addEventListener("click", function () {
      if (!ready()) return;
      var url = newFileUrl(repo.url, repo.forge, repo.branch, repo.folder, current.name,
                           current.text);
      if (url) window.open(url, "_blank", "noopener");
      say(t("Opened the web editor with {file}: review it, then propose the change.",
            { file: current.name }));
    });

    update();
  }

  function start() {
    var form = document.getElementById("csi-raise");
    if (form) wire(form);
  }

  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", start);
  else start();
})();
