// Filters apply as soon as a choice changes (the 更新 button does the same without JavaScript).
(function () {
  "use strict";
  var form = document.getElementById("insights-filters");
  if (!form) { return; }
  form.querySelectorAll("select").forEach(function (select) {
    select.addEventListener("change", function () {
      form.setAttribute("aria-busy", "true");
      form.submit();
    });
  });
})();
