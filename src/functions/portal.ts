// HTTP triggers: the developer portal — GET /portal (the page) and GET /portal/{asset} (Swagger UI's files from
// node_modules/swagger-ui-dist and the portal's own script, by exact name only). Anonymous, like APIM's portal.
import '../lib/functions-setup.js';
import { app } from '@azure/functions';
import { lazyHandler } from '../lib/lazy-handler.js';

export const portalPage = lazyHandler(async () => (await import('../lib/handlers/pages.js')).portalPage);
export const portalAsset = lazyHandler(async () => (await import('../lib/handlers/pages.js')).portalAsset);

app.http('portalPage', { route: 'portal', methods: ['GET'], authLevel: 'anonymous', handler: portalPage });
app.http('portalAsset', { route: 'portal/{asset}', methods: ['GET'], authLevel: 'anonymous', handler: portalAsset });
