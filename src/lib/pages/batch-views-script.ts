// What the batch page's steps show (served as /portal/me/batch-views.js, before batch-flow.js): the services to
// choose from, the chosen file and its first rows, the upload's progress, the job id, its state and elapsed time,
// and each output with its first rows and a download saved through a Blob URL. batch-flow.js decides when.
// A string in a .ts module (no backticks or dollar-brace inside): tsc copies nothing else into dist.
export const BATCH_VIEWS_JS = `"use strict";
window.BatchViews = (function (session, csv, jobs) {
  var clock = null;
  function $(id) { return document.getElementById(id); }
  function text(id, value) { $(id).textContent = value || ""; }
  function error(step, message) { text(step + "-error", message); }
  function note(step, message) { text(step + "-note", message); }
  function clearChildren(id) { $(id).textContent = ""; }

  function seconds(ms) {
    var s = Math.max(0, Math.round(ms / 1000));
    return s < 60 ? s + " s" : Math.floor(s / 60) + " min " + String(s % 60).padStart(2, "0") + " s";
  }
  function stopClock() { if (clock) clearInterval(clock); clock = null; }

  // What each step shows, emptied when the step starts over.
  var CLEAR = {
    service: function () { text("service-columns", ""); },
    file: function () { text("file-facts", ""); clearChildren("file-preview"); },
    upload: function () { progress(0, 0); },
    submit: function () { text("job-id", ""); },
    start: function () {},
    watch: function () { stopClock(); text("job-state", ""); $("job-state").className = "state"; text("elapsed", ""); },
    download: function () { clearChildren("outputs"); },
  };
  function clear(step) { CLEAR[step](); error(step, ""); note(step, ""); }

  // The services to choose from: those the gateway lists as taking batch jobs for this product, else the product's
  // own list, else (every service) a box to write workspace/service. Resolves false when batch jobs are not allowed.
  function services(me) {
    var product = me.product;
    if (me.subscription.state !== "active") {
      error("service", "Your subscription is " + me.subscription.state + ": batch jobs need an active subscription.");
      return Promise.resolve(false);
    }
    if ((product.operations || []).indexOf("bes") < 0) {
      error("service", "Your product (" + product.name + ") does not include batch jobs (BES).");
      return Promise.resolve(false);
    }
    var listed = session.api(session.ME + "/services").then(batchServiceNames, function () { return null; })
      .then(function (names) { return names || product.services; });
    return listed.then(function (names) {
      var select = $("service-select");
      select.textContent = "";
      $("service-typed").hidden = Boolean(names);
      select.hidden = !names;
      if (!names) return true;
      if (!names.length) {
        error("service", "None of your product's services takes batch jobs.");
        return false;
      }
      if (names.length !== 1) select.add(new Option("Choose a service…", ""));
      names.forEach(function (name) { select.add(new Option(name, name)); });
      return true;
    });
  }

  // "workspace/service" names from GET …/workspaces/me/services, whatever its exact shape, less services
  // that say they take no batch jobs; null when the answer is not a list.
  function batchServiceNames(answer) {
    var list = Array.isArray(answer) ? answer : answer && (answer.services || answer.value);
    if (!Array.isArray(list)) return null;
    return list.filter(function (item) {
      return typeof item === "string" || !Array.isArray(item.operations) || item.operations.indexOf("bes") >= 0;
    }).map(function (item) { return typeof item === "string" ? item : item.workspace + "/" + item.service; });
  }

  // The service to start with: the wanted one when it may be chosen, else what the select already shows.
  function pick(wanted) {
    var select = $("service-select");
    if (select.hidden) {
      if (wanted) $("service-input").value = wanted;
      return $("service-input").value;
    }
    var allowed = Array.prototype.some.call(select.options, function (option) { return option.value && option.value === wanted; });
    if (allowed) select.value = wanted;
    return select.value;
  }

  function describeService(chosen) {
    text("service-columns", "Its input " + chosen.input + (chosen.columns.length ? " takes the columns " + chosen.columns.join(", ") + "." : ": the service publishes no columns."));
  }

  function fileFacts(file) { text("file-facts", file.name + " · " + csv.size(file.size)); }
  function fileChecked(head) {
    var rows = csv.preview(head);
    if (rows.length) $("file-preview").appendChild(csv.table(rows));
  }

  function progress(sent, total) {
    var percent = total ? Math.floor((100 * sent) / total) : 0;
    $("upload-bar").style.width = percent + "%";
    $("upload-meter").setAttribute("aria-valuenow", String(percent));
    $("upload-meter").setAttribute("data-percent", String(percent));
    text("upload-progress", total ? csv.size(sent) + " of " + csv.size(total) + " (" + percent + "%)" : "");
  }
  function uploaded(answer) { note("upload", "Uploaded: " + csv.size(answer.Bytes) + " stored for your job."); }
  function submitted(id) { text("job-id", id); }

  function watching(startedAt) {
    stopClock();
    var tick = function () { text("elapsed", "Elapsed " + seconds(Date.now() - startedAt)); };
    tick();
    clock = setInterval(tick, 1000);
  }

  // The state as the service says it; once over, the elapsed time is the service's own (start to end).
  function status(answer, startedAt) {
    var code = answer.StatusCode;
    text("job-state", code);
    $("job-state").className = "state " + code;
    error("watch", "");
    if (!jobs.isOver(code)) return;
    stopClock();
    var start = Date.parse(answer.StartTime || "") || startedAt, end = Date.parse(answer.EndTime || "") || Date.now();
    text("elapsed", (code === "Finished" ? "Finished in " : "Ended after ") + seconds(end - start));
    note("watch", code === "Cancelled" ? "The job was cancelled." : "");
    if (code === "Failed") error("watch", "The job failed: " + (answer.Details || "the service gave no reason."));
  }

  // One row per output: a download (fetched with the key, saved as <job>-<output>.csv) and its first rows.
  function outputs(target, id, results, onSaved) {
    var box = $("outputs");
    Object.keys(results).forEach(function (name) {
      var fileName = id + "-" + name + ".csv";
      var row = document.createElement("div");
      row.className = "output";
      row.setAttribute("data-output", name);
      var head = row.appendChild(document.createElement("div"));
      head.className = "output-head";
      head.appendChild(document.createElement("strong")).textContent = name;
      var button = head.appendChild(document.createElement("button"));
      button.className = "primary";
      button.type = "button";
      button.textContent = "Download";
      head.appendChild(document.createElement("code")).textContent = fileName;
      var saved = head.appendChild(document.createElement("span"));
      saved.className = "muted saved";
      var preview = row.appendChild(document.createElement("div"));
      preview.className = "table-scroll";
      preview.textContent = "Reading the first rows…";
      var problem = row.appendChild(document.createElement("div"));
      problem.className = "error";
      problem.setAttribute("role", "alert");
      button.addEventListener("click", function () {
        button.disabled = true;
        problem.textContent = "";
        jobs.output(target, id, name).then(function (res) { return res.blob(); }).then(function (blob) {
          save(blob, fileName);
          saved.textContent = "Saved (" + csv.size(blob.size) + ")";
          onSaved();
        }, function (failure) {
          problem.textContent = "The output was not downloaded: " + session.describe(failure);
        }).then(function () { button.disabled = false; });
      });
      jobs.output(target, id, name).then(csv.headOfResponse).then(function (first) {
        preview.textContent = "";
        preview.appendChild(csv.table(csv.preview(first)));
      }, function (failure) { preview.textContent = "No preview: " + session.describe(failure); });
      box.appendChild(row);
    });
  }

  function save(blob, fileName) {
    var link = document.createElement("a");
    link.href = URL.createObjectURL(blob);
    link.download = fileName;
    document.body.appendChild(link);
    link.click();
    link.remove();
    // The browser has taken the file once the click is handled; the URL is released after a grace period.
    setTimeout(function () { URL.revokeObjectURL(link.href); }, 60000);
  }

  return {
    clear: clear, error: error, note: note, stopClock: stopClock, services: services, pick: pick, describeService: describeService,
    fileFacts: fileFacts, fileChecked: fileChecked, progress: progress, uploaded: uploaded, submitted: submitted,
    watching: watching, status: status, outputs: outputs,
  };
})(window.SubscriberSession, window.BatchCsv, window.BatchJobApi);
`;
