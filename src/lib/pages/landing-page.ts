// GET / : a small landing page, so someone who opens the facade's address finds where to go — the developer portal,
// the dashboard, health, the OpenAPI document — instead of a 404. It names no service, key or setting.
import { PRODUCT_NAME } from '../openapi/document.js';

export function landingPage(): string {
  const link = (href: string, title: string, what: string) => `<li><a href="${href}">${title}</a> — ${what}</li>`;
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>${PRODUCT_NAME}</title>
<style>body{font-family:system-ui,-apple-system,"Segoe UI",Roboto,sans-serif;margin:40px auto;max-width:46em;color:#1b1b1b;line-height:1.5}
h1{color:#0f3d5c}code{background:#eef3f7;padding:1px 5px;border-radius:3px}</style></head>
<body><h1>${PRODUCT_NAME}</h1>
<p>The Azure ML Studio (classic) web-service API, in front of today's model services. Call
<code>/workspaces/{workspace}/services/{service}/execute?api-version=2.0</code> with your subscription key.</p>
<ul>
${link('/portal', 'Developer portal', 'the API reference, with try-it (your subscription key)')}
${link('/manage/dashboard', 'Dashboard', 'usage and health, for the owner (the admin key)')}
${link('/openapi.json', 'OpenAPI document', 'for code generators and API tools')}
${link('/health', 'Health', 'whether this instance can serve')}
</ul></body></html>
`;
}
