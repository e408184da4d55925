// The batch page's wizard (served as /portal/me/batch-flow.js, after subscriber-session.js, batch-csv.js,
// batch-job.js and batch-views.js): seven steps, each open once the one before is done. What a step produced is kept in flow.result
// under its name; a step's state (locked, ready, busy, done, failed) follows from that alone, so render() is the
// only place that enables controls. Choosing another service or file starts over from there.
// A string in a .ts module (no backticks or dollar-brace inside): tsc copies nothing else into dist.
export const BATCH_FLOW_JS = `"use strict";
(function () {
  var session = window.SubscriberSession, csv = window.BatchCsv, jobs = window.BatchJobApi, views = window.BatchViews;
  var STEPS = ["service", "file", "upload", "submit", "start", "watch", "download"];
  var CHOOSING = { service: true, file: true }; // steps whose controls stay open to change one's mind
  var flow = { result: {}, failed: {}, busy: null, run: 0, stopWatch: null, cancelling: false };

  function $(id) { return document.getElementById(id); }
  function target() { return flow.result.service; }

  function stateOf(name, index) {
    if (flow.busy === name) return "busy";
    if (flow.failed[name]) return "failed";
    if (flow.result[name] !== undefined) return "done";
    return index === 0 || flow.result[STEPS[index - 1]] !== undefined ? "ready" : "locked";
  }

  function render() {
    STEPS.forEach(function (name, index) {
      var state = stateOf(name, index);
      var open = CHOOSING[name] ? state !== "locked" : state === "ready" || state === "failed";
      $("step-" + name).setAttribute("data-status", state);
      $("step-" + name).querySelectorAll("[data-act]").forEach(function (control) { control.disabled = !open || flow.busy !== null; });
    });
    $("cancel-button").hidden = flow.busy !== "watch";
    $("cancel-button").disabled = flow.cancelling;
  }

  // Forgets what that step and the steps after it produced, on screen too (a new service or file: a new run).
  function resetFrom(name) {
    if (flow.stopWatch) flow.stopWatch();
    flow.stopWatch = null;
    flow.busy = null;
    flow.run++;
    STEPS.slice(STEPS.indexOf(name)).forEach(function (step) {
      delete flow.result[step];
      delete flow.failed[step];
      views.clear(step);
    });
  }

  // One step's call: busy while it runs; a failure is told in the step's own words and the step can be retried.
  function act(name, work) {
    var run = flow.run;
    flow.busy = name;
    delete flow.failed[name];
    views.error(name, "");
    render();
    return work().then(function () {
      if (run === flow.run) flow.busy = null;
    }, function (error) {
      if (run !== flow.run) return;
      flow.busy = null;
      fail(name, error);
    }).then(render);
  }

  function fail(name, error) {
    flow.failed[name] = true;
    views.error(name, session.describe(error));
    if (error.status === 401) signOut(session.explain(error));
  }

  function chooseService(name) {
    resetFrom("service");
    $("file-input").value = ""; // it was checked against the other service's columns
    var parts = /^([^/\\s]+)\\/([^/\\s]+)$/.exec((name || "").trim());
    if (!parts) {
      if (name) views.error("service", "Write the service as workspace/service, for example demo-workspace/feature-hashing.");
      return render();
    }
    var chosen = { workspace: parts[1], service: parts[2], input: "input1", columns: [] };
    flow.result.service = chosen;
    if (location.hash !== "#" + parts[0]) history.replaceState(null, "", "#" + parts[0]);
    render();
    jobs.describeService(chosen).then(function (described) {
      if (target() !== chosen) return;
      chosen.input = described.input;
      chosen.columns = described.columns;
      views.describeService(chosen);
    }, function (error) {
      if (target() !== chosen) return;
      delete flow.result.service;
      views.error("service", error.status === 404 ? "There is no service " + parts[0] + "." : session.describe(error));
      render();
    });
  }

  function serviceInHash() {
    try { return decodeURIComponent(location.hash.slice(1)); } catch (e) { return location.hash.slice(1); }
  }

  // The service the URL names (/portal/me/batch#workspace/service), when the product allows it.
  function chooseFromHash() {
    var wanted = serviceInHash();
    var picked = views.pick(wanted);
    chooseService(picked);
    if (wanted && picked !== wanted) views.error("service", "Your product does not include " + wanted + ": choose one of its services.");
  }

  function chooseFile() {
    var file = $("file-input").files[0];
    resetFrom("file");
    var run = flow.run;
    render();
    if (!file) return;
    views.fileFacts(file);
    csv.headOf(file).then(function (head) {
      if (run !== flow.run) return;
      var problem = csv.problemWith(file, head, target().columns);
      if (problem) return views.error("file", problem);
      views.fileChecked(head);
      flow.result.file = file;
      render();
    });
  }

  function upload() {
    var file = flow.result.file;
    views.progress(0, file.size);
    act("upload", function () {
      return jobs.upload(target(), file, views.progress).then(function (answer) {
        flow.result.upload = answer;
        views.uploaded(answer);
      });
    });
  }

  function submit() {
    act("submit", function () {
      return jobs.submit(target(), target().input, flow.result.upload.RelativeLocation).then(function (id) {
        flow.result.submit = id;
        views.submitted(id);
      });
    });
  }

  function start() {
    act("start", function () {
      return jobs.start(target(), flow.result.submit).then(function () { flow.result.start = Date.now(); });
    }).then(function () { if (flow.result.start && !flow.result.watch) watch(); });
  }

  function watch() {
    var run = flow.run, id = flow.result.submit, chosen = target();
    flow.busy = "watch";
    flow.cancelling = false;
    views.watching(flow.result.start);
    render();
    flow.stopWatch = jobs.watch(chosen, id, function (status) {
      views.status(status, flow.result.start);
      if (!jobs.isOver(status.StatusCode)) return;
      flow.stopWatch = null;
      flow.busy = null;
      if (status.StatusCode === "Finished") {
        flow.result.watch = status;
        views.outputs(chosen, id, status.Results || {}, function () { flow.result.download = true; render(); });
      } else {
        flow.failed.watch = true;
      }
      render();
    }, function (error, final) {
      if (run !== flow.run) return;
      if (!final) return views.error("watch", "No status for now (" + session.describe(error) + "); trying again shortly.");
      flow.stopWatch = null;
      flow.busy = null;
      views.stopClock();
      fail("watch", error);
      render();
    });
  }

  // A 409 (JobBusy) means the poller holds the job for a moment (reading its status, or copying its results): the
  // page asks again by itself, a second apart, until the job is cancelled, ends, or the tries run out.
  var CANCEL_TRIES = 10, CANCEL_RETRY_MS = 1000;
  function cancel() {
    var run = flow.run, chosen = target(), id = flow.result.submit;
    flow.cancelling = true;
    render();
    views.note("watch", "Cancelling…");
    (function attempt(left) {
      jobs.cancel(chosen, id).then(null, function (error) {
        if (run !== flow.run || flow.busy !== "watch") return; // over or restarted meanwhile: nothing left to cancel
        if (error.status === 409 && left > 1) return void setTimeout(function () { attempt(left - 1); }, CANCEL_RETRY_MS);
        flow.cancelling = false;
        views.note("watch", "");
        views.error("watch", "The job was not cancelled: " + session.describe(error));
        render();
      });
    })(CANCEL_TRIES);
  }

  function signOut(message) {
    resetFrom("service");
    session.forget();
    $("wizard").hidden = true;
    session.showSignIn(message);
  }

  function load() {
    if (!session.key()) return session.showSignIn();
    $("login-panel").hidden = true;
    session.setState("loading", "Loading…");
    session.api(session.ME).then(function (me) {
      return views.services(me).then(function (usable) {
        $("wizard").hidden = false;
        if (usable) chooseFromHash();
        render();
        session.setState("ready", "Signed in: " + me.subscription.name);
      });
    }).catch(function (error) {
      if (session.refusesKey(error)) return signOut(session.explain(error));
      session.setState("error", session.describe(error));
    });
  }

  session.onSignIn(load);
  $("sign-out").addEventListener("click", function () { signOut(); });
  $("service-select").addEventListener("change", function () { chooseService(this.value); });
  $("service-typed").addEventListener("submit", function (event) { event.preventDefault(); chooseService($("service-input").value); });
  // A link to another service while the page is open (choosing one rewrites the hash without this event).
  window.addEventListener("hashchange", function () { if (!$("wizard").hidden && !flow.busy) chooseFromHash(); });
  $("file-input").addEventListener("change", chooseFile);
  $("upload-button").addEventListener("click", upload);
  $("submit-button").addEventListener("click", submit);
  $("start-button").addEventListener("click", start);
  $("cancel-button").addEventListener("click", cancel);
  load();
})();
`;
