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
