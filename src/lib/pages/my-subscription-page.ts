// "My subscription" (/portal/me): the subscriber's own page. It carries no data, so it is served without a key;
// its script asks for the subscriber's OWN subscription key (kept in this tab's sessionStorage) and reads the
// subscriber API under the URL suffix (…/workspaces/me, /usage, /jobs, /regenerate). Nothing here reaches the
// management API. Kept as strings in .ts modules: tsc copies nothing else into dist, and the page ships with the code.
import { FAVICON_SVG } from './favicon.js';
import { MY_SUBSCRIPTION_JS } from './my-subscription-script.js';
import { MY_USAGE_CHART_JS } from './my-usage-chart-script.js';
import { MY_SUBSCRIPTION_VIEWS_JS } from './my-subscription-views-script.js';
import { SUBSCRIBER_SESSION_JS } from './subscriber-session-script.js';
import { StaticFiles } from './static-files.js';
import { subscriberPageHtml } from './subscriber-shell.js';

const MY_SUBSCRIPTION_CSS = `
body { margin: 0; font-family: system-ui, -apple-system, "Segoe UI", Roboto, sans-serif; background: #f4f6f8; color: #1b1b1b; }
header { background: #0f3d5c; color: #fff; padding: 14px 28px; display: flex; align-items: center; gap: 16px; flex-wrap: wrap; }
header h1 { font-size: 22px; margin: 0; flex: 1 1 auto; }
header a { color: #9fd3ff; }
header nav { display: flex; gap: 16px; flex-wrap: wrap; font-size: 15px; }
header nav a[aria-current="page"] { color: #fff; font-weight: 600; text-decoration: none; }
header .controls { display: flex; align-items: center; gap: 12px; flex-wrap: wrap; }
header button { font: inherit; padding: 4px 10px; }
body[data-state="locked"] header .controls { display: none; }
#status { font-size: 13px; opacity: .85; }
main { padding: 20px 28px; }
.panel { background: #fff; border-radius: 6px; box-shadow: 0 1px 3px rgba(0,0,0,.12); padding: 16px; min-width: 0; box-sizing: border-box; }
.panel h2 { font-size: 15px; margin: 0 0 10px; color: #0f3d5c; }
#login-panel { max-width: 460px; margin: 60px auto; padding: 24px 28px; border-top: 4px solid #0f3d5c; }
#login-panel h2 { font-size: 20px; margin: 0 0 8px; }
#login-panel p { margin: 8px 0; line-height: 1.45; }
#login-panel label { display: block; font-weight: 600; margin-top: 16px; }
#login-panel input { width: 100%; box-sizing: border-box; padding: 8px 10px; margin: 6px 0 8px; font: inherit; border: 1px solid #b8c2cc; border-radius: 4px; }
#login-panel input:focus { outline: 2px solid #1565c0; outline-offset: 0; border-color: #1565c0; }
button.primary, button.danger, button.plain { font: inherit; font-weight: 600; padding: 7px 16px; border: 0; border-radius: 4px; cursor: pointer; }
button.primary { background: #0f3d5c; color: #fff; } button.primary:hover { background: #1565c0; }
button.danger { background: #b3261e; color: #fff; } button.danger:hover { background: #8c1d18; }
button.plain { background: #e3e7eb; color: #1b1b1b; } button.plain:hover { background: #cfd6dc; }
code, .mono { font-family: ui-monospace, monospace; font-size: 12.5px; overflow-wrap: anywhere; }
.error { color: #c62828; min-height: 1.2em; }
.grid { display: grid; grid-template-columns: repeat(auto-fit, minmax(min(340px, 100%), 1fr)); gap: 16px; margin-bottom: 16px; }
dl.facts { display: grid; grid-template-columns: max-content minmax(0, 1fr); gap: 6px 14px; margin: 0; font-size: 14px; }
dl.facts dt { color: #5f6b76; } dl.facts dd { margin: 0; overflow-wrap: anywhere; }
.state { padding: 2px 8px; border-radius: 10px; background: #e3e7eb; white-space: nowrap; }
.state.active, .state.Finished { background: #d7f0da; } .state.suspended, .state.NotStarted, .state.Running, .state.Copying { background: #fff3cd; }
.state.cancelled, .state.expired, .state.Failed, .state.Cancelled { background: #f8d7da; }
.window { margin-bottom: 14px; } .window:last-child { margin-bottom: 0; }
.window .head { display: flex; justify-content: space-between; gap: 8px; flex-wrap: wrap; font-size: 14px; }
.window .numbers { font-size: 22px; font-weight: 600; margin: 4px 0; }
.window .numbers small { font-size: 13px; font-weight: 400; color: #5f6b76; }
.meter { height: 8px; background: #e3e7eb; border-radius: 4px; overflow: hidden; }
.meter > div { height: 100%; background: #1565c0; width: 0; }
.meter.full > div { background: #b3261e; }
.window .renews { font-size: 13px; color: #5f6b76; margin-top: 4px; }
.muted { color: #5f6b76; font-size: 13px; }
.section { margin-bottom: 16px; }
.table-scroll { overflow-x: auto; max-width: 100%; }
table { width: 100%; border-collapse: collapse; font-size: 13px; }
th, td { text-align: left; padding: 6px 8px; border-bottom: 1px solid #e3e7eb; white-space: nowrap; }
th.num, td.num { text-align: right; font-variant-numeric: tabular-nums; }
td.reason { white-space: normal; min-width: 14em; overflow-wrap: anywhere; }
tfoot td { font-weight: 600; border-bottom: 0; }
.usage-head { display: flex; align-items: baseline; justify-content: space-between; gap: 12px; flex-wrap: wrap; }
.usage-head label { font-size: 14px; }
.usage-chart { display: flex; align-items: stretch; gap: 2px; height: 120px; border-bottom: 1px solid #b8c2cc; margin-top: 6px; }
.usage-bar { flex: 1 1 0; min-width: 0; display: flex; flex-direction: column-reverse; }
.usage-part { display: block; }
.usage-part.success, .key.success::before { background: #2e7d32; }
.usage-part.blocked, .key.blocked::before { background: #ef6c00; }
.usage-part.failed, .key.failed::before { background: #c62828; }
.usage-part.other, .key.other::before { background: #78909c; }
.usage-axis { display: flex; justify-content: space-between; font-size: 12px; color: #5f6b76; margin: 2px 0 6px; }
.legend { display: flex; gap: 14px; font-size: 12px; color: #5f6b76; margin-bottom: 8px; }
.key::before { content: ""; display: inline-block; width: 10px; height: 10px; border-radius: 2px; margin-right: 4px; vertical-align: -1px; }
.bar { display: inline-block; height: 10px; background: #1565c0; border-radius: 2px; vertical-align: middle; margin-right: 6px; }
.keys p { margin: 0 0 10px; line-height: 1.45; font-size: 14px; }
.keys .buttons { display: flex; gap: 10px; flex-wrap: wrap; }
.confirm, .new-key { margin-top: 14px; padding: 12px 14px; border-radius: 4px; font-size: 14px; line-height: 1.45; }
.confirm { background: #fff3cd; border-left: 4px solid #b38600; }
.new-key { background: #e6f4ea; border-left: 4px solid #2e7d32; }
.confirm .buttons, .new-key .buttons { margin-top: 10px; }
/* Narrow windows (800 px): the windows panel takes a whole row, and the jobs and errors tables wrap rather than scroll. */
@media (max-width: 1100px) { .grid > .windows { grid-column: 1 / -1; } }
@media (max-width: 900px) {
  .jobs td, .errors td { white-space: normal; }
  .jobs td.mono, .errors td.mono { word-break: break-all; min-width: 9em; }
  main { padding: 16px; } header { padding: 12px 16px; }
}
.new-key .key-value { display: block; margin: 8px 0; padding: 8px 10px; background: #fff; border: 1px solid #b8c2cc; border-radius: 4px; font-size: 13px; }
`;

export const mySubscriptionFiles = new StaticFiles()
  .addText('my-subscription.css', MY_SUBSCRIPTION_CSS)
  .addText('my-subscription-views.js', MY_SUBSCRIPTION_VIEWS_JS)
  .addText('my-usage-chart.js', MY_USAGE_CHART_JS)
  .addText('my-subscription.js', MY_SUBSCRIPTION_JS)
  .addText('subscriber-session.js', SUBSCRIBER_SESSION_JS)
  .addText('favicon.svg', FAVICON_SVG);

/** The page, with the data-plane base path (the URL suffix). */
export function mySubscriptionHtml(urlSuffix: string): string {
  return subscriberPageHtml({
    urlSuffix,
    heading: 'My subscription',
    current: '/portal/me',
    signInTo: 'see your subscription, your limits, your usage, your recent errors and your batch jobs',
    scripts: ['my-subscription-views.js', 'my-usage-chart.js', 'my-subscription.js'],
    controls: '<button id="refresh" type="button">Refresh</button>',
    main: `    <div id="me-panel" hidden>
      <div class="grid">
        <section class="panel" data-testid="subscription-panel">
          <h2>Subscription</h2>
          <dl class="facts">
            <dt>Name</dt><dd id="sub-name" data-testid="sub-name"></dd>
            <dt>Id</dt><dd id="sub-id" class="mono" data-testid="sub-id"></dd>
            <dt>State</dt><dd><span id="sub-state" class="state" data-testid="sub-state"></span></dd>
            <dt>Expires</dt><dd id="sub-expires" data-testid="sub-expires"></dd>
            <dt>Created</dt><dd id="sub-created"></dd>
          </dl>
        </section>
        <section class="panel" data-testid="product-panel">
          <h2>Product</h2>
          <dl class="facts">
            <dt>Name</dt><dd id="product-name" data-testid="product-name"></dd>
            <dt>Id</dt><dd id="product-id" class="mono"></dd>
            <dt>Rate limit</dt><dd id="product-rate" data-testid="product-rate"></dd>
            <dt>Quota</dt><dd id="product-quota" data-testid="product-quota"></dd>
            <dt>Operations</dt><dd id="product-operations"></dd>
            <dt>Services</dt><dd id="product-services"></dd>
          </dl>
        </section>
        <section class="panel windows" data-testid="windows-panel">
          <h2>Current windows</h2>
          <div id="window-rate" class="window" data-testid="window-rate"></div>
          <div id="window-quota" class="window" data-testid="window-quota"></div>
        </section>
      </div>
      <section class="panel section" data-testid="usage-panel">
        <div class="usage-head">
          <h2 id="usage-title">My usage in the last hour, by operation and outcome</h2>
          <label>Range <select id="usage-range" data-testid="usage-range">
            <option value="1h">Last hour</option><option value="24h">Last 24 hours</option><option value="7d">Last 7 days</option>
          </select></label>
        </div>
        <div class="usage-over-time">
          <div id="usage-chart" class="usage-chart" data-testid="usage-chart" role="img" aria-label="My calls over time, by outcome"></div>
          <div class="usage-axis"><span></span><span></span></div>
          <div class="legend"><span class="key success">success</span><span class="key blocked">blocked</span><span class="key failed">failed</span><span class="key other">other</span></div>
        </div>
        <div class="table-scroll">
          <table data-testid="usage-table"><thead><tr><th>Operation</th><th class="num">Calls</th><th class="num">Success</th>
            <th class="num">Blocked</th><th class="num">Failed</th><th class="num">Other</th><th></th></tr></thead>
          <tbody id="usage-body"></tbody><tfoot id="usage-foot"></tfoot></table>
        </div>
        <p class="muted">Blocked: refused by the gateway (401, 403, 429). Usage is written every few seconds, so the last calls may take a moment to appear.</p>
      </section>
      <section class="panel section jobs" data-testid="jobs-panel">
        <h2>My recent batch jobs</h2>
        <div class="table-scroll">
          <table data-testid="jobs-table"><thead><tr><th>Job</th><th>Service</th><th>State</th><th>Created</th><th class="num">Duration</th><th>Failure reason</th></tr></thead>
          <tbody id="jobs-body"></tbody></table>
        </div>
      </section>
      <section class="panel section errors" data-testid="errors-panel">
        <h2>My recent errors</h2>
        <div class="table-scroll">
          <table data-testid="errors-table"><thead><tr><th>Time</th><th>Request id</th><th>Operation</th><th>Service</th><th class="num">Status</th><th>Error code</th></tr></thead>
          <tbody id="errors-body"></tbody></table>
        </div>
        <p class="muted">Give the request id when you ask for help: it finds the call in the service's logs.</p>
      </section>
      <section class="panel section keys" data-testid="keys-panel">
        <h2>My keys</h2>
        <p>A new key replaces the old one at once: every client still using the old key is refused. Regenerate the key
           you are not using, move your clients to it, then regenerate the other one.</p>
        <div class="buttons">
          <button class="plain" type="button" id="regenerate-primary" data-key="primary" data-testid="regenerate-primary">Regenerate primary key</button>
          <button class="plain" type="button" id="regenerate-secondary" data-key="secondary" data-testid="regenerate-secondary">Regenerate secondary key</button>
        </div>
        <div id="confirm" class="confirm" data-testid="confirm" hidden>
          <span id="confirm-text"></span>
          <div class="buttons">
            <button class="danger" type="button" id="confirm-yes" data-testid="confirm-yes">Regenerate</button>
            <button class="plain" type="button" id="confirm-no" data-testid="confirm-no">Cancel</button>
          </div>
        </div>
        <div id="new-key" class="new-key" data-testid="new-key" hidden>
          <strong id="new-key-title"></strong> Copy it now: it is shown only once.
          <code id="new-key-value" class="key-value" data-testid="new-key-value"></code>
          <span id="new-key-note" data-testid="new-key-note"></span>
          <div class="buttons">
            <button class="primary" type="button" id="copy-key" data-testid="copy-key">Copy</button>
            <button class="plain" type="button" id="hide-key" data-testid="hide-key">Done</button>
          </div>
        </div>
        <div class="error" id="keys-error" data-testid="keys-error" role="alert"></div>
      </section>
    </div>`,
  });
}
