// Sortable tables (tablesort 5.7.1, vendored from the npm registry in assets/js/vendor/).
// Material for MkDocs swaps pages without reloading when instant loading is on, so tables are
// set up on every page through its document$ observable; numbers with separators
// (1,773.19) sort as numbers through tablesort.number.
document$.subscribe(function () {
  document.querySelectorAll("article table:not([class])").forEach(function (table) {
    new Tablesort(table);
  });
});
