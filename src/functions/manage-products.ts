// HTTP triggers: /manage/products — list, get, create or change a product (admin key required).
import '../lib/functions-setup.js';
import { app } from '@azure/functions';
import { lazyHandler } from '../lib/lazy-handler.js';

export const manageListProducts = lazyHandler(async () => (await import('../lib/handlers/manage.js')).manageListProducts);
export const manageGetProduct = lazyHandler(async () => (await import('../lib/handlers/manage.js')).manageGetProduct);
export const managePutProduct = lazyHandler(async () => (await import('../lib/handlers/manage.js')).managePutProduct);

app.http('manageListProducts', { route: 'manage/products', methods: ['GET'], authLevel: 'anonymous', handler: manageListProducts });
app.http('manageGetProduct', { route: 'manage/products/{id}', methods: ['GET'], authLevel: 'anonymous', handler: manageGetProduct });
app.http('managePutProduct', { route: 'manage/products/{id}', methods: ['PUT'], authLevel: 'anonymous', handler: managePutProduct });
