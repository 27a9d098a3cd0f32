// Keep a punctuation mark that follows inline maths on the maths' line. The browser may
// break a line between the two (the maths is one box, the "." the next word), and then
// a sentence ends with a "." or "," alone on a line, mostly on a phone. Wrapping the
// maths and the mark in one box that does not break keeps them together.
document.addEventListener("DOMContentLoaded", () => {
  for (const math of document.querySelectorAll("span.math")) {
    const next = math.nextSibling;
    if (!next || next.nodeType !== Node.TEXT_NODE) continue;
    const marks = next.textContent.match(/^[.,;:!?)]+/);
    if (!marks) continue;
    const keep = document.createElement("span");
    keep.className = "math-with-punctuation";
    math.replaceWith(keep);
    keep.append(math, marks[0]);
    next.textContent = next.textContent.slice(marks[0].length);
  }
});

// --- Accessibility and layout helpers (tests/site/check_site.py checks what they ensure) ---

// A box that scrolls sideways (a wide table on a phone, a long equation) must be reachable
// by keyboard and have a name; a table that scrolls gets a visible cue above it.
function lstmMarkScrollables() {
  const article = document.querySelector("article") || document.body;
  for (const el of article.querySelectorAll("div, pre, mjx-container")) {
    const style = getComputedStyle(el);
    if (!/(auto|scroll)/.test(style.overflowX)) continue;
    const scrolls = el.scrollWidth > el.clientWidth + 1;
    const table = el.querySelector("table");
    if (scrolls) {
      if (!el.hasAttribute("tabindex")) el.setAttribute("tabindex", "0");
      if (!el.hasAttribute("role") && el.tagName !== "PRE") el.setAttribute("role", "region");
      if (!el.hasAttribute("aria-label")) {
        const cap = el.closest(".lstm-table") && el.closest(".lstm-table").querySelector(".lstm-table-caption");
        el.setAttribute("aria-label", cap ? cap.textContent.trim()
          : table ? "table (scrolls sideways)" : el.tagName === "PRE" ? "code"
          : el.tagName === "MJX-CONTAINER" ? "equation (scrolls sideways)" : "wide content (scrolls sideways)");
      }
    }
    if (table) {
      el.classList.toggle("lstm-scrolls", scrolls);
      const prev = el.previousElementSibling;
      const hasHint = prev && prev.classList.contains("lstm-scroll-hint");
      if (scrolls && !hasHint) {
        const hint = document.createElement("p");
        hint.className = "lstm-scroll-hint";
        hint.textContent = "More columns: scroll the table sideways \u2192";
        el.before(hint);
      } else if (!scrolls && hasHint) {
        prev.remove();
      }
    }
  }
}

// Widgets render after the page loads: give each slider, dropdown and text field the name
// its description shows, and each figure image the alternative text recorded in its PNG
// (lstm.book.plots.image_metadata: the tEXt chunk "Description").
function lstmPngDescription(bytes) {
  if (bytes[0] !== 0x89 || bytes[1] !== 0x50) return null;
  const u32 = (i) => ((bytes[i] << 24) | (bytes[i + 1] << 16) | (bytes[i + 2] << 8) | bytes[i + 3]) >>> 0;
  for (let i = 8; i + 8 <= bytes.length;) {
    const len = u32(i), type = String.fromCharCode(...bytes.slice(i + 4, i + 8));
    if (type === "tEXt" || type === "iTXt") {
      const body = bytes.slice(i + 8, i + 8 + len), zero = body.indexOf(0);
      const key = String.fromCharCode(...body.slice(0, zero));
      if (key === "Description" && type === "tEXt") return new TextDecoder("latin1").decode(body.slice(zero + 1));
      // iTXt (text beyond Latin-1): flag, method, language\0, translated keyword\0, UTF-8 text
      if (key === "Description" && body[zero + 1] === 0) {
        let k = body.indexOf(0, zero + 3);
        k = body.indexOf(0, k + 1);
        if (k > 0) return new TextDecoder("utf-8").decode(body.slice(k + 1));
      }
    }
    if (type === "IDAT") break;
    i += 12 + len;
  }
  return null;
}

function lstmLabelWidgets(root) {
  for (const widget of root.querySelectorAll(".widget-slider, .widget-dropdown, .widget-text, .widget-select")) {
    const label = widget.querySelector(".widget-label");
    const name = label && label.textContent.trim();
    for (const control of widget.querySelectorAll("[role=slider], select, input")) {
      if (!control.getAttribute("aria-label") && !control.getAttribute("aria-labelledby")) {
        control.setAttribute("aria-label", name || "value");
      }
      if (control.getAttribute("role") === "slider") {
        const readout = widget.querySelector(".widget-readout");
        if (readout && readout.textContent.trim()) control.setAttribute("aria-valuetext", readout.textContent.trim());
      }
    }
  }
  // each image once (a widget's image changes its src when its figure changes: read it again then)
  for (const img of root.querySelectorAll(".jupyter-widgets img, .widget-output img")) {
    if (img.getAttribute("alt") || !img.src || img.dataset.lstmAltFrom === img.src) continue;
    img.dataset.lstmAltFrom = img.src;
    fetch(img.src).then((r) => r.arrayBuffer()).then((buf) => {
      const bytes = new Uint8Array(buf);
      // a PNG's recorded description, or an SVG drawing's <title> (lstm.book.diagrams)
      let text = lstmPngDescription(bytes);
      if (!text && bytes[0] !== 0x89) {
        const title = new TextDecoder("utf-8").decode(bytes).match(/<title>([\s\S]*?)<\/title>/);
        const div = document.createElement("div");
        if (title) { div.innerHTML = title[1]; text = div.textContent.replace(/\s+/g, " ").trim(); }
      }
      if (text) img.setAttribute("alt", text);  // no description recorded: no alt, the defect stays visible
    }).catch(() => {});
  }
}

// A control's accessible name must contain the text it shows (WCAG 2.5.3): where the theme
// names a button or link differently from its visible text, put the visible text first.
function lstmNameMatchesText(root) {
  const named = "a[aria-label], button[aria-label], summary[aria-label], [role=button][aria-label]";
  for (const el of root.querySelectorAll(named)) {
    // an icon inside a named control is decoration: the control's name says what it does
    for (const icon of el.querySelectorAll("svg.svg-inline--fa, i.fa, i[class*='fa-']")) {
      icon.setAttribute("aria-hidden", "true");
      icon.removeAttribute("role");
      icon.removeAttribute("aria-labelledby");
      for (const title of icon.querySelectorAll("title")) title.remove();
    }
    const text = (el.innerText || "").replace(/\s+/g, " ").trim();
    const name = el.getAttribute("aria-label");
    if (!text || name.toLowerCase().includes(text.toLowerCase())) continue;
    if (el.tagName === "SUMMARY") {
      el.removeAttribute("aria-label");  // "Show code cell source" says it better than "Toggle hidden content"
    } else {
      el.setAttribute("aria-label", `${text}: ${name}`);
    }
  }
}

// docutils marks the reference list role="list" and its entries role="doc-biblioentry", which a
// list may not contain (ARIA): the entries keep their role, the container loses its.
function lstmCitationList(root) {
  for (const list of root.querySelectorAll("[role=list].citation-list")) {
    if ([...list.children].some((item) => item.getAttribute("role") !== "listitem")) list.removeAttribute("role");
  }
}

function lstmAccessibility() {
  lstmCitationList(document);
  lstmMarkScrollables();
  lstmNameMatchesText(document);
  lstmLabelWidgets(document);
}

document.addEventListener("DOMContentLoaded", () => {
  lstmAccessibility();
  let pending = null;
  const again = () => {
    if (pending) return;
    pending = setTimeout(() => { pending = null; lstmAccessibility(); }, 150);
  };
  window.addEventListener("resize", again);
  window.addEventListener("load", again);
  // widgets and MathJax change the page after it loads
  new MutationObserver((records) => {
    if (records.some((r) => [...r.addedNodes].some((n) => n.nodeType === 1 && !n.classList.contains("lstm-scroll-hint")))) again();
  }).observe(document.body, {childList: true, subtree: true});
});
