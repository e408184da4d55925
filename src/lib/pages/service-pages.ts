// The subscriber's services (/portal/me/services) and one page per service (/portal/me/services/{ws}/{svc}): what
// it does, its input and output schemas and global parameters (read from the service's own swagger.json), an example
// body to try, and code samples to copy. The pages carry no data, so they are served without a key; their script signs
// in with the subscriber's OWN key (the same tab storage as /portal/me) and reads …/workspaces/me/services with it.
// They look like /portal/me: its stylesheet, then services.css. Nothing here reaches the management API.
import { SERVICE_PAGE_JS } from './service-page-script.js';
import { SERVICES_LIST_JS } from './services-list-script.js';
import { StaticFiles } from './static-files.js';
import { subscriberPageHtml } from './subscriber-shell.js';

const SERVICE_PAGES_CSS = `
.intro { margin: 0 0 16px; max-width: 62em; line-height: 1.45; }
.crumbs { margin: 0 0 12px; font-size: 14px; }
.crumbs a, .panel a { color: #1565c0; }
.cards { display: grid; grid-template-columns: repeat(auto-fill, minmax(min(340px, 100%), 1fr)); gap: 16px; }
a.card { display: flex; flex-direction: column; align-items: flex-start; gap: 6px; color: inherit; text-decoration: none; border-top: 3px solid #1565c0; }
a.card:hover, a.card:focus { box-shadow: 0 2px 8px rgba(15,61,92,.28); }
a.card h2 { font-size: 16px; margin: 0; color: #0f3d5c; overflow-wrap: anywhere; }
a.card p { margin: 2px 0; font-size: 14px; line-height: 1.45; color: #37474f; }
a.card p:empty { display: none; }
a.card .open { margin-top: auto; padding-top: 6px; font-size: 13px; color: #1565c0; font-weight: 600; }
header nav a[aria-current="page"] { color: #fff; text-decoration: none; font-weight: 600; }
.badge { display: inline-block; padding: 2px 9px; margin: 0 6px 4px 0; border-radius: 10px; font-size: 12px; font-weight: 600; background: #dcebf8; color: #0f3d5c; }
.badge.bes { background: #ece2f6; color: #4f2777; }
.about h2 { font-size: 22px; margin: 0 0 2px; }
.about .name { color: #5f6b76; margin-bottom: 10px; }
.about p { margin: 8px 0; line-height: 1.5; max-width: 62em; }
.about .links { display: flex; gap: 18px; flex-wrap: wrap; align-items: center; font-size: 14px; }
a.button { display: inline-block; background: #0f3d5c; color: #fff; padding: 6px 14px; border-radius: 4px; text-decoration: none; font-weight: 600; }
a.button:hover { background: #1565c0; }
.schemas { display: grid; grid-template-columns: repeat(auto-fit, minmax(min(420px, 100%), 1fr)); gap: 16px; margin-bottom: 16px; align-items: start; }
.schemas h3 { font-size: 13px; margin: 12px 0 4px; color: #37474f; font-weight: 600; }
.schemas h3:first-of-type { margin-top: 0; }
td.mono { white-space: normal; overflow-wrap: anywhere; }
td.type { color: #4f2777; }
.panel > p { margin: 6px 0 10px; line-height: 1.45; font-size: 14px; }
.endpoint { display: block; padding: 6px 10px; background: #f4f6f8; border-radius: 4px; margin: 0 0 10px; overflow-wrap: anywhere; }
textarea.body { display: block; width: 100%; min-height: 9em; box-sizing: border-box; padding: 8px 10px; font: 12.5px/1.5 ui-monospace, monospace; border: 1px solid #b8c2cc; border-radius: 4px; resize: vertical; }
.try { display: flex; gap: 12px; align-items: center; flex-wrap: wrap; margin: 10px 0; }
pre.code, pre.answer { margin: 0; padding: 12px 14px; overflow-x: auto; font: 12.5px/1.5 ui-monospace, monospace; border-radius: 0 0 6px 6px; }
pre.code { background: #0f1d2a; color: #e6edf3; }
pre.answer { background: #f4f6f8; border-radius: 6px; max-height: 24em; overflow-y: auto; }
pre.answer.failed { background: #fdecea; color: #8c1d18; }
.toggle { display: inline-flex; gap: 8px; align-items: center; font-size: 14px; margin: 4px 0 10px; cursor: pointer; }
.tabs { display: flex; flex-wrap: wrap; gap: 2px; border-bottom: 1px solid #d5dbe1; }
.tabs button { font: inherit; font-size: 14px; background: none; border: 0; border-bottom: 3px solid transparent; padding: 8px 14px; cursor: pointer; color: #37474f; }
.tabs button[aria-selected="true"] { border-bottom-color: #1565c0; color: #0f3d5c; font-weight: 600; }
.sample-bar { display: flex; justify-content: space-between; align-items: center; gap: 8px; margin-top: 12px; padding: 6px 8px 6px 14px; background: #1b2b3a; color: #cfd8e3; border-radius: 6px 6px 0 0; font-size: 13px; }
.sample-bar button { font: inherit; font-size: 12.5px; padding: 4px 12px; border: 1px solid #4b6378; background: #24394d; color: #fff; border-radius: 4px; cursor: pointer; }
.sample-bar button:hover { background: #30506b; }
.notice { background: #fff3cd; border-left: 4px solid #b38600; padding: 12px 14px; border-radius: 4px; line-height: 1.45; }
`;

/** Served next to /portal/me's files (which these pages also load: its stylesheet, the subscriber session script). */
export const servicePageFiles = new StaticFiles()
  .addText('services.css', SERVICE_PAGES_CSS)
  .addText('services-list.js', SERVICES_LIST_JS)
  .addText('service-page.js', SERVICE_PAGE_JS);

/** Both pages are the Services section: the list and one service's page (whose script adds its title). */
function shell(urlSuffix: string, script: 'services-list' | 'service-page', main: string): string {
  return subscriberPageHtml({
    urlSuffix,
    heading: 'Services',
    current: '/portal/me/services',
    signInTo: 'see the services your product allows',
    stylesheets: ['services.css'],
    scripts: [`${script}.js`],
    main,
  });
}

/** The services list. */
export function myServicesHtml(urlSuffix: string): string {
  return shell(urlSuffix, 'services-list', `    <div id="content" hidden>
      <p class="intro">The web services your product allows. Each has a page with what it does, its input and output
         columns, an example to try and code to copy (curl, Python, C#, JavaScript, R).</p>
      <div id="services" class="cards" data-testid="services"></div>
    </div>`);
}

/** One service's page (the same shell for every service: the script reads the names from the URL). */
export function myServiceHtml(urlSuffix: string): string {
  return shell(urlSuffix, 'service-page', `    <div id="content" hidden>
      <div class="crumbs"><a href="/portal/me/services" data-testid="back-to-services">&larr; All services</a></div>
      <div id="not-allowed" class="notice" data-testid="not-allowed" hidden></div>
      <div id="service" hidden>
        <section class="panel section about" data-testid="about">
          <h2 id="service-title" data-testid="service-title"></h2>
          <div id="service-name" class="name mono"></div>
          <p id="service-description" data-testid="service-description"></p>
          <div class="links">
            <span id="service-operations"></span>
            <a id="swagger-link" data-testid="swagger-link">Swagger document</a>
            <a id="service-batch-link" class="button" data-testid="service-batch-link" hidden>Run a batch job</a>
          </div>
        </section>
        <div class="schemas">
          <section class="panel" data-testid="input-schema"><h2>Input</h2><div id="inputs"></div></section>
          <section class="panel" data-testid="output-schema"><h2>Output</h2><div id="outputs"></div></section>
        </div>
        <section id="parameters-panel" class="panel section" data-testid="parameters" hidden>
          <h2>Global parameters</h2>
          <div class="table-scroll"><table><thead><tr><th>Name</th><th>Type</th><th>Default</th><th>Range</th><th>Description</th></tr></thead>
            <tbody id="parameters"></tbody></table></div>
        </section>
        <div id="rrs-parts">
          <section class="panel section" data-testid="example">
            <h2>Example request</h2>
            <p>A request-response call (RRS): rows in, scored rows out, at once. Edit the body if you like; the code samples below follow it.</p>
            <code id="endpoint" class="endpoint mono" data-testid="endpoint"></code>
            <textarea id="example-body" class="body" data-testid="example-body" spellcheck="false" aria-label="Request body"></textarea>
            <div class="try">
              <button id="try-it" class="primary" type="button" data-testid="try-it">Try it</button>
              <span id="try-note" class="muted">Sends it with your key: one call of your product's limits.</span>
            </div>
            <pre id="try-answer" class="answer" data-testid="try-answer" hidden></pre>
          </section>
          <section class="panel section" data-testid="samples">
            <h2>Code samples</h2>
            <p>Each prints the service's answer. Replace <code>YOUR_SUBSCRIPTION_KEY</code> with your key, or:</p>
            <label class="toggle"><input type="checkbox" id="key-in-samples" data-testid="key-in-samples"> Put my key in the samples</label>
            <div id="sample-tabs" class="tabs" role="tablist"></div>
            <div id="samples"></div>
          </section>
        </div>
      </div>
    </div>`);
}
