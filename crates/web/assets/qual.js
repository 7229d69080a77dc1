// fika — coding a transcript by selecting text. Served from /assets, never inline (CSP).
//
// The page's #transcript holds the source's text exactly, so the text before a point of
// the selection is the source's text up to that point. The browser counts offsets in
// UTF-16 code units; REFI-QDA and fika count Unicode code points, so each offset is the
// number of code points of the text before it (Array.from splits a string into code
// points: an emoji is one, not two). The selected text goes along as `quote`, and the
// server refuses a span that does not hold exactly that text.
(function () {
  "use strict";
  var text = document.getElementById("transcript");
  var form = document.getElementById("code-form");
  if (!text || !form) {
    return;
  }
  var shown = document.getElementById("selected-text");

  function codePoints(s) {
    return Array.from(s).length;
  }

  // Code points from the start of the transcript to (node, offset).
  function position(node, offset) {
    var r = document.createRange();
    r.setStart(text, 0);
    r.setEnd(node, offset);
    return codePoints(r.toString());
  }

  function take() {
    var sel = window.getSelection();
    if (!sel || sel.rangeCount === 0 || sel.isCollapsed) {
      return;
    }
    var r = sel.getRangeAt(0);
    if (!text.contains(r.startContainer) || !text.contains(r.endContainer)) {
      return;
    }
    var quote = r.toString();
    if (quote.length === 0) {
      return;
    }
    form.elements.start.value = position(r.startContainer, r.startOffset);
    form.elements.end.value = position(r.endContainer, r.endOffset);
    form.elements.quote.value = quote;
    form.elements.paragraph.value = "";
    shown.textContent = "\u201c" + quote + "\u201d";
  }

  document.addEventListener("selectionchange", take);

  // Typing positions or choosing a paragraph replaces the selection.
  function forget() {
    form.elements.quote.value = "";
    shown.textContent = shown.getAttribute("data-empty");
  }
  form.elements.start.addEventListener("input", forget);
  form.elements.end.addEventListener("input", forget);
  form.elements.paragraph.addEventListener("change", forget);
})();
