// Each chart keeps its minimum width on narrow screens (it scrolls): read from data-min-width, since
// the pages' CSP allows no inline style attribute.
document.querySelectorAll("svg[data-min-width]").forEach(function (svg) {
  svg.style.minWidth = svg.getAttribute("data-min-width") + "px";
});
