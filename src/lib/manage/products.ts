// Management operations on products: list, get, create or change (PUT is an upsert, built-ins included), and
// delete. A product in use is not deleted: 409 ProductInUse naming, in `details`, each subscription on it (any
// state: a cancelled one still names it) and each catalogue entry that lists it; move or delete those first.
// The built-in products (starter, unlimited) are defined in code and are never deleted (409 ProductBuiltIn): a
// stored row only overrides their definition, so a delete could only ever mean "reset to the defaults".
import { GatewayError, type ErrorDetail } from '../errors.js';
import { BUILT_IN_PRODUCTS, ProductId, ProductInput } from '../contracts/products.js';
import { parseOrThrow } from '../http/validation.js';
import { readJson, type ManageOperation } from './handler.js';

/** At most this many users are named in a refusal (the message gives the total). */
const MAX_NAMED_USERS = 50;

export const listProducts: ManageOperation = async (_request, parts) => ({ status: 200, body: await parts.products.list() });

export const getProduct: ManageOperation = async (request, parts) => {
  const id = request.params.id ?? '';
  const product = ProductId.safeParse(id).success ? await parts.products.get(id) : undefined;
  if (!product) throw new GatewayError('ProductNotFound', `Product "${id}" was not found.`);
  return { status: 200, body: product };
};

export const putProduct: ManageOperation = async (request, parts) => {
  const id = parseOrThrow(ProductId, request.params.id ?? '', { detailCode: 'InvalidPathParameter', message: 'The product id is invalid.', root: 'id' });
  const input = await readJson(request, ProductInput);
  const existed = Boolean(await parts.products.get(id));
  const product = await parts.products.put(id, input);
  return { status: existed ? 200 : 201, body: product, audit: { target: `products/${id}`, details: { created: !existed, product } } };
};

export const deleteProduct: ManageOperation = async (request, parts) => {
  const id = request.params.id ?? '';
  const product = ProductId.safeParse(id).success ? await parts.products.get(id) : undefined;
  if (!product) throw new GatewayError('ProductNotFound', `Product "${id}" was not found.`);
  if (BUILT_IN_PRODUCTS.some((p) => p.id === id)) {
    throw new GatewayError('ProductBuiltIn', `Product "${id}" is built in: it can be changed (PUT) but not deleted.`, { target: 'id' });
  }
  const [subscriptions, entries] = await Promise.all([parts.subscriptions.list(), parts.catalogue.list()]);
  const users: ErrorDetail[] = [
    ...subscriptions.filter((s) => s.productId === id).map((s) => ({
      code: 'ProductInUse', target: `subscriptions/${s.id}`, message: `Subscription "${s.name}" (${s.id}, ${s.state}) is on product "${id}".`,
    })),
    ...entries.filter((e) => e.products.includes(id)).map((e) => ({
      code: 'ProductInUse', target: `catalogue/${e.workspace}/${e.service}`, message: `Catalogue entry ${e.workspace}/${e.service} lists product "${id}".`,
    })),
  ];
  if (users.length > 0) {
    const count = (n: number, what: string) => `${n} ${what}${n === 1 ? '' : 's'}`;
    const subs = users.filter((u) => u.target!.startsWith('subscriptions/')).length;
    const what = [subs && count(subs, 'subscription'), users.length - subs && count(users.length - subs, 'catalogue entry')].filter(Boolean).join(' and ')
      .replace('catalogue entrys', 'catalogue entries');
    throw new GatewayError('ProductInUse', `Product "${id}" is in use by ${what}: move or delete them first.`, { details: users.slice(0, MAX_NAMED_USERS) });
  }
  await parts.products.delete(id);
  return { status: 200, body: product, audit: { target: `products/${id}`, details: { name: product.name } } };
};
