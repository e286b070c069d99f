import { Type, type TSchema } from 'typebox';

/** The error body every 4xx/5xx response carries. */
export const ErrorBody = Type.Object({
  code: Type.String(),
  message: Type.String(),
  details: Type.Array(Type.Object({ field: Type.String(), code: Type.String(), message: Type.String(), line: Type.Optional(Type.Integer()) })),
});

/** The one list convention: a page of items with the total. */
export const Page = <T extends TSchema>(item: T) =>
  Type.Object({ items: Type.Array(item), page: Type.Integer(), pageSize: Type.Integer(), total: Type.Integer() });

/** Page and page size query parameters, shared by every list. */
export const PageQuery = {
  page: Type.Optional(Type.Integer({ minimum: 1, maximum: 100000, default: 1 })),
  pageSize: Type.Optional(Type.Integer({ minimum: 1, maximum: 100, default: 20 })),
};

/** Text in every language. */
export const L = Type.Object({ az: Type.String(), ru: Type.String(), en: Type.String() });
