// Filters for the tables of a page (the code pages and the comparison page).
//
// The page holds an empty <div class="budget-filter" data-columns="年度|阶段|省份|部门类型"
// [data-default="年度=2026|阶段=预算"] [data-note="…"]> before its tables. This script puts one
// <select> per named column in it (全部 + every value of that column in the tables that have
// it), hides the table rows that do not match, and hides each <div class="budget-filter-item"
// data-filter="年度=2026|阶段=预算"> (a chart of one year and phase) whose keys do not match.
// Without JavaScript the box stays empty and every row and chart shows. Values are compared as
// the cells' text; nothing read from the page becomes markup (textContent only).
(function () {
  function headerIndex(table, name) {
    var cells = table.tHead ? table.tHead.rows[0].cells : (table.rows[0] ? table.rows[0].cells : []);
    for (var i = 0; i < cells.length; i++) {
      if (cells[i].textContent.trim() === name) return i;
    }
    return -1;
  }

  function bodyRows(table) {
    var out = [];
    for (var b = 0; b < table.tBodies.length; b++) {
      for (var r = 0; r < table.tBodies[b].rows.length; r++) out.push(table.tBodies[b].rows[r]);
    }
    return out;
  }

  function parseKeys(text) {
    var keys = {};
    (text || "").split("|").forEach(function (pair) {
      var i = pair.indexOf("=");
      if (i > 0) keys[pair.slice(0, i)] = pair.slice(i + 1);
    });
    return keys;
  }

  function sortValues(name, values) {
    return values.sort(function (a, b) {
      var na = Number(a), nb = Number(b);
      if (!isNaN(na) && !isNaN(nb)) return nb - na;  // years: latest first
      return a < b ? -1 : a > b ? 1 : 0;
    });
  }

  function setup(box) {
    if (box.getAttribute("data-ready")) return;
    box.setAttribute("data-ready", "1");
    var names = (box.getAttribute("data-columns") || "").split("|").filter(Boolean);
    var scope = box.closest("article") || document;
    var tables = Array.prototype.filter.call(scope.querySelectorAll("table"), function (t) {
      return names.some(function (n) { return headerIndex(t, n) >= 0; });
    });
    var items = scope.querySelectorAll(".budget-filter-item[data-filter]");
    var defaults = parseKeys(box.getAttribute("data-default"));
    var selects = {};
    var form = document.createElement("div");
    form.className = "budget-filter-controls";
    names.forEach(function (name) {
      var seen = {};
      tables.forEach(function (t) {
        var i = headerIndex(t, name);
        if (i < 0) return;
        bodyRows(t).forEach(function (row) {
          if (row.cells[i]) seen[row.cells[i].textContent.trim()] = true;
        });
      });
      Array.prototype.forEach.call(items, function (item) {
        var v = parseKeys(item.getAttribute("data-filter"))[name];
        if (v !== undefined) seen[v] = true;
      });
      var values = sortValues(name, Object.keys(seen));
      if (values.length < 2) return;  // nothing to choose
      var label = document.createElement("label");
      var caption = document.createElement("span");
      caption.textContent = name;
      var select = document.createElement("select");
      select.setAttribute("data-column", name);
      var all = document.createElement("option");
      all.value = "";
      all.textContent = "全部";
      select.appendChild(all);
      values.forEach(function (v) {
        var o = document.createElement("option");
        o.value = v;
        o.textContent = v;
        select.appendChild(o);
      });
      if (defaults[name] !== undefined && seen[defaults[name]]) select.value = defaults[name];
      select.addEventListener("change", apply);
      label.appendChild(caption);
      label.appendChild(select);
      form.appendChild(label);
      selects[name] = select;
    });
    var reset = document.createElement("button");
    reset.type = "button";
    reset.textContent = "显示全部";
    reset.addEventListener("click", function () {
      Object.keys(selects).forEach(function (n) { selects[n].value = ""; });
      apply();
    });
    form.appendChild(reset);
    var status = document.createElement("p");
    status.className = "budget-filter-status";
    status.setAttribute("aria-live", "polite");
    var note = box.getAttribute("data-note");
    if (note) {
      var p = document.createElement("p");
      p.className = "budget-filter-note";
      p.textContent = note;
      box.appendChild(p);
    }
    box.appendChild(form);
    box.appendChild(status);

    function matches(get) {
      return Object.keys(selects).every(function (n) {
        var want = selects[n].value;
        if (want === "") return true;
        var have = get(n);
        return have === undefined || have === want;
      });
    }

    function apply() {
      var shown = 0, total = 0;
      tables.forEach(function (t, n) {
        var index = {};
        Object.keys(selects).forEach(function (n) { index[n] = headerIndex(t, n); });
        bodyRows(t).forEach(function (row) {
          var ok = matches(function (n) {
            var i = index[n];
            return i >= 0 && row.cells[i] ? row.cells[i].textContent.trim() : undefined;
          });
          row.hidden = !ok;
          if (n === 0) {  // the count is of the first table's rows (the tables list the same rows)
            total++;
            if (ok) shown++;
          }
        });
      });
      Array.prototype.forEach.call(items, function (item) {
        var keys = parseKeys(item.getAttribute("data-filter"));
        item.hidden = !matches(function (n) { return keys[n]; });
      });
      status.textContent = "显示 " + shown + " / " + total + " 行";
    }
    apply();
  }

  function init() {
    document.querySelectorAll(".budget-filter").forEach(setup);
  }
  if (typeof document$ !== "undefined") {
    document$.subscribe(init);  // Material's instant loading swaps pages without a reload
  } else {
    document.addEventListener("DOMContentLoaded", init);
  }
})();
