// prlint report: filter and page the findings table. Filters live in the URL hash
// (#?check=NAME&severity=S&company=N&file=TEXT&page=P), so a filtered view can be shared.
(function () {
  "use strict";
  document.documentElement.classList.add("js");  // the page's script ran (tests look for it)
  var table = document.getElementById("table");
  var form = document.getElementById("filters");
  if (!table || !form) { return; }
  var rows = Array.prototype.slice.call(table.tBodies[0].rows);
  var size = parseInt(table.getAttribute("data-page-size"), 10) || 100;
  var showing = document.getElementById("showing");
  var page = 0;
  var matching = rows;

  function value(name) { return form.elements[name].value; }

  function apply(keepPage, updateHash) {
    var check = value("check"), severity = value("severity"), company = value("company");
    var file = value("file").toLowerCase();
    matching = rows.filter(function (row) {
      return (!check || row.getAttribute("data-check") === check) &&
        (!severity || row.getAttribute("data-severity") === severity) &&
        (!company || row.getAttribute("data-company") === company) &&
        (!file || row.getAttribute("data-path").toLowerCase().indexOf(file) !== -1);
    });
    var pages = Math.max(1, Math.ceil(matching.length / size));
    if (!keepPage) { page = 0; }
    page = Math.min(Math.max(page, 0), pages - 1);
    var shown = new Set(matching.slice(page * size, (page + 1) * size));
    rows.forEach(function (row) { row.hidden = !shown.has(row); });
    showing.textContent = matching.length
      ? (page * size + 1) + "\u2013" + Math.min((page + 1) * size, matching.length) +
        " of " + matching.length + (matching.length !== rows.length ? " (of " + rows.length + ")" : "")
      : "no matching findings";
    var params = [];
    ["check", "severity", "company", "file"].forEach(function (name) {
      if (value(name)) { params.push(name + "=" + encodeURIComponent(value(name))); }
    });
    if (page) { params.push("page=" + (page + 1)); }
    if (updateHash) {
      try {
        history.replaceState(null, "", params.length ? "#?" + params.join("&") : location.pathname);
      } catch (err) { /* some browsers refuse it for files opened from disk */ }
    }
  }

  function fromHash() {
    var hash = location.hash;
    if (hash.indexOf("#?") !== 0) { return false; }
    var params = {};
    hash.slice(2).split("&").forEach(function (pair) {
      var at = pair.indexOf("=");
      if (at > 0) { params[pair.slice(0, at)] = decodeURIComponent(pair.slice(at + 1)); }
    });
    ["check", "severity", "company", "file"].forEach(function (name) {
      var field = form.elements[name];
      field.value = params[name] || "";
      if (field.value !== (params[name] || "")) { field.value = ""; }  // not an option
    });
    page = (parseInt(params.page, 10) || 1) - 1;
    apply(true, false);
    return true;
  }

  function reveal(id) {
    var row = document.getElementById(id);
    if (!row || row.parentNode.parentNode !== table) { return false; }
    if (matching.indexOf(row) === -1) { form.reset(); apply(false, false); }
    page = Math.floor(matching.indexOf(row) / size);
    apply(true, false);
    row.classList.remove("flash");
    void row.offsetWidth;
    row.classList.add("flash");
    row.scrollIntoView({block: "center"});
    return true;
  }

  form.addEventListener("input", function () { apply(false, true); });
  form.addEventListener("submit", function (event) { event.preventDefault(); });
  document.getElementById("prev").addEventListener("click", function () { page -= 1; apply(true, true); });
  document.getElementById("next").addEventListener("click", function () { page += 1; apply(true, true); });
  document.addEventListener("click", function (event) {
    var link = event.target.closest && event.target.closest("a[href^='#']");
    if (!link) { return; }
    var href = link.getAttribute("href");
    if (href.indexOf("#?") === 0) {
      event.preventDefault();
      location.hash = href;
      fromHash();
      document.getElementById("findings").scrollIntoView();
    } else if (/^#f\d+$/.test(href) && reveal(href.slice(1))) {
      event.preventDefault();
    }
  });
  window.addEventListener("hashchange", fromHash);
  if (!fromHash()) {
    if (/^#f\d+$/.test(location.hash)) { reveal(location.hash.slice(1)); } else { apply(false, false); }
  }
})();
