/* The register in the browser: sort the table by any column, filter it by status,
 * priority, evidence and flag, and show the changes since a date.
 *
 * Plain script, no dependencies, nothing fetched: it works offline. Without it every
 * page is still whole: the table is in id order, the changes are all listed, and the
 * controls (which would do nothing) stay hidden. Filters live in the address
 * (`register/?status=in_progress&flag=stale`, `register/changes/?since=2026-10-01`), so
 * a filtered view can be bookmarked or linked from a review's minutes.
 */
(function () {
  "use strict";

  /* --- Texts ---------------------------------------------------------------------- */

  /** `text` in the site's language (the site puts the catalogue's translations in front of
   * this script as `csiMessages`), its `{name}` placeholders filled from `values`. */
  function t(text, values) {
    var messages = window.csiMessages || {};
    var found = Object.prototype.hasOwnProperty.call(messages, text) ? messages[text] : text;
    return found.replace(/\{(\w+)\}/g, function (whole, name) {
      return values && name in values ? values[name] : whole;
    });
  }

  function number(value) {
    try {
      return Number(value).toLocaleString(document.documentElement.lang || undefined);
    } catch (error) {
      return String(value);
    }
  }

  /* --- Sorting -------------------------------------------------------------------- */

  function sortKey(cell) {
    return cell.hasAttribute("data-sort") ? cell.getAttribute("data-sort") : cell.textContent.trim();
  }

  function compareKeys(a, b, numeric) {
    if (numeric) {
      return parseFloat(a) - parseFloat(b);
    }
    return a.localeCompare(b, undefined, { numeric: true, sensitivity: "base" });
  }

  /** Rows in the order of one column; empty cells always last, ties in their first order. */
  function sortRows(table, index, direction) {
    var body = table.tBodies[0];
    var numeric = table.tHead.rows[0].cells[index].getAttribute("data-sort-type") === "number";
    var rows = Array.prototype.map.call(body.rows, function (row) {
      return { row: row, key: sortKey(row.cells[index]), first: Number(row.getAttribute("data-csi-order")) };
    });
    rows.sort(function (a, b) {
      if ((a.key === "") !== (b.key === "")) {
        return a.key === "" ? 1 : -1;
      }
      var order = a.key === "" ? 0 : compareKeys(a.key, b.key, numeric) * direction;
      return order || a.first - b.first;
    });
    rows.forEach(function (item) { body.appendChild(item.row); });
  }

  function makeSortable(table) {
    var headers = table.tHead.rows[0].cells;
    Array.prototype.forEach.call(table.tBodies[0].rows, function (row, index) {
      row.setAttribute("data-csi-order", String(index));
    });
    Array.prototype.forEach.call(headers, function (header, index) {
      var button = document.createElement("button");
      button.type = "button";
      button.className = "csi-sort";
      while (header.firstChild) {
        button.appendChild(header.firstChild);
      }
      header.appendChild(button);
      button.addEventListener("click", function () {
        var ascending = header.getAttribute("aria-sort") !== "ascending";
        Array.prototype.forEach.call(headers, function (other) { other.removeAttribute("aria-sort"); });
        header.setAttribute("aria-sort", ascending ? "ascending" : "descending");
        sortRows(table, index, ascending ? 1 : -1);
      });
    });
  }

  /* --- The address holds the filters ------------------------------------------------ */

  function queryValues(name) {
    var found = new URLSearchParams(window.location.search).get(name);
    return found === null ? null : found.split(",").filter(Boolean);
  }

  function setQuery(values) {
    var params = new URLSearchParams();
    Object.keys(values).forEach(function (name) {
      if (values[name]) {
        params.set(name, values[name]);
      }
    });
    var query = params.toString();
    var address = window.location.pathname + (query ? "?" + query.replace(/%2C/g, ",") : "") + window.location.hash;
    window.history.replaceState(null, "", address);
  }

  /* --- Filtering the register -------------------------------------------------------- */

  function allBoxes(form, name) {
    return Array.prototype.slice.call(form.querySelectorAll("input[name='" + name + "']"));
  }

  function checked(form, name) {
    return allBoxes(form, name).filter(function (box) { return box.checked; })
      .map(function (box) { return box.value; });
  }

  function presetBoxes(form, name) {
    var wanted = queryValues(name);
    if (wanted !== null) {
      allBoxes(form, name).forEach(function (box) { box.checked = wanted.indexOf(box.value) !== -1; });
    }
  }

  function makeFilter(form) {
    var table = document.getElementById(form.getAttribute("data-csi-filters"));
    if (!table) {
      return;
    }
    var count = form.querySelector("[data-csi-count]");
    var total = table.tBodies[0].rows.length;

    // A row shows when its status, priority and evidence are each among those ticked
    // and it has every flag ticked.
    var anyOf = ["status", "priority", "evidence"];

    function apply(remember) {
      var flags = checked(form, "flag");
      var shown = 0;
      Array.prototype.forEach.call(table.tBodies[0].rows, function (row) {
        var rowFlags = (row.getAttribute("data-flags") || "").split(" ");
        var visible = anyOf.every(function (name) {
          return !allBoxes(form, name).length ||
            checked(form, name).indexOf(row.getAttribute("data-" + name)) !== -1;
        }) && flags.every(function (flag) { return rowFlags.indexOf(flag) !== -1; });
        row.hidden = !visible;
        shown += visible ? 1 : 0;
      });
      count.textContent = t("Showing {shown} of {total} improvements.",
                            { shown: number(shown), total: number(total) });
      if (remember) {
        var every = function (name) { return checked(form, name).length === allBoxes(form, name).length; };
        var query = {};
        anyOf.forEach(function (name) {
          query[name] = every(name) ? "" : checked(form, name).join(",");
        });
        query.flag = flags.join(",");
        setQuery(query);
      }
    }

    ["status", "priority", "evidence", "flag"].forEach(function (name) { presetBoxes(form, name); });
    form.addEventListener("change", function () { apply(true); });
    form.addEventListener("reset", function () {
      // The boxes return to their defaults (every status and priority) after this event.
      window.setTimeout(function () { apply(true); }, 0);
    });
    form.addEventListener("submit", function (event) { event.preventDefault(); });
    form.hidden = false;
    apply(false);
  }

  /* --- Changes since a date ----------------------------------------------------------- */

  function daysBefore(iso, days) {
    var parts = iso.split("-").map(Number);
    var day = new Date(Date.UTC(parts[0], parts[1] - 1, parts[2] - days));
    return day.toISOString().slice(0, 10);
  }

  function makeSince(form) {
    var input = form.elements.since;
    var count = form.querySelector("[data-csi-count]");
    var today = count.getAttribute("data-today");
    var lists = document.querySelectorAll("ol[data-csi-changes]");

    function apply(remember) {
      var since = /^\d{4}-\d{2}-\d{2}$/.test(input.value) ? input.value : "";
      var shown = 0;
      var total = 0;
      Array.prototype.forEach.call(lists, function (list) {
        var visible = 0;
        Array.prototype.forEach.call(list.querySelectorAll("li[data-date]"), function (item) {
          var keep = !since || item.getAttribute("data-date") >= since;
          item.hidden = !keep;
          visible += keep ? 1 : 0;
          total += 1;
        });
        list.hidden = visible === 0;
        var heading = list.previousElementSibling;
        if (heading && /^H[2-6]$/.test(heading.tagName)) {
          heading.hidden = visible === 0;
        }
        shown += visible;
      });
      count.textContent = since
        ? t("{shown} of {total} changes since {date}.",
            { shown: number(shown), total: number(total), date: since })
        : t("All {total} changes.", { total: number(total) });
      if (remember) {
        setQuery({ since: since });
      }
    }

    var preset = queryValues("since");
    if (preset && /^\d{4}-\d{2}-\d{2}$/.test(preset[0])) {
      input.value = preset[0];
    }
    input.addEventListener("change", function () { apply(true); });
    Array.prototype.forEach.call(form.querySelectorAll("button[data-days]"), function (button) {
      button.addEventListener("click", function () {
        input.value = daysBefore(today, Number(button.getAttribute("data-days")));
        apply(true);
      });
    });
    form.addEventListener("reset", function () {
      window.setTimeout(function () { apply(true); }, 0);
    });
    form.addEventListener("submit", function (event) { event.preventDefault(); apply(true); });
    form.hidden = false;
    apply(false);
  }

  /* --- What scrolls sideways says so ------------------------------------------------- */

  // A table on a phone is a card per row and fits; what still does not (a chart's data,
  // the board, a table in a help page) scrolls in its own box, and a hint above it says so.
  var SCROLLERS = ".md-typeset .csi-table, .md-typeset .csi-board, .md-typeset .md-typeset__scrollwrap";

  function scrolls(box) {
    return box.scrollWidth > box.clientWidth + 1;
  }

  function markScrolling() {
    Array.prototype.forEach.call(document.querySelectorAll(SCROLLERS), function (box) {
      var hint = box.previousElementSibling;
      if (!hint || !hint.hasAttribute("data-csi-scroll-hint")) {
        hint = document.createElement("p");
        hint.className = "csi-scroll-hint";
        hint.setAttribute("data-csi-scroll-hint", "");
        hint.textContent = t("Scroll sideways to see more →");
        box.parentNode.insertBefore(hint, box);
      }
      // One hint is enough: a box inside another that already says so stays quiet.
      var outer = box.parentElement && box.parentElement.closest(SCROLLERS);
      hint.hidden = !scrolls(box) || Boolean(outer && scrolls(outer));
    });
  }

  var pending = 0;
  function markSoon() {
    window.clearTimeout(pending);
    pending = window.setTimeout(markScrolling, 100);
  }

  /* --- Wide tables of hand-written pages -------------------------------------------- */

  /** A Markdown table wider than its column scrolls inside Material's wrapper: let the
   * keyboard reach it (a focusable, named region), as the register's own tables do. */
  function reachable(wrapper) {
    if (wrapper.scrollWidth > wrapper.clientWidth && !wrapper.hasAttribute("tabindex")) {
      wrapper.setAttribute("tabindex", "0");
      wrapper.setAttribute("role", "region");
      wrapper.setAttribute("aria-label", t("Table (scrolls sideways)"));
    }
  }

  /* --- Start --------------------------------------------------------------------------- */

  function once(element) {
    if (element.hasAttribute("data-csi-ready")) {
      return false;
    }
    element.setAttribute("data-csi-ready", "");
    return true;
  }

  function start() {
    Array.prototype.forEach.call(document.querySelectorAll("table[data-csi-sortable]"), function (table) {
      if (once(table) && table.tHead && table.tBodies.length) {
        makeSortable(table);
      }
    });
    Array.prototype.forEach.call(document.querySelectorAll("form[data-csi-filters]"), function (form) {
      if (once(form)) {
        makeFilter(form);
      }
    });
    Array.prototype.forEach.call(document.querySelectorAll("form[data-csi-since]"), function (form) {
      if (once(form)) {
        makeSince(form);
      }
    });
    // After Material has wrapped the tables in its own scrolling boxes.
    markSoon();
    Array.prototype.forEach.call(document.querySelectorAll(".md-typeset__scrollwrap"), reachable);
  }

  window.addEventListener("resize", markSoon);
  // A data table inside a closed <details> has no width until it opens.
  document.addEventListener("toggle", markSoon, true);

  // Material's instant loading swaps pages without a new load: it announces each one.
  if (window.document$ && typeof window.document$.subscribe === "function") {
    window.document$.subscribe(start);
  } else if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", start);
  } else {
    start();
  }
})();
