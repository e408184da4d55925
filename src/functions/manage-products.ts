// HTTP triggers: /manage/products — list, get, create or change a product (admin key required).
import '../lib/functions-setup.js';
import { app } from '@azure/functions';
import { manageHandler } from '../lib/manage/handler.js';
import { getProduct, listProducts, putProduct } from '../lib/manage/products.js';

export const manageListProducts = manageHandler(listProducts);
export const manageGetProduct = manageHandler(getProduct);
export const managePutProduct = manageHandler(putProduct);

app.http('manageListProducts', { route: 'manage/products', methods: ['GET'], authLevel: 'anonymous', handler: manageListProducts });
app.http('manageGetProduct', { route: 'manage/products/{id}', methods: ['GET'], authLevel: 'anonymous', handler: manageGetProduct });
app.http('managePutProduct', { route: 'manage/products/{id}', methods: ['PUT'], authLevel: 'anonymous', handler: managePutProduct });
