// Loaded on pages with saved widget state, after require.js and before the
// ipywidgets HTML manager (embed-amd.js); copied to _vendor/ by copy_vendor.py.
(function () {
  "use strict";
  // 1. The manager computes where its icon fonts live from the URL require.js
  //    gives its module; by default that is relative to the page
  //    (book/@jupyter-widgets/...). Point the module at this folder instead.
  var here = document.currentScript.src.replace(/[^/]*$/, "");
  window.requirejs.config({
    paths: { "@jupyter-widgets/html-manager/dist": here + "html-manager" },
  });

  // 2. ipywidgets 8 typesets widget labels with the MathJax 2 call
  //    MathJax.Hub.Queue(["Typeset", MathJax.Hub, element]); the book loads
  //    MathJax 3, which has no Hub. Translate the call. MathJax 3 replaces the
  //    configuration object window.MathJax when it starts, so the shim is set
  //    on the configuration (for labels rendered before MathJax starts) and
  //    again once MathJax is ready.
  var pending = [];
  var hub = {
    Queue: function () {
      for (var k = 0; k < arguments.length; k++) {
        var job = arguments[k];
        if (Array.isArray(job) && job[0] === "Typeset" && job[2]) {
          pending.push(job[2]);
        }
      }
      var mj = window.MathJax;
      if (mj && mj.startup && mj.startup.promise && mj.typesetPromise) {
        var elements = pending.splice(0);
        mj.startup.promise = mj.startup.promise.then(function () {
          return mj.typesetPromise(elements);
        });
      }
    },
  };
  var config = (window.MathJax = window.MathJax || {});
  config.Hub = hub;
  config.startup = config.startup || {};
  var ready = config.startup.ready;
  config.startup.ready = function () {
    if (ready) {
      ready();
    } else {
      window.MathJax.startup.defaultReady();
    }
    window.MathJax.Hub = hub;
    hub.Queue();  // typeset labels that arrived before MathJax was ready
  };
})();
