// Accessible names for the widget snapshots (issue 16). The widget renderer (@jupyter-widgets/html-manager, the same
// code as JupyterLab's) draws a slider as a <label> and a noUiSlider handle with role="slider", but does not tie the
// two together, so a screen reader announces "slider, 3" without saying which. Once a slider renders, its handle is
// labelled by the widget's visible description (aria-labelledby), or by its tooltip when it has no description.
// The slider's readout, an editable box next to it where a value can be typed, becomes a named text box too.
(function () {
  var count = 0;
  function label(element) {
    if (element.hasAttribute("aria-labelledby") || element.hasAttribute("aria-label")) return;
    var widget = element.closest(".widget-slider, .jupyter-widget-slider");
    var text = widget && widget.querySelector(":scope > .widget-label");
    if (text && text.textContent.trim() && text.style.display !== "none") {
      if (!text.id) text.id = "widget-label-" + (++count);
      element.setAttribute("aria-labelledby", text.id);
    } else if (text && text.title) {
      element.setAttribute("aria-label", text.title);
    }
  }
  function scan(root) {
    if (!root.querySelectorAll) return;
    root.querySelectorAll('[role="slider"].noUi-handle').forEach(label);
    root.querySelectorAll('.widget-slider .widget-readout[contenteditable="true"]').forEach(function (readout) {
      readout.setAttribute("role", "textbox");
      label(readout);
    });
  }
  document.addEventListener("DOMContentLoaded", function () {
    scan(document);
    new MutationObserver(function (mutations) {
      mutations.forEach(function (m) { m.addedNodes.forEach(function (node) { scan(node.parentNode || node); }); });
    }).observe(document.body, {childList: true, subtree: true});
  });
})();
