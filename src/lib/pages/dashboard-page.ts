// The usage dashboard's page shell (/manage/dashboard). It carries no data, so it is served without the admin
// key (a browser cannot send a header on navigation); its script asks for the key and calls the JSON APIs.
// Kept as strings in .ts modules: tsc copies nothing else into dist, and this way the page ships with the code.
import { PRODUCT_NAME } from '../openapi/document.js';
import { DASHBOARD_ADMIN_JS } from './dashboard-admin.js';
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
nav.tabs { display: flex; gap: 4px; }
nav.tabs button { font: inherit; padding: 4px 14px; border: 1px solid rgba(255,255,255,.5); border-radius: 4px; background: transparent; color: #fff; cursor: pointer; }
nav.tabs button[aria-selected="true"] { background: #fff; color: #0f3d5c; font-weight: 600; }
body[data-state="locked"] nav.tabs { display: none; }
body[data-view="admin"] #range-label { display: none; }
#admin-panel { display: grid; gap: 16px; }
#admin-panel[hidden] { display: none; }
#admin-panel h2 { font-size: 16px; margin: 0 0 10px; }
#admin-panel h3 { font-size: 14px; margin: 14px 0 8px; }
#admin-notice { background: #e8f4fd; border-left: 4px solid #1565c0; padding: 8px 12px; border-radius: 3px; }
.admin-form { display: flex; flex-wrap: wrap; gap: 10px 14px; align-items: flex-start; margin-top: 12px; }
.admin-form label { display: flex; flex-direction: column; gap: 3px; font-size: 12px; font-weight: 600; color: #3d4852; }
.admin-form fieldset { border: 1px solid #e3e7eb; border-radius: 4px; padding: 4px 10px 8px; margin: 0; display: flex; gap: 8px; flex-wrap: wrap; }
.admin-form legend { font-size: 12px; font-weight: 600; color: #3d4852; }
.admin-form fieldset label { font-weight: 400; flex-direction: row; align-items: center; }
.admin-form input, .admin-form select, .admin-form textarea { font: inherit; font-weight: 400; padding: 4px 6px; border: 1px solid #b8c2cc; border-radius: 3px; }
.admin-form input[type="number"] { width: 110px; }
.admin-form input[aria-invalid], .admin-form textarea[aria-invalid] { border-color: #c62828; outline: 1px solid #c62828; }
.admin-form .submit { align-self: flex-end; }
.admin-form .field-error { color: #c62828; font-size: 12px; font-weight: 400; max-width: 260px; }
.admin-form .field-error span { display: block; }
.admin-form .hint { font-weight: 400; color: #5f6b76; }
#admin-panel button { font: inherit; padding: 3px 10px; cursor: pointer; }
#admin-panel .actions { display: flex; gap: 4px; flex-wrap: nowrap; align-items: center; }
#admin-panel .actions select { font: inherit; font-size: 12px; max-width: 150px; }
#admin-panel td.wrap { white-space: normal; min-width: 140px; }
#admin-panel td.empty { color: #5f6b76; }
.api-error:empty { display: none; }
.api-error { color: #8b1a1a; background: #fdecea; border-left: 4px solid #c62828; padding: 6px 12px; margin: 8px 0; border-radius: 3px; overflow-wrap: anywhere; }
.api-error p { margin: 4px 0; font-weight: 600; }
.api-error ul { margin: 4px 0; padding-left: 20px; }
.api-error code, .api-error .target { font-family: ui-monospace, monospace; font-size: 12px; }
#key-reveal { border: 2px solid #ef6c00; background: #fff8e1; }
#key-reveal h3 { margin-top: 0; }
#key-reveal .key-line { display: flex; align-items: center; gap: 8px; margin: 6px 0; flex-wrap: wrap; }
#key-reveal .key-label { min-width: 120px; font-weight: 600; white-space: nowrap; }
#key-reveal code.secret { font-family: ui-monospace, monospace; font-size: 13px; background: #fff; border: 1px solid #e0c080; padding: 3px 6px; border-radius: 3px; overflow-wrap: anywhere; user-select: all; min-width: 0; }
#catalogue-json { width: 100%; box-sizing: border-box; min-height: 280px; font-family: ui-monospace, monospace; font-size: 12px; }
#catalogue-editor .editor-actions { display: flex; gap: 8px; margin-top: 8px; }
.state.sub-active { background: #d7f0da; } .state.sub-suspended { background: #fff3cd; } .state.sub-cancelled, .state.sub-expired { background: #f8d7da; }
.state.audit-success { background: #d7f0da; } .state.audit-failure { background: #f8d7da; }
`;

export const dashboardFiles = new StaticFiles()
  .addText('dashboard.css', DASHBOARD_CSS)
  .addText('favicon.svg', FAVICON_SVG)
  .addText('dashboard-charts.js', DASHBOARD_CHARTS_JS)
  .addText('dashboard-admin.js', DASHBOARD_ADMIN_JS)
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
    <nav class="tabs" role="tablist" aria-label="Views">
      <button id="tab-usage" type="button" role="tab" aria-selected="true" aria-controls="dashboard-panel">Usage</button>
      <button id="tab-admin" type="button" role="tab" aria-selected="false" aria-controls="admin-panel">Admin</button>
    </nav>
    <span id="status" data-testid="status"></span>
    <div class="controls">
      <label id="range-label">Range <select id="range" data-testid="range">
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
    <div id="admin-panel" role="tabpanel" aria-labelledby="tab-admin" hidden>
      <div id="admin-notice" role="status" data-testid="admin-notice" hidden></div>
      <section id="key-reveal" class="panel" data-testid="key-reveal" aria-live="polite" hidden></section>
      <section class="panel" id="subscriptions-section">
        <h2>Subscriptions</h2>
        <div class="api-error" id="subscriptions-error" data-testid="subscriptions-error" role="alert"></div>
        <div class="table-scroll">
          <table data-testid="subscriptions-table"><thead><tr><th>Name</th><th>Id</th><th>Product</th><th>State</th><th>Expires</th><th>Actions</th></tr></thead>
          <tbody id="subscriptions-body"></tbody></table>
        </div>
        <h3>New subscription</h3>
        <form id="subscription-form" class="admin-form" novalidate>
          <label>Name <input name="name" data-field="name" required maxlength="200" placeholder="my-app"></label>
          <label>Product <select name="productId" id="subscription-product" data-field="productId"></select></label>
          <label>Expires (optional) <input name="expiresAt" type="datetime-local" data-field="expiresAt"></label>
          <button class="submit" type="submit">Create subscription</button>
        </form>
      </section>
      <section class="panel" id="products-section">
        <h2>Products</h2>
        <div class="api-error" id="products-error" data-testid="products-error" role="alert"></div>
        <div class="table-scroll">
          <table data-testid="products-table"><thead><tr><th>Id</th><th>Name</th><th>Rate limit</th><th>Quota</th><th>Operations</th><th>Services</th><th>Actions</th></tr></thead>
          <tbody id="products-body"></tbody></table>
        </div>
        <h3 id="product-form-title">New product</h3>
        <form id="product-form" class="admin-form" novalidate>
          <label>Id <input name="id" data-field="id" maxlength="64" placeholder="trial"><span class="field-error" data-error-for="id"></span></label>
          <label>Name <input name="name" data-field="name" maxlength="200" placeholder="Trial"><span class="field-error" data-error-for="name"></span></label>
          <fieldset><legend>Rate limit (empty: none)</legend>
            <label>calls <input name="rateCalls" type="number" min="1" data-field="rateLimit"></label>
            <label>per seconds <input name="ratePeriod" type="number" min="1" data-field="rateLimit"></label>
            <span class="field-error" data-error-for="rateLimit"></span>
          </fieldset>
          <fieldset><legend>Quota (empty: none)</legend>
            <label>calls <input name="quotaCalls" type="number" min="1" data-field="quota"></label>
            <label>per seconds <input name="quotaPeriod" type="number" min="1" data-field="quota"></label>
            <span class="field-error" data-error-for="quota"></span>
          </fieldset>
          <fieldset><legend>Operations</legend>
            <label><input name="opRrs" type="checkbox" data-field="operations" checked> RRS</label>
            <label><input name="opBes" type="checkbox" data-field="operations" checked> BES</label>
            <span class="field-error" data-error-for="operations"></span>
          </fieldset>
          <label>Services <span class="hint">workspace/service, one a line; empty: every service (a new product) or unchanged</span>
            <textarea name="services" rows="2" cols="34" data-field="services"></textarea><span class="field-error" data-error-for="services"></span></label>
          <button class="submit" type="submit" id="product-submit">Create product</button>
          <button class="submit" type="button" id="product-new">Clear</button>
        </form>
        <div class="api-error" id="product-form-error" data-testid="product-form-error" role="alert"></div>
      </section>
      <section class="panel" id="catalogue-section">
        <h2>Catalogue</h2>
        <div class="table-scroll">
          <table data-testid="catalogue-table"><thead><tr><th>Service</th><th>Backend</th><th>Products</th><th></th></tr></thead>
          <tbody id="catalogue-body"></tbody></table>
        </div>
        <div id="catalogue-editor" hidden>
          <h3>Entry <span id="catalogue-editor-title"></span> as JSON (<code>PUT</code> replaces it)</h3>
          <textarea id="catalogue-json" data-testid="catalogue-json" spellcheck="false" aria-labelledby="catalogue-editor-title"></textarea>
          <div class="editor-actions"><button type="button" id="catalogue-save">Save entry</button><button type="button" id="catalogue-close">Close</button></div>
        </div>
        <div class="api-error" id="catalogue-error" data-testid="catalogue-error" role="alert"></div>
      </section>
      <section class="panel" id="audit-section">
        <h2>Audit log: the newest 50 changes</h2>
        <div class="table-scroll">
          <table data-testid="audit-table"><thead><tr><th>At</th><th>Actor</th><th>Operation</th><th>Target</th><th>Outcome</th></tr></thead>
          <tbody id="audit-body"></tbody></table>
        </div>
      </section>
    </div>
  </main>
  <script src="${DASHBOARD_ASSET_BASE}chart.umd.min.js"></script>
  <script src="${DASHBOARD_ASSET_BASE}dashboard-charts.js"></script>
  <script src="${DASHBOARD_ASSET_BASE}dashboard-admin.js"></script>
  <script src="${DASHBOARD_ASSET_BASE}dashboard.js"></script>
</body>
</html>
`;
