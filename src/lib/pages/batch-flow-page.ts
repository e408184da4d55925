// "Run a batch job" (/portal/me/batch): a guided BES run for the subscriber, in seven numbered steps (service,
// file, upload with progress, submit, start, watch, download). Like /portal/me it carries no data and is served
// without a key; its scripts sign in with the subscriber's OWN key (the same tab storage as /portal/me, so a
// signed-in subscriber is not asked again) and call only the data plane under the URL suffix. It shares
// /portal/me's stylesheet and adds its own. Links from elsewhere name a service: /portal/me/batch#workspace/service.
import { BATCH_CSV_JS } from './batch-csv-script.js';
import { BATCH_FLOW_JS } from './batch-flow-script.js';
import { BATCH_JOB_JS } from './batch-job-script.js';
import { BATCH_VIEWS_JS } from './batch-views-script.js';
import { StaticFiles } from './static-files.js';
import { subscriberPageHtml } from './subscriber-shell.js';

const BATCH_FLOW_CSS = `
#wizard { list-style: none; margin: 0 auto; padding: 0; max-width: 1280px; display: grid; grid-template-columns: repeat(2, minmax(0, 1fr)); gap: 16px; }
#wizard[hidden] { display: none; }
.step { position: relative; padding-left: 60px; }
/* The step's own display rules (flex rows) would otherwise show what the script hides; empty lines take no room. */
.step [hidden], .step p:empty, .step .error:empty { display: none !important; }
.step.wide { grid-column: 1 / -1; }
.step h2 { display: flex; align-items: center; gap: 10px; flex-wrap: wrap; }
.step .number { position: absolute; left: 16px; top: 14px; width: 30px; height: 30px; border-radius: 50%; background: #0f3d5c; color: #fff;
  display: flex; align-items: center; justify-content: center; font-weight: 700; font-size: 15px; }
.step .badge { font-size: 12px; font-weight: 600; padding: 1px 8px; border-radius: 10px; background: #e3e7eb; color: #5f6b76; }
.step[data-status="locked"] { opacity: .55; }
.step[data-status="locked"] .number { background: #8a96a1; }
.step[data-status="locked"] .badge::after { content: "Waiting for the step before"; }
.step[data-status="ready"] .badge::after { content: "Ready"; }
.step[data-status="ready"] { box-shadow: 0 0 0 2px #1565c0; }
.step[data-status="busy"] .badge { background: #fff3cd; color: #6b5200; }
.step[data-status="busy"] .badge::after { content: "Working…"; }
.step[data-status="done"] .number { background: #2e7d32; }
.step[data-status="done"] .badge { background: #d7f0da; color: #1e5b22; }
.step[data-status="done"] .badge::after { content: "Done"; }
.step[data-status="failed"] .number { background: #b3261e; }
.step[data-status="failed"] .badge { background: #f8d7da; color: #8c1d18; }
.step[data-status="failed"] .badge::after { content: "Failed"; }
.step p { margin: 6px 0; line-height: 1.45; font-size: 14px; }
.step .row { display: flex; align-items: center; gap: 10px 14px; flex-wrap: wrap; }
.step select, .step input[type="text"] { font: inherit; padding: 6px 8px; border: 1px solid #b8c2cc; border-radius: 4px; min-width: 0; max-width: 100%; }
.step input[type="text"] { width: 22em; }
.step input[type="file"] { font: inherit; max-width: 100%; }
button:disabled { opacity: .5; cursor: not-allowed; }
.progress { display: flex; align-items: center; gap: 12px; flex: 1 1 220px; min-width: 0; }
.progress .meter { flex: 1 1 auto; height: 12px; border-radius: 6px; }
.progress .meter > div { transition: width .2s; }
.progress .meter[data-percent="100"] > div { background: #2e7d32; }
#upload-progress { font-size: 13px; font-variant-numeric: tabular-nums; white-space: nowrap; }
#elapsed { font-variant-numeric: tabular-nums; }
table.preview { margin-top: 8px; }
table.preview td { max-width: 24em; overflow: hidden; text-overflow: ellipsis; }
.output { border-top: 1px solid #e3e7eb; padding-top: 10px; margin-top: 10px; }
.output:first-child { border-top: 0; margin-top: 0; padding-top: 0; }
.output-head { display: flex; align-items: center; gap: 10px 14px; flex-wrap: wrap; }
.output-head code { color: #5f6b76; }
@media (max-width: 1100px) { #wizard { grid-template-columns: minmax(0, 1fr); } }
@media (max-width: 900px) { .step { padding-left: 52px; } .step .number { left: 12px; } }
`;

export const batchFlowFiles = new StaticFiles()
  .addText('batch-flow.css', BATCH_FLOW_CSS)
  .addText('batch-csv.js', BATCH_CSV_JS)
  .addText('batch-job.js', BATCH_JOB_JS)
  .addText('batch-views.js', BATCH_VIEWS_JS)
  .addText('batch-flow.js', BATCH_FLOW_JS);

/** One numbered step: its title, its controls, and the note and error lines every step has. */
function step(number: number, name: string, title: string, body: string, wide = false): string {
  return `
    <li class="panel step${wide ? ' wide' : ''}" id="step-${name}" data-testid="step-${name}" data-status="locked">
      <span class="number" aria-hidden="true">${number}</span>
      <h2>${title} <span class="badge"></span></h2>
      ${body}
      <p class="muted" id="${name}-note" data-testid="${name}-note"></p>
      <div class="error" id="${name}-error" data-testid="${name}-error" role="alert"></div>
    </li>`;
}

const STEPS = [
  step(1, 'service', 'Choose the service', `
      <select id="service-select" data-act aria-label="Service" hidden></select>
      <form id="service-typed" class="row" hidden>
        <input id="service-input" type="text" data-act placeholder="workspace/service" aria-label="Service, as workspace/service">
        <button class="plain" type="submit" data-act>Use this service</button>
      </form>
      <p id="service-columns"></p>`, true),
  step(2, 'file', 'Pick a CSV file', `
      <p>A CSV file (UTF-8) with a header row naming the service's columns, one row to score per line.</p>
      <input id="file-input" type="file" accept=".csv,text/csv" data-act aria-label="CSV file">
      <p id="file-facts" class="mono"></p>
      <div id="file-preview" class="table-scroll"></div>`, true),
  step(3, 'upload', 'Upload it', `
      <div class="row">
        <button class="primary" type="button" id="upload-button" data-act>Upload</button>
        <div class="progress">
          <div class="meter" id="upload-meter" role="progressbar" aria-label="Upload" aria-valuemin="0" aria-valuemax="100" aria-valuenow="0" data-percent="0"><div id="upload-bar"></div></div>
          <span id="upload-progress"></span>
        </div>
      </div>`),
  step(4, 'submit', 'Submit the job', `
      <div class="row">
        <button class="primary" type="button" id="submit-button" data-act>Submit</button>
        <span>Job id <code id="job-id" data-testid="job-id"></code></span>
      </div>`),
  step(5, 'start', 'Start it', `
      <div class="row"><button class="primary" type="button" id="start-button" data-act>Start</button></div>`),
  step(6, 'watch', 'Watch it run', `
      <div class="row">
        <span id="job-state" class="state" data-testid="job-state"></span>
        <span id="elapsed" data-testid="elapsed"></span>
        <button class="danger" type="button" id="cancel-button" hidden>Cancel the job</button>
      </div>`),
  step(7, 'download', 'Download the results', `
      <p>Each output is saved as &lt;job id&gt;-&lt;output&gt;.csv; its first rows are shown below.</p>
      <div id="outputs" data-testid="outputs"></div>`, true),
].join('');

/** The page, with the data-plane base path (the URL suffix). */
export function batchFlowHtml(urlSuffix: string): string {
  return subscriberPageHtml({
    urlSuffix,
    heading: 'Run a batch job',
    current: '/portal/me/batch',
    signInTo: 'run a batch job step by step',
    stylesheets: ['batch-flow.css'],
    scripts: ['batch-csv.js', 'batch-job.js', 'batch-views.js', 'batch-flow.js'],
    main: `    <ol id="wizard" hidden>${STEPS}
    </ol>`,
  });
}
