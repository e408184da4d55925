// HTTP triggers: /manage/catalogue — list, get, put the backend of a {workspace, service} (admin key required).
import '../lib/functions-setup.js';
import { app } from '@azure/functions';
import { manageHandler } from '../lib/manage/handler.js';
import { getCatalogueEntry, listCatalogue, putCatalogueEntry } from '../lib/manage/catalogue.js';

export const manageListCatalogue = manageHandler(listCatalogue);
export const manageGetCatalogueEntry = manageHandler(getCatalogueEntry);
export const managePutCatalogueEntry = manageHandler(putCatalogueEntry);

app.http('manageListCatalogue', { route: 'manage/catalogue', methods: ['GET'], authLevel: 'anonymous', handler: manageListCatalogue });
app.http('manageGetCatalogueEntry', { route: 'manage/catalogue/{workspace}/{service}', methods: ['GET'], authLevel: 'anonymous', handler: manageGetCatalogueEntry });
app.http('managePutCatalogueEntry', { route: 'manage/catalogue/{workspace}/{service}', methods: ['PUT'], authLevel: 'anonymous', handler: managePutCatalogueEntry });
