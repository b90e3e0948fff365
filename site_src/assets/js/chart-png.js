// "下载 PNG" for every chart: the chart's own SVG (the file its "下载 SVG" link points to) drawn
// on a canvas at twice its size and saved as PNG, in the browser, so the site does not store a
// second image of every chart. The link is added by this script: without JavaScript only the
// CSV and SVG links show.
document$.subscribe(function () {
  document.querySelectorAll("article figure.budget-chart").forEach(function (figure) {
    var svgLink = figure.querySelector('figcaption a[href$=".svg"][download]');
    if (!svgLink || figure.querySelector("a.budget-png")) {
      return;
    }
    var png = document.createElement("a");
    png.className = "budget-png";
    png.href = svgLink.getAttribute("href");
    png.textContent = "下载 PNG";
    png.addEventListener("click", function (event) {
      event.preventDefault();
      var name = svgLink.getAttribute("href").split("/").pop().replace(/\.svg$/, ".png");
      var image = new Image();
      image.onload = function () {
        var scale = 2;
        var canvas = document.createElement("canvas");
        canvas.width = image.naturalWidth * scale;
        canvas.height = image.naturalHeight * scale;
        var context = canvas.getContext("2d");
        context.fillStyle = "#ffffff";  // white under the chart, as on the page
        context.fillRect(0, 0, canvas.width, canvas.height);
        context.drawImage(image, 0, 0, canvas.width, canvas.height);
        canvas.toBlob(function (blob) {
          var url = URL.createObjectURL(blob);
          var save = document.createElement("a");
          save.href = url;
          save.download = name;
          document.body.appendChild(save);
          save.click();
          save.remove();
          setTimeout(function () { URL.revokeObjectURL(url); }, 10000);
        }, "image/png");
      };
      image.src = svgLink.href;
    });
    svgLink.after(document.createTextNode(" · "), png);
  });
});
