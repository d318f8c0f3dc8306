/* A long <select> with search (countries, occupations): progressive enhancement, no server round trip.
 * Without JavaScript the native <select> works as it is. With it, the select is hidden and a
 * text box (ARIA 1.2 combobox) filters the select's own options as one types; the chosen
 * option is written back into the select, so the form posts the same field. Text typed but
 * not chosen is posted as typed, and the server reads it ("Kazakhstan", "Казахстан") or
 * answers with an error in the page language. */
(function () {
  "use strict";
  var KAZAKH = {"ә": "а", "ғ": "г", "қ": "к", "ң": "н", "ө": "о", "ұ": "у", "ү": "у", "һ": "х", "і": "и"};
  function fold(text) {
    var out = (text || "").toLowerCase();
    if (out.normalize) { out = out.normalize("NFD").replace(/[\u0300-\u036f]/g, ""); }
    return out.replace(/[әғқңөұүһі]/g, function (ch) { return KAZAKH[ch]; }).replace(/[\s'ʻ‘’-]+/g, " ").trim();
  }
  var selects = document.querySelectorAll("select[data-module=select-search]");
  Array.prototype.forEach.call(selects, function (select, index) {
    var options = Array.prototype.filter.call(select.options, function (o) { return o.value; }).map(function (o) {
      return {value: o.value, text: o.text, folded: fold(o.text)};
    });
    var wrapper = document.createElement("div");
    wrapper.className = "select-search";
    var input = document.createElement("input");
    var listId = "select-search-" + index;
    input.type = "text";
    input.id = select.id;
    input.className = "select-search__input";
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
    list.className = "select-search__list";
    list.setAttribute("role", "listbox");
    list.hidden = true;
    var status = document.createElement("div");
    status.className = "visually-hidden";
    status.setAttribute("role", "status");
    select.hidden = true;
    select.setAttribute("aria-hidden", "true");
    select.tabIndex = -1;
    select.parentNode.insertBefore(wrapper, select);
    wrapper.appendChild(input);
    wrapper.appendChild(list);
    wrapper.appendChild(status);
    wrapper.appendChild(select);
    var active = -1;

    function close() {
      list.hidden = true;
      input.setAttribute("aria-expanded", "false");
      input.removeAttribute("aria-activedescendant");
      active = -1;
    }
    function choose(li) {
      select.value = li.getAttribute("data-value");
      input.value = li.textContent;
      close();
    }
    function highlight(i) {
      var items = list.querySelectorAll("li");
      if (!items.length) { return; }
      active = (i + items.length) % items.length;
      Array.prototype.forEach.call(items, function (o, n) { o.setAttribute("aria-selected", n === active ? "true" : "false"); });
      input.setAttribute("aria-activedescendant", items[active].id);
      items[active].scrollIntoView({block: "nearest"});
    }
    function render(query) {
      var words = fold(query).split(" ").filter(Boolean);
      var found = words.length ? options.filter(function (o) {
        return o.value.toLowerCase() === query.trim().toLowerCase() ||
          words.every(function (w) { return o.folded.indexOf(w) !== -1; });
      }).slice(0, 50) : [];
      list.innerHTML = "";
      found.forEach(function (o, n) {
        var li = document.createElement("li");
        li.id = listId + "-" + n;
        li.className = "select-search__option";
        li.setAttribute("role", "option");
        li.setAttribute("aria-selected", "false");
        li.setAttribute("data-value", o.value);
        li.textContent = o.text;
        li.addEventListener("mousedown", function (event) { event.preventDefault(); choose(li); });
        list.appendChild(li);
      });
      list.hidden = !found.length;
      input.setAttribute("aria-expanded", found.length ? "true" : "false");
      status.textContent = words.length ? (select.getAttribute("data-results-text") || "{count}").replace("{count}", found.length) : "";
    }
    input.addEventListener("input", function () {
      select.value = "";
      render(input.value);
    });
    input.addEventListener("keydown", function (event) {
      if (event.key === "ArrowDown") { event.preventDefault(); if (list.hidden) { render(input.value); } highlight(active + 1); }
      else if (event.key === "ArrowUp") { event.preventDefault(); highlight(active - 1); }
      else if (event.key === "Enter" && !list.hidden && active >= 0) { event.preventDefault(); choose(list.querySelectorAll("li")[active]); }
      else if (event.key === "Escape") { close(); }
    });
    input.addEventListener("blur", function () { setTimeout(close, 100); });
    if (select.form) {
      select.form.addEventListener("submit", function () {
        var typed = input.value.trim();
        if (select.value || !typed) { return; }
        var exact = options.filter(function (o) { return o.folded === fold(typed); })[0];
        if (exact) { select.value = exact.value; return; }
        var option = new Option(typed, typed, true, true);
        select.add(option);
      });
    }
  });
})();
