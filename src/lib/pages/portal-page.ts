// The developer portal (/portal): a short intro, then Swagger UI over /openapi.json's subscriber view (no
// management operations: the portal is for the people who call the API) with try-it on, request
// durations shown and the subscription key entered once in Authorize (kept across reloads by the browser).
// Kept as strings in a .ts module: tsc copies nothing else into dist, and this way the page ships with the code.
import { PRODUCT_NAME } from '../openapi/document.js';
import { FAVICON_SVG } from './favicon.js';
import { StaticFiles, swaggerUiFiles } from './static-files.js';

export const PORTAL_ASSET_BASE = '/portal/';

const PORTAL_INIT_JS = `"use strict";
// Swagger UI over the facade's own OpenAPI document; a key entered in Authorize is sent with every call.
window.addEventListener("load", function () {
  window.ui = SwaggerUIBundle({
    url: "/openapi.json?audience=subscriber", // the subscriber's API: no management operations
    dom_id: "#swagger-ui",
    deepLinking: true,
    tryItOutEnabled: true,
    displayRequestDuration: true,
    persistAuthorization: true,
    docExpansion: "list",
    defaultModelsExpandDepth: 0,
    filter: true,
    presets: [SwaggerUIBundle.presets.apis],
    layout: "BaseLayout"
  });
});
`;

const PORTAL_CSS = `
body { margin: 0; font-family: system-ui, -apple-system, "Segoe UI", Roboto, sans-serif; color: #1b1b1b; }
.intro { background: #0f3d5c; color: #fff; padding: 20px 32px; }
.intro h1 { margin: 0 0 6px; font-size: 26px; }
.intro p { margin: 4px 0; max-width: 60em; line-height: 1.45; }
.intro ol { margin: 8px 0 0 1.2em; padding: 0; line-height: 1.6; }
.intro code { background: rgba(255,255,255,.15); padding: 1px 5px; border-radius: 3px; }
.intro a { color: #9fd3ff; }
.key-hint { margin: 0; padding: 10px 32px; background: #e8f2fa; border-bottom: 1px solid #c9dced; font-size: 14px; line-height: 1.45; }
.key-hint code { background: #fff; padding: 1px 5px; border-radius: 3px; font-size: 13px; }
/* Swagger UI's fixed-width pieces, made to fit narrow windows (800 px): wrap long paths, scroll wide tables. */
.swagger-ui .wrapper { box-sizing: border-box; max-width: 100%; }
.swagger-ui .opblock .opblock-summary-path { word-break: break-all; }
.swagger-ui .opblock-body, .swagger-ui .responses-inner, .swagger-ui .table-container { overflow-x: auto; }
.swagger-ui table { max-width: 100%; }
`;

export const portalFiles = new StaticFiles()
  .addText('portal-init.js', PORTAL_INIT_JS)
  .addText('portal.css', PORTAL_CSS)
  .addText('favicon.svg', FAVICON_SVG)
  .addFolder(swaggerUiFiles);

export const PORTAL_HTML = `<!doctype html>
<html lang="en">
<head>
  <meta charset="utf-8">
  <meta name="viewport" content="width=device-width, initial-scale=1">
  <title>${PRODUCT_NAME} — developer portal</title>
  <link rel="icon" type="image/svg+xml" href="${PORTAL_ASSET_BASE}favicon.svg">
  <link rel="stylesheet" href="${PORTAL_ASSET_BASE}swagger-ui.css">
  <link rel="stylesheet" href="${PORTAL_ASSET_BASE}portal.css">
</head>
<body>
  <header class="intro" data-testid="portal-intro">
    <h1>${PRODUCT_NAME} developer portal</h1>
    <p>Machine-learning scoring services behind one gateway, with the classic Azure ML web-service API
       (version 2.0): <strong>RRS</strong> scores a few rows now, <strong>BES</strong> runs a batch job over a file.</p>
    <ol>
      <li>Get a subscription key from the API's owner.</li>
      <li>Click <strong>Authorize</strong> and enter the key once (see the note below).</li>
      <li>Open an operation, fill in the parameters (an example body is ready) and press <strong>Execute</strong>:
          the URL, status, duration, headers and body of the answer appear below it.</li>
    </ol>
    <p>The machine-readable description is at <a href="/openapi.json?audience=subscriber">/openapi.json?audience=subscriber</a>.
       Your subscription, limits, usage, batch jobs and keys: <a href="/portal/me" data-testid="my-subscription-link">My subscription</a>.
       Each service's columns, an example and code to copy: <a href="/portal/me/services" data-testid="services-link">Services</a>.
       A batch job step by step, in the browser: <a href="/portal/me/batch" data-testid="batch-link">Run a batch job</a>.</p>
  </header>
  <p class="key-hint" data-testid="key-hint">Your subscription key goes in <strong>Authorize</strong>, in the
     <code>Ocp-Apim-Subscription-Key</code> box: every call you try then sends it as the
     <code>Ocp-Apim-Subscription-Key</code> header.</p>
  <div id="swagger-ui"></div>
  <script src="${PORTAL_ASSET_BASE}swagger-ui-bundle.js" charset="utf-8"></script>
  <script src="${PORTAL_ASSET_BASE}portal-init.js" charset="utf-8"></script>
</body>
</html>
`;
