// The usage dashboard's page shell (/manage/dashboard). It carries no data, so it is served without the admin
// key (a browser cannot send a header on navigation); its script asks for the key and calls the JSON APIs.
// Kept as strings in .ts modules: tsc copies nothing else into dist, and this way the page ships with the code.
import { PRODUCT_NAME } from '../openapi/document.js';
import { DASHBOARD_CHARTS_JS } from './dashboard-charts.js';
import { DASHBOARD_JS } from './dashboard-script.js';
import { FAVICON_SVG } from './favicon.js';
import { StaticFiles, chartJsFiles } from './static-files.js';

export const DASHBOARD_ASSET_BASE = '/manage/dashboard/';

const DASHBOARD_CSS = `
body { margin: 0; font-family: system-ui, -apple-system, "Segoe UI", Roboto, sans-serif; background: #f4f6f8; color: #1b1b1b; }
header { background: #0f3d5c; color: #fff; padding: 14px 28px; display: flex; align-items: center; gap: 16px; flex-wrap: wrap; }
header h1 { font-size: 22px; margin: 0; flex: 1 1 auto; }
header .controls { display: flex; align-items: center; gap: 12px; flex-wrap: wrap; }
header select, header button { font: inherit; padding: 4px 10px; }
body[data-state="locked"] header .controls { display: none; }
#status { font-size: 13px; opacity: .85; }
main { padding: 20px 28px; }
.panel { background: #fff; border-radius: 6px; box-shadow: 0 1px 3px rgba(0,0,0,.12); padding: 16px; min-width: 0; }
#login-panel { max-width: 460px; margin: 60px auto; padding: 24px 28px; border-top: 4px solid #0f3d5c; }
#login-panel h2 { margin: 0 0 8px; font-size: 20px; color: #0f3d5c; }
#login-panel p { margin: 8px 0; line-height: 1.45; }
#login-panel .where { font-size: 13px; color: #3d4852; background: #f4f6f8; border-left: 3px solid #9fd3ff; padding: 8px 10px; border-radius: 3px; }
#login-panel code { font-family: ui-monospace, monospace; font-size: 12px; background: #e3e7eb; padding: 1px 4px; border-radius: 3px; overflow-wrap: anywhere; }
#login-panel label { display: block; font-weight: 600; margin-top: 16px; }
#login-panel input { width: 100%; box-sizing: border-box; padding: 8px 10px; margin: 6px 0 8px; font: inherit; border: 1px solid #b8c2cc; border-radius: 4px; }
#login-panel input:focus { outline: 2px solid #1565c0; outline-offset: 0; border-color: #1565c0; }
#login-panel button { font: inherit; font-weight: 600; padding: 8px 18px; border: 0; border-radius: 4px; background: #0f3d5c; color: #fff; cursor: pointer; }
#login-panel button:hover { background: #1565c0; }
.error { color: #c62828; min-height: 1.2em; }
.totals { display: grid; grid-template-columns: repeat(auto-fit, minmax(104px, 1fr)); gap: 12px; margin-bottom: 16px; }
.total .label { font-size: 12px; text-transform: uppercase; color: #5f6b76; letter-spacing: .04em; }
.total .value { font-size: 22px; font-weight: 600; margin-top: 4px; white-space: nowrap; }
.charts { display: grid; grid-template-columns: repeat(auto-fit, minmax(min(520px, 100%), 1fr)); gap: 16px; margin-bottom: 16px; }
.charts h2, .jobs h2 { font-size: 15px; margin: 0 0 10px; }
.chart-box { position: relative; height: 260px; }
.table-scroll { overflow-x: auto; max-width: 100%; }
table { width: 100%; border-collapse: collapse; font-size: 13px; }
th, td { text-align: left; padding: 6px 8px; border-bottom: 1px solid #e3e7eb; white-space: nowrap; }
td.id { font-family: ui-monospace, monospace; }
.state { padding: 2px 8px; border-radius: 10px; background: #e3e7eb; }
.state.active { background: #fff3cd; } .state.Finished { background: #d7f0da; } .state.Failed { background: #f8d7da; }
`;

export const dashboardFiles = new StaticFiles()
  .addText('dashboard.css', DASHBOARD_CSS)
  .addText('favicon.svg', FAVICON_SVG)
  .addText('dashboard-charts.js', DASHBOARD_CHARTS_JS)
  .addText('dashboard.js', DASHBOARD_JS)
  .addFolder(chartJsFiles);

const total = (id: string, label: string) =>
  `<div class="panel total"><div class="label">${label}</div><div class="value" id="${id}" data-testid="${id}">–</div></div>`;
const chart = (id: string, title: string) =>
  `<section class="panel"><h2>${title}</h2><div class="chart-box"><canvas id="${id}" data-testid="${id}"></canvas></div></section>`;

export const DASHBOARD_HTML = `<!doctype html>
<html lang="en">
<head>
  <meta charset="utf-8">
  <meta name="viewport" content="width=device-width, initial-scale=1">
  <title>${PRODUCT_NAME} — usage dashboard</title>
  <link rel="icon" type="image/svg+xml" href="${DASHBOARD_ASSET_BASE}favicon.svg">
  <link rel="stylesheet" href="${DASHBOARD_ASSET_BASE}dashboard.css">
</head>
<body data-state="locked">
  <header>
    <h1>${PRODUCT_NAME} usage</h1>
    <span id="status" data-testid="status"></span>
    <div class="controls">
      <label>Range <select id="range" data-testid="range">
        <option value="15m">Last 15 minutes</option><option value="1h" selected>Last hour</option><option value="24h">Last 24 hours</option>
      </select></label>
      <button id="refresh" type="button">Refresh</button>
      <button id="sign-out" type="button">Forget key</button>
    </div>
  </header>
  <main>
    <section id="login-panel" class="panel" hidden>
      <h2>Sign in with the admin key</h2>
      <p>The dashboard reads the management API, which needs the facade's admin key. It is kept in this tab only.</p>
      <p class="where" data-testid="admin-key-source"><strong>Where the key comes from.</strong>
        Locally: the <code>"adminKey"</code> in <code>.local/stack.json</code> (<code>npm start</code> prints where).
        In Azure: the Key Vault secret named by <code>ADMIN_KEY_SECRET_NAME</code> (<code>facade-admin-key</code> by default).</p>
      <form id="login">
        <label for="admin-key">Admin key</label>
        <input id="admin-key" data-testid="admin-key" type="password" autocomplete="off" placeholder="x-admin-key" required>
        <div class="error" id="login-error" data-testid="login-error"></div>
        <button type="submit">Open dashboard</button>
      </form>
    </section>
    <div id="dashboard-panel" hidden>
      <div class="totals">
        ${total('total-calls', 'Calls')}${total('total-success', 'Success')}${total('total-blocked', 'Blocked')}
        ${total('total-failed', 'Failed')}${total('total-other', 'Other')}
        ${total('latency-p50', 'p50 ms')}${total('latency-p95', 'p95 ms')}${total('latency-p99', 'p99 ms')}
        ${total('bytes-in', 'Data in')}${total('bytes-out', 'Data out')}
      </div>
      <div class="charts">
        ${chart('chart-calls', 'Calls over time, by outcome')}
        ${chart('chart-latency', 'Latency percentiles (ms)')}
        ${chart('chart-subscriptions', 'Top subscriptions')}
        ${chart('chart-operations', 'Top operations')}
        ${chart('chart-throttled', 'Blocked calls over time (401, 403, 429: throttled and refused)')}
      </div>
      <section class="panel jobs">
        <h2>Batch jobs: active first, then the most recent</h2>
        <div class="table-scroll" data-testid="jobs-scroll">
          <table data-testid="jobs-table"><thead><tr><th>Job</th><th>Subscription</th><th>Service</th><th>State</th><th>Created</th><th>Started</th><th>Ended</th></tr></thead>
          <tbody id="jobs-body"></tbody></table>
        </div>
      </section>
    </div>
  </main>
  <script src="${DASHBOARD_ASSET_BASE}chart.umd.min.js"></script>
  <script src="${DASHBOARD_ASSET_BASE}dashboard-charts.js"></script>
  <script src="${DASHBOARD_ASSET_BASE}dashboard.js"></script>
</body>
</html>
`;
