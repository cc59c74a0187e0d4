// Progressive enhancement only: every page works without this file.
(function () {
  "use strict";
  document.documentElement.classList.add("js");

  // Issue list: "select all on this page".
  var all = document.getElementById("select-all");
  if (all) {
    all.addEventListener("change", function () {
      document.querySelectorAll('#bulk input[name="id"]').forEach(function (box) { box.checked = all.checked; });
    });
  }

  // Bulk actions: owner and deadline only matter for 交办; a reason is
  // required for 忽略; ask before changing many issues at once.
  var action = document.getElementById("bulk-action");
  if (action) {
    var assignOnly = document.querySelectorAll("#bulk .for-assign");
    var reason = document.querySelector('#bulk input[name="reason"]');
    var sync = function () {
      assignOnly.forEach(function (el) { el.hidden = action.value !== "assign"; });
      reason.required = action.value === "ignore";
    };
    action.addEventListener("change", sync);
    sync();
    document.getElementById("bulk").addEventListener("submit", function (ev) {
      var n = document.querySelectorAll('#bulk input[name="id"]:checked').length;
      if (n === 0) {
        ev.preventDefault();
        window.alert(document.documentElement.lang === "en" ? "Select at least one issue." : "请至少选择一个问题。");
        return;
      }
      if (n > 1) {
        var label = action.options[action.selectedIndex].text;
        var msg = document.documentElement.lang === "en" ? label + ": " + n + " issues?" : "对选中的 " + n + " 个问题执行“" + label + "”？";
        if (!window.confirm(msg)) { ev.preventDefault(); }
      }
    });
  }

  // Target form: show the fields of the chosen kind.
  var form = document.getElementById("target-form");
  if (form && form.querySelector('input[name="kind"][type="radio"]')) {
    var kinds = form.querySelectorAll('input[name="kind"]');
    var show = function () {
      var kind = form.querySelector('input[name="kind"]:checked');
      kind = kind ? kind.value : "";
      form.querySelectorAll(".for-site").forEach(function (el) { el.hidden = kind !== "site"; });
      form.querySelectorAll(".for-account").forEach(function (el) { el.hidden = kind !== "account"; });
    };
    kinds.forEach(function (k) { k.addEventListener("change", show); });
    show();
  }
})();
