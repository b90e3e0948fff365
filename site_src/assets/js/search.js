// Site search on Pagefind (pagefind/pagefind.js, written by `pagefind` after the MkDocs build,
// see generator/publish/build.py), in Material's search dialog (site_src/overrides/main.html).
//
// Nothing is downloaded until the reader opens the search: then pagefind.js, its wasm and the
// index chunks of the words typed; the page data ("fragments") only of the results shown, 10 at
// a time. Pagefind needs HTTP (fetch): opened from disk (file://) the dialog says so.
//
// Order of the results: pages named exactly as typed (a `name` filter: 医保 → every 医保局,
// 行政运行 → the code pages of that name, 深圳 → 深圳's bureau, 三公经费 → the bureaus with that
// figure); then pages that have every Chinese term of the query as typed (机关运行经费, not 机关
// here and 运行 there); within each, bureau and code pages, then document pages, then the
// explanatory pages; then Pagefind's ranking (bureau names, short names and region are weighted
// metadata, site_src/hooks/pagefind_attrs.py). All come from extra Pagefind searches (a filter, a
// quoted phrase) on chunks already loaded: no page data. A result shows the figure it matched: a
// table row in the excerpt becomes "2101501 行政运行 7,517.14" instead of a run of cells; a bureau
// found by its name or a key figure's shows its key figures (meta `figure`, from the facts).
(function () {
  "use strict";
  var PAGE = 10;
  var TYPE_RANK = { "部门": 0, "科目": 0, "文件": 1, "说明": 2 };
  var NUMBER = /^[-−]?\d[\d,]*(\.\d+)?%?$/;
  var CODE = /^\d{3,7}$/;
  var HAN = /[\u3400-\u9fff]/;
  var QUOTES = /[“”"‘’「」]/g;  // (also in run())

  var root = document.querySelector("[data-budget-search]");
  var toggle = document.getElementById("__search");
  if (!root || !toggle) return;
  var input = root.querySelector("input.md-search__input");
  var meta = root.querySelector(".md-search-result__meta");
  var list = root.querySelector(".md-search-result__list");
  var config = JSON.parse(document.getElementById("__config").textContent);
  var base = new URL(config.base.replace(/\/?$/, "/"), location.href);
  var pagefind = null;
  var seq = 0;

  function load() {
    if (!pagefind) {
      if (location.protocol === "file:") {
        pagefind = Promise.reject(new Error("file"));
      } else {
        pagefind = import(new URL("pagefind/pagefind.js", base).href).then(function (pf) {
          return pf.options({
            baseUrl: base.pathname,
            excerptLength: 24,
            // pageLength 0.2 (Pagefind: 0.75): a code page that lists more documents is longer,
            // and should not lose to one that lists fewer (行政运行: 2101501, 7 documents, first)
            ranking: { pageLength: 0.2, metaWeights: { aliases: 10, region: 3, title: 5 } }
          }).then(function () { pf.init(); return pf; });
        });
      }
      pagefind.catch(function () {
        meta.textContent = location.protocol === "file:"
          ? "从本地文件打开时无法搜索：搜索需要网页服务器，例如在网站目录的上一级运行 python -m http.server -d site，再打开 http://localhost:8000/。"
          : "搜索索引加载失败。";
      });
    }
    return pagefind;
  }

  // the text of Pagefind's excerpt (HTML-escaped text with <mark>) as [text, marked] pieces
  function pieces(excerpt) {
    var out = [];
    excerpt.split(/(<mark>|<\/mark>)/).reduce(function (marked, part) {
      if (part === "<mark>") return true;
      if (part === "</mark>") return false;
      var text = new DOMParser().parseFromString(part, "text/html").body.textContent;
      if (text) out.push([text, marked]);
      return marked;
    }, false);
    return out;
  }

  function setText(el, parts) {
    parts.forEach(function (p) {
      if (p[1]) {
        var m = document.createElement("mark");
        m.textContent = p[0];
        el.appendChild(m);
      } else {
        el.appendChild(document.createTextNode(p[0]));
      }
    });
  }

  // "2101501. 行政运行. 7,517.14. 2101504" (cells of a table row, as Pagefind joins them) →
  // "2101501 行政运行 7,517.14": the first cell that has a whole term of the query, the code
  // before it or the name after it, and the first number after them; null when the excerpt is
  // no table row
  function figure(parts, terms) {
    var cells = [], marks = [], text = "";
    parts.forEach(function (p) { text += p[1] ? "\u0001" + p[0] + "\u0002" : p[0]; });
    text.split(/\.\s+/).forEach(function (cell) {
      marks.push(cell.indexOf("\u0001") >= 0);
      cells.push(cell.replace(/[\u0001\u0002]/g, "").trim());
    });
    var i = -1;
    for (var k = 0; k < cells.length && i < 0; k++) {
      if (marks[k] && terms.some(function (t) { return cells[k].indexOf(t) >= 0; })) i = k;
    }
    if (i < 0) return null;
    var row = [];
    if (CODE.test(cells[i])) {
      row = [cells[i], cells[i + 1] || ""];
      i += 1;
    } else {
      if (i > 0 && CODE.test(cells[i - 1])) row.push(cells[i - 1]);
      row.push(cells[i]);
    }
    if (!row[row.length - 1] || row[row.length - 1].length > 40) return null;
    for (var j = i + 1; j < Math.min(cells.length, i + 4); j++) {
      if (NUMBER.test(cells[j])) return row.concat([cells[j]]).join(" ");
      if (CODE.test(cells[j])) break;
    }
    return null;
  }

  function link(href, heading, tag, excerpt, terms) {
    var a = document.createElement("a");
    a.className = "md-search-result__link";
    a.href = href;
    var article = document.createElement("article");
    article.className = "md-search-result__article md-typeset";
    if (tag === "h1") {
      var icon = document.createElement("div");
      icon.className = "md-search-result__icon md-icon";
      article.appendChild(icon);
    }
    var h = document.createElement(tag);
    h.textContent = heading;
    article.appendChild(h);
    var parts = pieces(excerpt || "");
    var fig = figure(parts, terms || []);
    if (fig) {
      var f = document.createElement("p");
      f.className = "budget-search-figure";
      f.textContent = fig;
      article.appendChild(f);
    } else if (parts.length) {
      var p = document.createElement("p");
      setText(p, parts);
      article.appendChild(p);
    }
    a.appendChild(article);
    return a;
  }

  // every term of the query is in the bureau's names (深圳医保局, 深圳 医保, 望都)
  function byName(data, query) {
    var names = (data.meta && data.meta.aliases || "").replace(/\s+/g, "");
    return names && query.split(/\s+/).every(function (t) { return names.indexOf(t) >= 0; });
  }

  function render(data, query) {
    var li = document.createElement("li");
    li.className = "md-search-result__item";
    var terms = query.split(/\s+/);
    var m = data.meta || {};
    var title = (m.title || data.url) + (m.type ? "（" + m.type + "）" : "");
    var subs = (data.sub_results || []).filter(function (s) { return s.url !== data.url; });
    function row(s) { return figure(pieces(s.excerpt), terms); }
    // the section whose excerpt is a table row the query names, else the first section
    var best = subs.filter(row)[0] || subs[0];
    var first;
    // the key figures: of a code page always; of a bureau found by its name or by a term of them
    // (三公经费 → “三公”经费合计)
    var plain = (m.figure || "").replace(QUOTES, "");
    var keyFigure = m.figure && (m.type === "科目" || byName(data, query) || terms.some(function (t) {
      return plain.indexOf(t.replace(QUOTES, "")) >= 0;
    }));
    if (keyFigure) {
      first = link(data.url, title, "h1", "", terms);
      var f = document.createElement("p");
      f.className = "budget-search-figure";
      f.textContent = m.figure;
      first.querySelector("article").appendChild(f);
    }
    var shownRow = !keyFigure && best && row(best);
    if (!keyFigure) {
      first = link(data.url, title, "h1", shownRow ? best.excerpt : data.excerpt, terms);
    }
    li.appendChild(first);
    // the section the figure is in (its row already shown above: the heading alone)
    if (best) li.appendChild(link(best.url, best.title, "h2", shownRow ? "" : best.excerpt, terms));
    return li;
  }

  function ids(search) {
    return search.then(function (r) {
      var s = new Set();
      (r && r.results || []).forEach(function (x) { s.add(x.id); });
      return s;
    });
  }

  function rank(pf, query, results) {
    var terms = query.split(/\s+/).filter(function (t) { return HAN.test(t) && t.length > 1; });
    var exact = Promise.all(terms.map(function (t) { return ids(pf.search('"' + t + '"')); }));
    var types = Promise.all(Object.keys(TYPE_RANK).map(function (t) {
      return ids(pf.search(query, { filters: { type: t } })).then(function (s) { return [t, s]; });
    }));
    var named = ids(pf.search(query, { filters: { name: query } }));
    return Promise.all([types, exact, named]).then(function (got) {
      var byType = got[0], sets = got[1], names = got[2];
      function key(r, i) {
        var type = 3;
        byType.forEach(function (ts) { if (ts[1].has(r.id)) type = Math.min(type, TYPE_RANK[ts[0]]); });
        var whole = sets.every(function (s) { return s.has(r.id); }) ? 0 : 1;
        return [names.has(r.id) ? 0 : 1, whole, type, i];
      }
      return results.map(function (r, i) { return [key(r, i), r]; }).sort(function (a, b) {
        for (var k = 0; k < 4; k++) if (a[0][k] !== b[0][k]) return a[0][k] - b[0][k];
        return 0;
      }).map(function (x) { return x[1]; });
    });
  }

  function show(results, from, mine, query) {
    var slice = results.slice(from, from + PAGE);
    return Promise.all(slice.map(function (r) { return r.data(); })).then(function (data) {
      if (mine !== seq) return;
      var more = list.querySelector(".budget-search-more");
      if (more) more.remove();
      data.forEach(function (d) { list.appendChild(render(d, query)); });
      if (results.length > from + PAGE) {
        var li = document.createElement("li");
        li.className = "budget-search-more";
        var button = document.createElement("button");
        button.type = "button";
        button.className = "md-button";
        button.textContent = "更多结果（还有 " + (results.length - from - PAGE) + " 个）";
        button.addEventListener("click", function () { show(results, from + PAGE, mine, query); });
        li.appendChild(button);
        list.appendChild(li);
      }
      root.setAttribute("data-budget-search-state", "done");
    });
  }

  function run() {
    // quotes inside a term go (“三公”经费 → 三公经费), other punctuation separates terms
    var query = input.value.replace(QUOTES, "").replace(/[『』《》【】（）()，。、；：？！·…—]/g, " ")
      .replace(/\s+/g, " ").trim();
    var mine = ++seq;
    root.setAttribute("data-budget-search-state", "busy");
    if (!query) {
      list.textContent = "";
      meta.textContent = "输入部门名称、地区、科目名称或编码（如 深圳医保局、行政运行、2101501）";
      root.setAttribute("data-budget-search-state", "idle");
      return;
    }
    load().then(function (pf) {
      return pf.debouncedSearch(query, {}, 150).then(function (search) {
        if (search === null || mine !== seq) return;
        return rank(pf, query, search.results).then(function (results) {
          if (mine !== seq) return;
          list.textContent = "";
          meta.textContent = results.length ? "找到 " + results.length + " 个页面" : "没有找到与“" + query + "”相符的页面";
          return show(results, 0, mine, query);
        });
      });
    }).catch(function () {});
  }

  function open() {
    if (!toggle.checked) {
      toggle.checked = true;
      toggle.dispatchEvent(new Event("change"));
    }
    load();
  }

  function close() {
    if (toggle.checked) {
      toggle.checked = false;
      toggle.dispatchEvent(new Event("change"));
    }
    input.blur();
  }

  input.addEventListener("focus", open);
  input.addEventListener("input", run);
  root.querySelector("form").addEventListener("submit", function (e) {
    e.preventDefault();
    var first = list.querySelector("a.md-search-result__link");
    if (first) location.href = first.href;
  });
  root.querySelector("form").addEventListener("reset", function () {
    setTimeout(function () { run(); input.focus(); });
  });
  toggle.addEventListener("change", function () {
    if (toggle.checked) setTimeout(function () { input.focus(); }, 50);
  });

  // keyboard: / s f open the search; in it, Escape closes, ↓ ↑ move through the results
  document.addEventListener("keydown", function (e) {
    if (e.ctrlKey || e.metaKey || e.altKey) return;
    var inSearch = root.contains(document.activeElement);
    var editing = /^(INPUT|TEXTAREA|SELECT)$/.test(document.activeElement && document.activeElement.tagName || "");
    if (!inSearch && !editing && (e.key === "/" || e.key === "s" || e.key === "f")) {
      e.preventDefault();
      open();
      input.focus();
      input.select();
      return;
    }
    if (!toggle.checked || !inSearch) return;
    if (e.key === "Escape") {
      e.preventDefault();
      close();
    } else if (e.key === "ArrowDown" || e.key === "ArrowUp") {
      var links = Array.prototype.slice.call(list.querySelectorAll("a.md-search-result__link, .budget-search-more button"));
      if (!links.length) return;
      e.preventDefault();
      var at = links.indexOf(document.activeElement);
      var next = e.key === "ArrowDown" ? Math.min(at + 1, links.length - 1) : at - 1;
      (next < 0 ? input : links[next]).focus();
    }
  });
})();
