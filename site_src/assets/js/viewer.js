/* The page viewer (generator/publish/pages/viewer.py): boxes the figure named in the address
   (#v=7517.14, in 万元; &c=2101501: the row's code) on the image of a source page, from the
   numbers printed on it (JSON in the page), scrolls to it and links to the PDF at that page.
   A page printing 元 shows the figure ×10000; the page's preferred scale is tried first. */
(function () {
  "use strict";
  var el = document.getElementById("page-data");
  if (!el) return;
  var data = JSON.parse(el.textContent);
  var params = {};
  location.hash.replace(/^#/, "").split("&").forEach(function (kv) {
    var i = kv.indexOf("=");
    if (i > 0) params[kv.slice(0, i)] = decodeURIComponent(kv.slice(i + 1));
  });

  /* canonical decimal string: no leading/trailing zeros, "-" for negatives */
  function canon(s) {
    var m = /^(-?)(\d*)(?:\.(\d*))?$/.exec(String(s).replace(/,/g, ""));
    if (!m) return null;
    var i = m[2].replace(/^0+/, ""), f = (m[3] || "").replace(/0+$/, "");
    var out = (i || "0") + (f ? "." + f : "");
    return out === "0" ? "0" : m[1] + out;
  }
  /* a canonical decimal times 10^k (k >= 0), exactly */
  function shift(s, k) {
    var neg = s.charAt(0) === "-", t = neg ? s.slice(1) : s;
    var parts = t.split("."), f = parts[1] || "";
    while (f.length < k) f += "0";
    return canon((neg ? "-" : "") + parts[0] + f.slice(0, k) + "." + f.slice(k));
  }
  function fmt(s) {
    var neg = s.charAt(0) === "-", t = neg ? s.slice(1) : s, parts = t.split(".");
    var f = parts[1] || "";
    while (f.length < 2) f += "0";
    return (neg ? "-" : "") + parts[0].replace(/\B(?=(\d{3})+(?!\d))/g, ",") + "." + f;
  }

  var status = document.getElementById("status");
  var pdf = document.getElementById("pdf-link");
  if (pdf) pdf.href = data.pdf + "#page=" + data.page;
  var value = params.v ? canon(params.v) : null;
  if (!value) return;
  var hits = [], shown = value, scale = 1, matched = value;
  /* a fall is often printed without its sign ("下降 1.10%" for -1.1): then its magnitude */
  var tries = value.charAt(0) === "-" ? [value, value.slice(1)] : [value];
  for (var t = 0; t < tries.length && !hits.length; t++) {
    for (var s = 0; s < data.scales.length && !hits.length; s++) {
      scale = data.scales[s];
      shown = shift(tries[t], String(scale).length - 1);
      hits = data.numbers.filter(function (n) { return n[4] === shown; });
      matched = tries[t];
    }
  }
  var page = document.getElementById("page");
  if (!hits.length || !page) {
    status.textContent = "本页没有找到 " + value +
      "：它可能是由其他数字计算得出的（原文没有印出），或印在相邻的页上。";
    status.setAttribute("data-found", "0");
    return;
  }
  /* the row of the code: the numbers printed left of the hit on its line, read as one code */
  function rowCode(hit) {
    var mid = (hit[1] + hit[3]) / 2, h = hit[3] - hit[1];
    return data.numbers.filter(function (n) {
      return n[0] < hit[0] && Math.abs((n[1] + n[3]) / 2 - mid) < h / 2 && /^\d+$/.test(n[5] || n[4]);
    }).sort(function (a, b) { return a[0] - b[0]; }).map(function (n) { return n[5] || n[4]; }).join("");
  }
  var primary = null;
  hits.forEach(function (n) {
    var box = document.createElement("div");
    box.className = "box";
    box.style.left = (n[0] * 100) + "%";
    box.style.top = (n[1] * 100) + "%";
    box.style.width = ((n[2] - n[0]) * 100) + "%";
    box.style.height = ((n[3] - n[1]) * 100) + "%";
    box.title = fmt(shown);
    if (!primary && params.c && rowCode(n).indexOf(params.c) === 0) {
      box.className += " primary";
      primary = box;
    }
    page.appendChild(box);
  });
  primary = primary || page.querySelector(".box");
  if (hits.length === 1 || primary.className.indexOf("primary") < 0) primary.className += " primary";
  status.setAttribute("data-found", String(hits.length));
  status.textContent = "本页有 " + hits.length + " 处 " + fmt(matched) +
    (scale !== 1 ? " 万元（原表以元为单位，印作 " + fmt(shown) + "）" : "") + "，已用方框标出。";
  function reveal() { primary.scrollIntoView({block: "center", inline: "center"}); }
  var img = page.querySelector("img");
  if (img && !img.complete) img.addEventListener("load", reveal); else reveal();
})();
