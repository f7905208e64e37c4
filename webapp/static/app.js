// filmsearch: progressive enhancement of the server-rendered pages.
// Without this file every page works through plain links and forms; with it, results
// update as you type, the search box suggests films, people and words, "/" focuses the
// search box, and passage links can be copied.
(function () {
  "use strict";

  var box = document.getElementById("q");
  var form = box && box.form;
  var list = document.getElementById("suggestions");
  var main = document.getElementById("main");
  var announcer = document.getElementById("announce");

  function debounce(fn, ms) {
    var timer = null;
    function later() {
      var args = arguments;
      clearTimeout(timer);
      timer = setTimeout(function () { fn.apply(null, args); }, ms);
    }
    later.cancel = function () { clearTimeout(timer); };
    return later;
  }

  function announce(text) {
    if (!announcer) return;
    announcer.textContent = "";
    // A fresh text node makes screen readers read the message even when it repeats.
    setTimeout(function () { announcer.textContent = text; }, 50);
  }

  // ---- "/" focuses the search box ------------------------------------------------------
  document.addEventListener("keydown", function (event) {
    if (event.key !== "/" || event.ctrlKey || event.metaKey || event.altKey || !box) return;
    var target = event.target;
    var tag = target && target.tagName;
    if (tag === "INPUT" || tag === "TEXTAREA" || tag === "SELECT" || target.isContentEditable) {
      return;
    }
    event.preventDefault();
    box.focus();
    box.select();
  });

  // ---- live results: fetch the page the URL names and swap its <main> -------------------
  function isSearchUrl(url) {
    return url.origin === location.origin && (url.pathname === "/" || url.pathname === "/search");
  }

  function onSearchPage() {
    return isSearchUrl(new URL(location.href)) && main && main.querySelector(".layout");
  }

  var pending = null;
  var previewShown = false; // the results on screen are a preview of half-typed words

  // `quiet`: a preview while typing, not announced to screen readers.
  function render(doc, quiet) {
    var fresh = doc.getElementById("main");
    if (!fresh) return;
    var active = document.activeElement;
    var inMain = !!(active && main.contains(active) && active !== main);
    var activeId = inMain ? active.id : "";
    var caret = activeId && "selectionStart" in active ? active.selectionStart : null;
    main.replaceChildren.apply(main, Array.prototype.slice.call(fresh.childNodes));
    document.title = doc.title;
    var twin = doc.querySelector('link[rel="alternate"][type="application/json"]');
    var mine = document.querySelector('link[rel="alternate"][type="application/json"]');
    if (twin && mine) mine.setAttribute("href", twin.getAttribute("href"));
    var hidden = doc.querySelector("form.searchbox .carry");
    var carry = form && form.querySelector(".carry");
    if (hidden && carry) carry.replaceWith(document.importNode(hidden, true));
    var again = activeId ? document.getElementById(activeId) : null;
    if (again) {
      again.focus();
      if (caret !== null && again.setSelectionRange) again.setSelectionRange(caret, caret);
    } else if (inMain) {
      // the control is gone (a facet link, a chip, a page link): go to the results,
      // which also brings them back into view on a phone
      var results = document.getElementById("results");
      if (results) results.focus();
    }
    var count = document.getElementById("result-count");
    if (count && !quiet) announce(count.textContent.replace(/\s+/g, " ").trim());
  }

  // mode: "push" adds a history entry, "replace" rewrites the current one, "none" leaves it,
  // "preview" leaves it too and shows the page only when it finds something. `done` runs
  // once the page is shown. `fallback`: the address shown instead when `url` finds nothing
  // and it finds something.
  function navigate(url, mode, done, fallback) {
    if (pending) pending.abort();
    var controller = new AbortController();
    pending = controller;
    main.setAttribute("aria-busy", "true");
    function page(address) {
      return fetch(address, { headers: { Accept: "text/html" }, signal: controller.signal })
        .then(function (response) { return response.text(); })
        .then(function (html) { return new DOMParser().parseFromString(html, "text/html"); });
    }
    function finds(doc) {
      var total = doc.getElementById("result-count");
      return !!total && total.getAttribute("data-total") !== "0";
    }
    page(url)
      .then(function (doc) {
        if (finds(doc) || !fallback) return [url, doc];
        return page(fallback).then(function (other) {
          return finds(other) ? [fallback, other] : [url, doc];
        });
      })
      .then(function (shown) {
        var address = shown[0];
        var doc = shown[1];
        if (mode === "preview" && !finds(doc)) return;
        if (mode === "push") history.pushState({ live: true }, "", address);
        else if (mode === "replace") history.replaceState({ live: true }, "", address);
        previewShown = mode === "preview";
        render(doc, previewShown);
        if (done) done();
      })
      .catch(function (error) {
        if (error.name !== "AbortError" && mode !== "preview") location.href = url;
      })
      .finally(function () {
        if (pending === controller) {
          pending = null;
          main.removeAttribute("aria-busy");
        }
      });
  }

  function formUrl(someForm) {
    var url = new URL(someForm.getAttribute("action") || location.pathname, location.href);
    var params = new URLSearchParams();
    new FormData(someForm).forEach(function (value, key) {
      if (value !== "") params.append(key, value);
    });
    url.search = params.toString();
    url.hash = "";
    return url;
  }

  // While typing, the last word is still half-typed, so it is searched as a prefix
  // ("fami" as "fami*") and a preview that finds nothing is not shown: "0 passages", "Did
  // you mean" and "No passages match" wait until typing pauses (or Enter), when the query
  // as typed is searched and shown; except that when typing pauses, a query as typed that
  // finds nothing never replaces a preview of the same letters that found passages.
  var PREVIEW_MS = 300;
  var SETTLE_MS = 700;
  var OPERATORS = ["AND", "OR", "NOT"];
  // a plain last word of two letters or more, perhaps signed or in a field: "-fam", "speaker:kla"
  var LAST_WORD = /^[-+]?(?:[\p{L}\p{N}_]+:)?[\p{L}\p{N}]{2,}$/u;

  function asPrefix(text) {
    var quotes = (text.match(/"/g) || []).length;
    if (/\s$/.test(text) || quotes % 2 === 1) return text; // the word is finished, or a phrase
    var words = text.trim().split(/\s+/);
    var last = words[words.length - 1] || "";
    if (!LAST_WORD.test(last) || OPERATORS.indexOf(last) !== -1) return text;
    words[words.length - 1] = last + "*";
    return words.join(" ");
  }

  var preview = debounce(function () {
    if (!onSearchPage()) return;
    var url = formUrl(form);
    var typed = box.value;
    if (!typed.trim()) return; // an empty box is searched when typing settles
    url.searchParams.set("q", asPrefix(typed));
    navigate(url.href, "preview");
  }, PREVIEW_MS);

  // While a preview is on screen, the last word searched as a prefix ("fami*"): what a
  // settled search shows, address and all, when the query as typed finds nothing.
  function prefixFallback(url) {
    var typed = url.searchParams.get("q") || "";
    if (!previewShown || asPrefix(typed) === typed) return null;
    var other = new URL(url.href);
    other.searchParams.set("q", asPrefix(typed));
    return other.href;
  }

  // The first settled search of a burst adds a history entry, the rest of the burst
  // rewrites it, so Back returns to the search before the typing.
  var typing = false;
  var settle = debounce(function () {
    if (!onSearchPage()) return;
    var url = formUrl(form);
    var fallback = prefixFallback(url);
    if (url.href === location.href) {
      // replace a preview with the query as typed
      if (previewShown) navigate(url.href, fallback ? "replace" : "none", null, fallback);
      return;
    }
    // a search cut short by more typing added no entry: the next one must
    navigate(url.href, typing ? "replace" : "push", function () { typing = true; }, fallback);
  }, SETTLE_MS);

  if (box) {
    box.addEventListener("input", function () {
      preview();
      settle();
    });
    box.addEventListener("blur", function () { typing = false; });
    form.addEventListener("submit", function () {
      // Enter searches the query as typed at once: nothing queued may overwrite it
      preview.cancel();
      settle.cancel();
    });
  }

  document.addEventListener("click", function (event) {
    if (event.defaultPrevented || event.button !== 0 || event.metaKey || event.ctrlKey ||
        event.shiftKey || event.altKey) return;
    var link = event.target.closest && event.target.closest("a[href]");
    if (!link || !main.contains(link) || !onSearchPage()) return;
    var url = new URL(link.href, location.href);
    if (!isSearchUrl(url)) return;
    event.preventDefault();
    typing = false;
    navigate(url.href, "push");
    if (link.closest(".pager")) window.scrollTo(0, 0); // a new page starts at the top
    if (box && url.searchParams.has("q")) box.value = url.searchParams.get("q");
  });

  document.addEventListener("submit", function (event) {
    var target = event.target;
    if (!main.contains(target) || !onSearchPage()) return;
    var url = formUrl(target);
    if (!isSearchUrl(url)) return;
    event.preventDefault();
    navigate(url.href, "push");
  });

  // Changing the sort or page size applies at once.
  document.addEventListener("change", function (event) {
    var select = event.target;
    if (select.tagName === "SELECT" && select.form && select.form.classList.contains("sort") &&
        onSearchPage()) {
      navigate(formUrl(select.form).href, "push");
    }
  });

  // Searching within a facet's values narrows the list as you type.
  var facetSearch = debounce(function (input) {
    navigate(formUrl(input.form).href, "replace");
  }, 250);
  document.addEventListener("input", function (event) {
    var input = event.target;
    if (input.form && input.form.classList.contains("facet-search") && onSearchPage()) {
      facetSearch(input);
    }
  });

  window.addEventListener("popstate", function () {
    if (!onSearchPage()) return; // e.g. moving between passages of an article
    typing = false;
    navigate(location.href, "none");
    if (box) box.value = new URL(location.href).searchParams.get("q") || "";
  });

  // ---- suggestions: the ARIA combobox pattern --------------------------------------------
  var options = [];
  var activeIndex = -1;

  function closeList() {
    if (!list) return;
    list.hidden = true;
    list.replaceChildren();
    box.setAttribute("aria-expanded", "false");
    box.removeAttribute("aria-activedescendant");
    options = [];
    activeIndex = -1;
  }

  function setActive(index) {
    options.forEach(function (option, i) {
      option.element.setAttribute("aria-selected", i === index ? "true" : "false");
    });
    activeIndex = index;
    if (index < 0) {
      box.removeAttribute("aria-activedescendant");
    } else {
      box.setAttribute("aria-activedescendant", options[index].element.id);
      options[index].element.scrollIntoView({ block: "nearest" });
    }
  }

  function choose(index) {
    var option = options[index];
    if (!option) return;
    var url = new URL(option.url, location.href);
    box.value = url.searchParams.get("q") || "";
    closeList();
    location.href = url.pathname + url.search;
  }

  function showSuggestions(data) {
    if (!list) return;
    closeList();
    var texts = data[1] || [], notes = data[2] || [], urls = data[3] || [];
    texts.forEach(function (text, i) {
      var item = document.createElement("li");
      item.id = "suggestion-" + i;
      item.setAttribute("role", "option");
      item.setAttribute("aria-selected", "false");
      var label = document.createElement("span");
      label.className = "text";
      label.textContent = text;
      var note = document.createElement("span");
      note.className = "note";
      note.textContent = notes[i] || "";
      item.append(label, " ", note);
      item.addEventListener("mousedown", function (event) {
        event.preventDefault(); // keep focus in the box
        choose(i);
      });
      list.appendChild(item);
      options.push({ element: item, url: urls[i] });
    });
    if (options.length) {
      list.hidden = false;
      box.setAttribute("aria-expanded", "true");
    }
  }

  var fetchSuggestions = debounce(function () {
    var text = box.value.trim();
    if (!text) {
      closeList();
      return;
    }
    var url = form.getAttribute("data-suggest") + "?q=" + encodeURIComponent(text);
    fetch(url)
      .then(function (response) { return response.json(); })
      .then(function (data) {
        if (document.activeElement === box && data[0] === box.value.trim()) showSuggestions(data);
      })
      .catch(function () { closeList(); });
  }, 150);

  if (box && list && form) {
    box.addEventListener("input", fetchSuggestions);
    box.addEventListener("blur", function () { setTimeout(closeList, 100); });
    box.addEventListener("keydown", function (event) {
      var open = !list.hidden && options.length > 0;
      if (event.key === "ArrowDown" && open) {
        event.preventDefault();
        setActive(activeIndex + 1 >= options.length ? 0 : activeIndex + 1);
      } else if (event.key === "ArrowUp" && open) {
        event.preventDefault();
        setActive(activeIndex <= 0 ? options.length - 1 : activeIndex - 1);
      } else if (event.key === "Enter" && open && activeIndex >= 0) {
        event.preventDefault();
        choose(activeIndex);
      } else if (event.key === "Escape" && open) {
        event.preventDefault();
        closeList();
      } else if (event.key === "Enter") {
        closeList();
      }
    });
  }

  // ---- copy a passage's link --------------------------------------------------------------
  document.addEventListener("click", function (event) {
    var link = event.target.closest && event.target.closest("a.copy-link[data-copy]");
    if (!link || !navigator.clipboard) return;
    event.preventDefault();
    navigator.clipboard.writeText(link.getAttribute("data-copy")).then(
      function () {
        link.classList.add("copied");
        announce("Link copied");
        setTimeout(function () { link.classList.remove("copied"); }, 2000);
      },
      function () { location.href = link.href; }
    );
  });

  // ---- copy a citation ----------------------------------------------------------------------
  if (navigator.clipboard) {
    Array.prototype.forEach.call(document.querySelectorAll("button.copy-text"), function (b) {
      b.hidden = false;
    });
  }
  document.addEventListener("click", function (event) {
    var button = event.target.closest && event.target.closest("button.copy-text[data-copy-from]");
    if (!button || !navigator.clipboard) return;
    var source = document.getElementById(button.getAttribute("data-copy-from"));
    if (!source) return;
    navigator.clipboard.writeText(source.textContent.trim()).then(function () {
      button.textContent = "Copied";
      announce("Citation copied");
      setTimeout(function () { button.textContent = "Copy"; }, 2000);
    });
  });

  // ---- filter a list of names as you type (the form still works without this) ----------
  function fold(text) {
    return text.normalize("NFKD").replace(/[\u0300-\u036f]/g, "").toLowerCase();
  }
  Array.prototype.forEach.call(document.querySelectorAll("input[data-filter-list]"), function (input) {
    var list = document.getElementById(input.getAttribute("data-filter-list"));
    var counter = document.getElementById("entries-count");
    if (!list) return;
    input.addEventListener("input", function () {
      var needle = fold(input.value.trim());
      var shown = 0;
      Array.prototype.forEach.call(list.children, function (item) {
        var hit = !needle || fold(item.getAttribute("data-name") || "").indexOf(needle) !== -1;
        item.hidden = !hit;
        if (hit) shown += 1;
      });
      if (counter) counter.textContent = shown + " shown" + (needle ? " matching “" + input.value.trim() + "”" : "") + ", A–Z.";
      announce(shown + " shown");
    });
  });

  // ---- on a phone, the facets open as a drawer from a "Filters" button ------------------
  document.documentElement.classList.add("js");
  document.addEventListener("click", function (event) {
    var toggle = event.target.closest && event.target.closest(".filters-toggle, .filters-close");
    if (!toggle) return;
    var drawer = document.getElementById("facets");
    if (!drawer) return;
    var open = toggle.classList.contains("filters-toggle") && !drawer.classList.contains("drawer-open");
    drawer.classList.toggle("drawer-open", open);
    var opener = document.querySelector(".filters-toggle");
    if (opener) opener.setAttribute("aria-expanded", open ? "true" : "false");
    if (open) {
      var first = drawer.querySelector("a, button, input");
      if (first) first.focus();
    } else if (opener) {
      opener.focus();
    }
  });
  document.addEventListener("keydown", function (event) {
    var drawer = document.getElementById("facets");
    if (event.key === "Escape" && drawer && drawer.classList.contains("drawer-open")) {
      drawer.classList.remove("drawer-open");
      var opener = document.querySelector(".filters-toggle");
      if (opener) { opener.setAttribute("aria-expanded", "false"); opener.focus(); }
    }
  });
})();
