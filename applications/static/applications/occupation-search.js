/* ISCO-08 occupation search-as-you-type, progressive enhancement over a plain <select>.
 * Without JavaScript the <select> lists every occupation. With it, the select is hidden and
 * replaced by a text box (ARIA combobox) that queries the JSON endpoint as one types; the
 * chosen code is written back into the select, so the form posts exactly the same field. */
(function () {
  "use strict";
  if (!window.fetch) { return; }
  var selects = document.querySelectorAll("select[data-module=occupation-search]");
  Array.prototype.forEach.call(selects, function (select, index) {
    var url = select.getAttribute("data-search-url");
    var wrapper = document.createElement("div");
    wrapper.className = "occupation-search";
    var input = document.createElement("input");
    var listId = "occupation-results-" + index;
    input.type = "text";
    input.id = select.id;
    select.id = select.id + "-select";
    input.setAttribute("role", "combobox");
    input.setAttribute("aria-autocomplete", "list");
    input.setAttribute("aria-expanded", "false");
    input.setAttribute("aria-controls", listId);
    input.setAttribute("autocomplete", "off");
    ["aria-describedby", "aria-invalid"].forEach(function (name) {
      if (select.hasAttribute(name)) { input.setAttribute(name, select.getAttribute(name)); }
    });
    var chosen = select.options[select.selectedIndex];
    if (chosen && chosen.value) { input.value = chosen.text; }
    var list = document.createElement("ul");
    list.id = listId;
    list.className = "occupation-search__list";
    list.setAttribute("role", "listbox");
    list.hidden = true;
    var status = document.createElement("div");
    status.className = "visually-hidden";
    status.setAttribute("role", "status");
    select.hidden = true;
    select.parentNode.insertBefore(wrapper, select);
    wrapper.appendChild(input);
    wrapper.appendChild(list);
    wrapper.appendChild(status);
    wrapper.appendChild(select);
    var active = -1;
    var pending = null;

    function choose(option) {
      select.value = option.getAttribute("data-code");
      input.value = option.textContent;
      close();
    }
    function close() {
      list.hidden = true;
      input.setAttribute("aria-expanded", "false");
      input.removeAttribute("aria-activedescendant");
      active = -1;
    }
    function highlight(i) {
      var options = list.querySelectorAll("li");
      if (!options.length) { return; }
      active = (i + options.length) % options.length;
      Array.prototype.forEach.call(options, function (o, n) { o.setAttribute("aria-selected", n === active ? "true" : "false"); });
      input.setAttribute("aria-activedescendant", options[active].id);
      options[active].scrollIntoView({block: "nearest"});
    }
    function render(results) {
      list.innerHTML = "";
      results.forEach(function (r, n) {
        var li = document.createElement("li");
        li.id = listId + "-" + n;
        li.className = "occupation-search__option";
        li.setAttribute("role", "option");
        li.setAttribute("aria-selected", "false");
        li.setAttribute("data-code", r.code);
        li.textContent = r.title + " (" + r.code + ")";
        li.addEventListener("mousedown", function (event) { event.preventDefault(); choose(li); });
        list.appendChild(li);
      });
      list.hidden = !results.length;
      input.setAttribute("aria-expanded", results.length ? "true" : "false");
      status.textContent = (select.getAttribute("data-results-text") || "{count}").replace("{count}", results.length);
    }
    input.addEventListener("input", function () {
      select.value = "";
      clearTimeout(pending);
      var q = input.value.trim();
      if (q.length < 2) { render([]); return; }
      pending = setTimeout(function () {
        fetch(url + "?q=" + encodeURIComponent(q), {credentials: "same-origin"})
          .then(function (r) { return r.json(); })
          .then(function (data) { render(data.results || []); })
          .catch(function () { select.hidden = false; });
      }, 200);
    });
    input.addEventListener("keydown", function (event) {
      if (event.key === "ArrowDown") { event.preventDefault(); highlight(active + 1); }
      else if (event.key === "ArrowUp") { event.preventDefault(); highlight(active - 1); }
      else if (event.key === "Enter" && active >= 0) { event.preventDefault(); choose(list.querySelectorAll("li")[active]); }
      else if (event.key === "Escape") { close(); }
    });
    input.addEventListener("blur", function () { setTimeout(close, 100); });
  });
})();
