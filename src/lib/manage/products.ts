// Management operations on products: list, get, create or change (PUT is an upsert, built-ins included).
import { GatewayError } from '../errors.js';
import { ProductId, ProductInput } from '../contracts/products.js';
import { parseOrThrow } from '../http/validation.js';
import { readJson, type ManageOperation } from './handler.js';

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
  return { status: existed ? 200 : 201, body: await parts.products.put(id, input) };
};
