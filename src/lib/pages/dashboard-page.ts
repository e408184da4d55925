// The usage dashboard's page shell (/manage/dashboard). It carries no data, so it is served without the admin
// key (a browser cannot send a header on navigation); its script asks for the key and calls the JSON APIs.
// Kept as strings in .ts modules: tsc copies nothing else into dist, and this way the page ships with the code.
import { PRODUCT_NAME } from '../openapi/document.js';
import { DASHBOARD_ADMIN_JS } from './dashboard-admin.js';
import { DASHBOARD_ADMIN_KIT_JS } from './dashboard-admin-kit.js';
import { DASHBOARD_ADMIN_HTML } from './dashboard-admin-page.js';
import { DASHBOARD_ADMIN_PRODUCTS_JS } from './dashboard-admin-products.js';
import { DASHBOARD_ADMIN_SUBSCRIPTIONS_JS } from './dashboard-admin-subscriptions.js';
import { DASHBOARD_ANALYTICS_JS } from './dashboard-analytics.js';
import { DASHBOARD_CHARTS_JS } from './dashboard-charts.js';
import { DASHBOARD_FILTERS_JS } from './dashboard-filters.js';
import { DASHBOARD_JS } from './dashboard-script.js';
import { DASHBOARD_CSS } from './dashboard-styles.js';
import { DASHBOARD_TABLES_JS } from './dashboard-tables.js';
import { DASHBOARD_USAGE_HTML } from './dashboard-usage-page.js';
import { FAVICON_SVG } from './favicon.js';
import { StaticFiles, chartJsFiles } from './static-files.js';

export const DASHBOARD_ASSET_BASE = '/manage/dashboard/';

export const dashboardFiles = new StaticFiles()
  .addText('dashboard.css', DASHBOARD_CSS)
  .addText('favicon.svg', FAVICON_SVG)
  .addText('dashboard-charts.js', DASHBOARD_CHARTS_JS)
  .addText('dashboard-tables.js', DASHBOARD_TABLES_JS)
  .addText('dashboard-filters.js', DASHBOARD_FILTERS_JS)
  .addText('dashboard-analytics.js', DASHBOARD_ANALYTICS_JS)
  .addText('dashboard-admin-kit.js', DASHBOARD_ADMIN_KIT_JS)
  .addText('dashboard-admin-subscriptions.js', DASHBOARD_ADMIN_SUBSCRIPTIONS_JS)
  .addText('dashboard-admin-products.js', DASHBOARD_ADMIN_PRODUCTS_JS)
  .addText('dashboard-admin.js', DASHBOARD_ADMIN_JS)
  .addText('dashboard.js', DASHBOARD_JS)
  .addFolder(chartJsFiles);

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
${DASHBOARD_USAGE_HTML}
${DASHBOARD_ADMIN_HTML}
  </main>
  <script src="${DASHBOARD_ASSET_BASE}chart.umd.min.js"></script>
  <script src="${DASHBOARD_ASSET_BASE}dashboard-charts.js"></script>
  <script src="${DASHBOARD_ASSET_BASE}dashboard-tables.js"></script>
  <script src="${DASHBOARD_ASSET_BASE}dashboard-filters.js"></script>
  <script src="${DASHBOARD_ASSET_BASE}dashboard-analytics.js"></script>
  <script src="${DASHBOARD_ASSET_BASE}dashboard-admin-kit.js"></script>
  <script src="${DASHBOARD_ASSET_BASE}dashboard-admin-subscriptions.js"></script>
  <script src="${DASHBOARD_ASSET_BASE}dashboard-admin-products.js"></script>
  <script src="${DASHBOARD_ASSET_BASE}dashboard-admin.js"></script>
  <script src="${DASHBOARD_ASSET_BASE}dashboard.js"></script>
</body>
</html>
`;
