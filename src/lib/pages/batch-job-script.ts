// The batch page's calls of the classic BES API (served as /portal/me/batch-job.js, before batch-flow.js): upload
// a file to the facade's inputs endpoint with progress (XMLHttpRequest: fetch reports no upload progress), submit,
// start, watch until the job is over, cancel, and read an output. All with the subscriber's own key
// (subscriber-session.js); no page state here, so the wizard decides what each answer means on screen.
// A string in a .ts module (no backticks or dollar-brace inside): tsc copies nothing else into dist.
export const BATCH_JOB_JS = `"use strict";
window.BatchJobApi = (function (session) {
  var VERSION = "api-version=2.0";
  // A job is polled every second at first, then every 2 s; a passing failure (no answer, 429, 5xx) doubles the
  // wait up to 15 s, so a struggling gateway is not hammered.
  var FIRST_POLL_MS = 1000, POLL_MS = 2000, RETRY_MAX_MS = 15000;
  var OVER = { Finished: true, Failed: true, Cancelled: true };

  function serviceUrl(target) {
    return session.BASE + "/workspaces/" + encodeURIComponent(target.workspace) + "/services/" + encodeURIComponent(target.service);
  }
  function jobUrl(target, id, tail) {
    return serviceUrl(target) + "/jobs/" + encodeURIComponent(id) + (tail || "") + "?" + VERSION;
  }

  // The stored input keeps the file's name, less what the facade refuses in one (/ \\ ? # %, control characters,
  // "..", a trailing dot or space).
  function storedName(fileName) {
    var name = fileName.replace(/[\\/\\\\?#%\\u0000-\\u001f\\u007f]/g, "_").replace(/\\.{2,}/g, ".").trim().replace(/[.\\s]+$/, "");
    return name.slice(0, 200) || "input.csv";
  }

  // The file streamed to POST …/inputs; onProgress(sentBytes, totalBytes) as it goes. Resolves with the 201 answer.
  function upload(target, file, onProgress) {
    return new Promise(function (resolve, reject) {
      var xhr = new XMLHttpRequest();
      xhr.open("POST", serviceUrl(target) + "/inputs?" + VERSION + "&name=" + encodeURIComponent(storedName(file.name)));
      xhr.setRequestHeader("Ocp-Apim-Subscription-Key", session.key());
      xhr.setRequestHeader("Content-Type", "text/csv");
      xhr.upload.onprogress = function (event) { onProgress(event.loaded, event.lengthComputable ? event.total : file.size); };
      xhr.onload = function () {
        if (xhr.status !== 201) return reject(session.failure(xhr.status, xhr.responseText, xhr.getResponseHeader("x-ms-request-id")));
        onProgress(file.size, file.size);
        resolve(JSON.parse(xhr.responseText));
      };
      xhr.onerror = function () { reject(session.unreachable()); };
      xhr.send(file);
    });
  }

  function submit(target, inputName, relativeLocation) {
    var inputs = {};
    inputs[inputName] = { RelativeLocation: relativeLocation };
    return session.api(serviceUrl(target) + "/jobs?" + VERSION, undefined, "POST", { Inputs: inputs, GlobalParameters: {} });
  }
  function start(target, id) { return session.api(jobUrl(target, id, "/start"), undefined, "POST"); }
  function cancel(target, id) { return session.api(jobUrl(target, id), undefined, "DELETE"); }
  function output(target, id, name) { return session.send(jobUrl(target, id, "/results/" + encodeURIComponent(name))); }
  function isOver(code) { return OVER[code] === true; }

  // Polls the job until it is over: onStatus(answer) after each read; onTrouble(error, final) when a read fails
  // (final: it will not get better by waiting, and polling stops). Returns stop().
  function watch(target, id, onStatus, onTrouble) {
    var timer = null, stopped = false;
    function later(wait) { timer = setTimeout(function () { poll(wait); }, wait); }
    function poll(lastWait) {
      session.api(jobUrl(target, id)).then(function (status) {
        if (stopped) return;
        onStatus(status);
        if (!isOver(status.StatusCode)) later(Math.min(POLL_MS, lastWait * 1.5));
      }, function (error) {
        if (stopped) return;
        var passing = error.status === 0 || error.status === 429 || error.status >= 500;
        onTrouble(error, !passing);
        if (passing) later(Math.min(RETRY_MAX_MS, Math.max(lastWait, FIRST_POLL_MS) * 2));
      });
    }
    later(FIRST_POLL_MS);
    return function stop() { stopped = true; clearTimeout(timer); };
  }

  // What the service's published Swagger document says of its first input: its name and expected columns.
  function describeService(target) {
    return fetch(serviceUrl(target) + "/swagger.json", { cache: "no-store" }).then(function (res) {
      if (!res.ok) return res.text().then(function (text) { throw session.failure(res.status, text, res.headers.get("x-ms-request-id")); });
      return res.json();
    }, function () { throw session.unreachable(); }).then(function (doc) {
      var definitions = doc.definitions || {};
      var inputs = ((definitions.BatchExecutionRequest || {}).properties || {}).Inputs;
      var input = Object.keys((inputs && inputs.properties) || {})[0] || "input1";
      var item = definitions[input + "Item"];
      return { input: input, columns: Object.keys((item && item.properties) || {}) };
    });
  }

  return {
    upload: upload, submit: submit, start: start, cancel: cancel, output: output, watch: watch, isOver: isOver,
    describeService: describeService, storedName: storedName,
  };
})(window.SubscriberSession);
`;
