// The frame every subscriber page shares (/portal/me, its services pages, the batch page): the head with the data-
// plane base path, one header with the same links everywhere, and the sign-in form subscriber-session.js drives (the
// same ids on every page). Each page brings its title, its own stylesheets and scripts, and its main content.
import { PRODUCT_NAME } from '../openapi/document.js';

/** Where the subscriber pages' files are served (the portal/me/{asset} route). */
export const SUBSCRIBER_ASSETS = '/portal/me/';

/** The header's links, the same on every page (the current page's is marked). */
const LINKS = [
  { href: '/portal/me', label: 'My subscription', testId: 'my-subscription-link' },
  { href: '/portal/me/services', label: 'Services', testId: 'services-link' },
  { href: '/portal/me/batch', label: 'Run a batch job', testId: 'batch-link' },
  { href: '/portal', label: 'Developer portal', testId: 'portal-link' },
] as const;

export interface SubscriberPage {
  /** The URL suffix (letters, digits and ._~- only, checked when settings load). */
  urlSuffix: string;
  /** The page's heading; in lower case, the end of the window title. */
  heading: string;
  /** Which header link is this page (none for a service's page, whose heading is its own). */
  current?: (typeof LINKS)[number]['href'];
  /** Ends "Enter your own subscription key (…) to …": what signing in gives on this page. */
  signInTo: string;
  /** Files after my-subscription.css / subscriber-session.js, in order. */
  stylesheets?: readonly string[];
  scripts: readonly string[];
  /** Header buttons before Sign out. */
  controls?: string;
  main: string;
}

export function subscriberPageHtml(page: SubscriberPage): string {
  const links = LINKS.map(({ href, label, testId }) =>
    `<a href="${href}" data-testid="${testId}"${href === page.current ? ' aria-current="page"' : ''}>${label}</a>`).join('\n      ');
  const stylesheets = ['my-subscription.css', ...(page.stylesheets ?? [])]
    .map((file) => `  <link rel="stylesheet" href="${SUBSCRIBER_ASSETS}${file}">`).join('\n');
  const scripts = ['subscriber-session.js', ...page.scripts].map((file) => `  <script src="${SUBSCRIBER_ASSETS}${file}"></script>`).join('\n');
  return `<!doctype html>
<html lang="en">
<head>
  <meta charset="utf-8">
  <meta name="viewport" content="width=device-width, initial-scale=1">
  <meta name="api-base" content="${page.urlSuffix ? `/${page.urlSuffix}` : ''}">
  <title>${PRODUCT_NAME} — ${page.heading.toLowerCase()}</title>
  <link rel="icon" type="image/svg+xml" href="${SUBSCRIBER_ASSETS}favicon.svg">
${stylesheets}
</head>
<body data-state="locked">
  <header>
    <h1>${page.heading}</h1>
    <nav class="subscriber-nav">
      ${links}
    </nav>
    <span id="status" data-testid="status" role="status"></span>
    <div class="controls">${page.controls ?? ''}<button id="sign-out" type="button">Sign out</button></div>
  </header>
  <main>
    <section id="login-panel" class="panel" hidden>
      <h2>Sign in with your subscription key</h2>
      <p>Enter your own subscription key (the one you send as <code>Ocp-Apim-Subscription-Key</code>) to
         ${page.signInTo}. It is kept in this tab only, for these pages.</p>
      <form id="login">
        <label for="subscription-key">Subscription key</label>
        <input id="subscription-key" data-testid="subscription-key" type="password" autocomplete="off" placeholder="Your primary or secondary key" required>
        <div class="error" id="login-error" data-testid="login-error" role="alert"></div>
        <button class="primary" type="submit">Sign in</button>
      </form>
    </section>
${page.main}
  </main>
${scripts}
</body>
</html>
`;
}
