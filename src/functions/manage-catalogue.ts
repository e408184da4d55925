// HTTP triggers: /manage/catalogue — list, get, put the backend of a {workspace, service} (admin key required).
import '../lib/functions-setup.js';
import { app } from '@azure/functions';
import { lazyHandler } from '../lib/lazy-handler.js';

export const manageListCatalogue = lazyHandler(async () => (await import('../lib/handlers/manage.js')).manageListCatalogue);
export const manageGetCatalogueEntry = lazyHandler(async () => (await import('../lib/handlers/manage.js')).manageGetCatalogueEntry);
export const managePutCatalogueEntry = lazyHandler(async () => (await import('../lib/handlers/manage.js')).managePutCatalogueEntry);

app.http('manageListCatalogue', { route: 'manage/catalogue', methods: ['GET'], authLevel: 'anonymous', handler: manageListCatalogue });
app.http('manageGetCatalogueEntry', { route: 'manage/catalogue/{workspace}/{service}', methods: ['GET'], authLevel: 'anonymous', handler: manageGetCatalogueEntry });
app.http('managePutCatalogueEntry', { route: 'manage/catalogue/{workspace}/{service}', methods: ['PUT'], authLevel: 'anonymous', handler: managePutCatalogueEntry });
