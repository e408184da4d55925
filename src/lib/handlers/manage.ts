// The management API's handlers: each operation wrapped with the admin-key check and the error mapper.
import { manageHandler } from '../manage/handler.js';
import { createSubscription, getSubscription, listSubscriptions, regenerateKey, updateSubscription } from '../manage/subscriptions.js';
import { getProduct, listProducts, putProduct } from '../manage/products.js';
import { getCatalogueEntry, listCatalogue, putCatalogueEntry } from '../manage/catalogue.js';
import { flushUsage, getUsage, listUsageJobs } from '../manage/usage.js';
import { healthReport } from '../manage/health.js';

export const manageCreateSubscription = manageHandler(createSubscription);
export const manageListSubscriptions = manageHandler(listSubscriptions);
export const manageGetSubscription = manageHandler(getSubscription);
export const manageUpdateSubscription = manageHandler(updateSubscription);
export const manageRegenerateKey = manageHandler(regenerateKey);
export const manageListProducts = manageHandler(listProducts);
export const manageGetProduct = manageHandler(getProduct);
export const managePutProduct = manageHandler(putProduct);
export const manageListCatalogue = manageHandler(listCatalogue);
export const manageGetCatalogueEntry = manageHandler(getCatalogueEntry);
export const managePutCatalogueEntry = manageHandler(putCatalogueEntry);
export const manageGetUsage = manageHandler(getUsage);
export const manageFlushUsage = manageHandler(flushUsage);
export const manageListUsageJobs = manageHandler(listUsageJobs);
export const manageHealth = manageHandler(healthReport);
