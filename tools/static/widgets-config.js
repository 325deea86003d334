// Loaded between require.js and the widget renderer (@jupyter-widgets/html-manager), from _static/.
// 1. The renderer computes its font URLs from its AMD module names, relative to the page ("chapters/@jupyter-widgets/
//    ..."): map those names to the vendored folder, so the icon fonts load on every page.
// 2. The renderer typesets widget labels with the MathJax 2 API (MathJax.Hub.Queue), which MathJax 3 does not have:
//    give MathJax 3 a Hub.Queue that typesets the element with MathJax 3 (a no-op until MathJax has started).
(function () {
  var vendored = new URL("vendor/html-manager", document.currentScript.src).href;
  require.config({paths: {"@jupyter-widgets/html-manager/dist": vendored, "@jupyter-widgets": vendored}});
  var hub = {Queue: function () {
    for (var i = 0; i < arguments.length; i++) {
      var call = arguments[i];
      if (Array.isArray(call) && call[0] === "Typeset" && window.MathJax.typesetPromise) {
        window.MathJax.typesetPromise([call[2]]);
      }
    }
  }};
  var config = window.MathJax = window.MathJax || {};
  config.Hub = hub;
  var startup = config.startup = config.startup || {};
  startup.ready = function () {
    window.MathJax.startup.defaultReady();
    window.MathJax.Hub = hub;
  };
})();
