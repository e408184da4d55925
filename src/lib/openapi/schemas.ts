// The named schemas of the document, generated from the zod contracts the handlers validate with: no hand-written
// copy that could drift.
import { CatalogueEntrySchema } from '../catalogue/entry.js';
import { RrsSwaggerRequest, RrsTableRequest } from '../contracts/rrs.js';
import { BesJobListItem, BesStatusResponse, BesSubmitRequest } from '../contracts/bes.js';
import { InputSasAnswer, InputUploadAnswer } from '../contracts/bes-inputs.js';
import { RrsSwaggerResponse, RrsTableResponse } from '../contracts/responses.js';
import { Product, ProductInput } from '../contracts/products.js';
import { CreateSubscriptionInput, Subscription, SubscriptionWithKeys, UpdateSubscriptionInput } from '../contracts/subscriptions.js';
import { jsonSchema, type Json } from './schema.js';

export const dataPlaneSchemas = (): Json => ({
  RrsTableRequest: jsonSchema(RrsTableRequest, 'output'),
  RrsSwaggerRequest: jsonSchema(RrsSwaggerRequest, 'output'),
  RrsTableResponse: jsonSchema(RrsTableResponse, 'output'),
  RrsSwaggerResponse: jsonSchema(RrsSwaggerResponse, 'output'),
  BesSubmitRequest: jsonSchema(BesSubmitRequest, 'input'),
  BesStatusResponse: jsonSchema(BesStatusResponse, 'output'),
  BesJobListItem: jsonSchema(BesJobListItem, 'output'),
  InputUploadAnswer: jsonSchema(InputUploadAnswer, 'output'),
  InputSasAnswer: jsonSchema(InputSasAnswer, 'output'),
});

export const managementSchemas = (): Json => ({
  Product: jsonSchema(Product, 'output'),
  ProductInput: jsonSchema(ProductInput, 'input'),
  Subscription: jsonSchema(Subscription, 'output'),
  SubscriptionWithKeys: jsonSchema(SubscriptionWithKeys, 'output'),
  CreateSubscriptionInput: jsonSchema(CreateSubscriptionInput, 'input'),
  UpdateSubscriptionInput: jsonSchema(UpdateSubscriptionInput, 'input'),
  CatalogueEntry: jsonSchema(CatalogueEntrySchema, 'output'),
  // The PUT body: the entry without the names the path already gives.
  CatalogueEntryBody: jsonSchema(CatalogueEntrySchema.omit({ workspace: true, service: true }).strict(), 'input'),
});
