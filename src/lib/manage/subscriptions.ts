// Management operations on subscriptions: create (keys shown once), list, get, change state, regenerate a key.
import { GatewayError } from '../errors.js';
import { CreateSubscriptionInput, RegenerateQuery, UpdateSubscriptionInput } from '../contracts/subscriptions.js';
import { parseOrThrow, queryObject } from '../http/validation.js';
import { readJson, type ManageOperation } from './handler.js';

const notFound = (id: string) => new GatewayError('SubscriptionNotFound', `Subscription "${id}" was not found.`);

export const createSubscription: ManageOperation = async (request, parts) => {
  const input = await readJson(request, CreateSubscriptionInput);
  if (!(await parts.products.get(input.productId))) {
    throw new GatewayError('RequestBodyInvalid', `Product "${input.productId}" does not exist.`, { target: 'productId' });
  }
  return { status: 201, body: await parts.subscriptions.create(input.name, input.productId) };
};

export const listSubscriptions: ManageOperation = async (_request, parts) => ({ status: 200, body: await parts.subscriptions.list() });

export const getSubscription: ManageOperation = async (request, parts) => {
  const id = request.params.id ?? '';
  const subscription = await parts.subscriptions.get(id);
  if (!subscription) throw notFound(id);
  return { status: 200, body: subscription };
};

export const updateSubscription: ManageOperation = async (request, parts) => {
  const input = await readJson(request, UpdateSubscriptionInput);
  const id = request.params.id ?? '';
  if (!(await parts.subscriptions.get(id))) throw notFound(id);
  return { status: 200, body: await parts.subscriptions.setState(id, input.state) };
};

export const regenerateKey: ManageOperation = async (request, parts) => {
  const { key: kind } = parseOrThrow(RegenerateQuery, queryObject(request.query), {
    detailCode: 'InvalidQueryParameter',
    message: 'The query string is invalid: key must be primary or secondary.',
  });
  const id = request.params.id ?? '';
  if (!(await parts.subscriptions.get(id))) throw notFound(id);
  const { subscription, key } = await parts.subscriptions.regenerate(id, kind);
  return { status: 200, body: { ...subscription, [kind === 'primary' ? 'primaryKey' : 'secondaryKey']: key } };
};

