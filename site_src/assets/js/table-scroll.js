// Wide tables on a narrow screen. Material wraps every table in .md-typeset__scrollwrap, which
// scrolls sideways, but nothing on the page says so. For each wrap (and each chart figure, which
// scrolls the same way on a phone) whose content is wider than it is, this shows a one-line hint
// above it and fades the edge on the side where more columns are hidden.
document$.subscribe(function () {
  var boxes = document.querySelectorAll("article .md-typeset__scrollwrap, article figure.budget-chart");
  boxes.forEach(function (box) {
    if (box.previousElementSibling && box.previousElementSibling.classList.contains("budget-scroll-hint")) {
      return;  // set up already
    }
    var hint = document.createElement("p");
    hint.className = "budget-scroll-hint";
    hint.textContent = box.tagName === "FIGURE" ? "图表较宽，可左右滑动查看" : "表格较宽，可左右滑动查看全部列";
    hint.hidden = true;
    box.parentNode.insertBefore(hint, box);
    function update() {
      var more = box.scrollWidth - box.clientWidth;
      var wide = more > 1;
      hint.hidden = !wide;
      box.classList.toggle("budget-scroll", wide);
      box.classList.toggle("budget-scroll-start", box.scrollLeft <= 1);
      box.classList.toggle("budget-scroll-end", box.scrollLeft >= more - 1);
    }
    box.addEventListener("scroll", update, { passive: true });
    if (window.ResizeObserver) {
      new ResizeObserver(update).observe(box);
    }
    update();
  });
});
