import { Type, type Static } from 'typebox';
import { ROLES } from '../../platform/context.ts';
import { LOCALES } from '../../platform/i18n.ts';
import { Id, Line, PageQuery } from '../../platform/http/schemas.ts';

export const RoleSchema = Type.Enum(ROLES);
export const LocaleSchema = Type.Enum(LOCALES);

export const LoginBody = Type.Object(
  { username: Line({ minLength: 1, maxLength: 64 }), password: Line({ minLength: 1, maxLength: 256 }) },
  { additionalProperties: false },
);
export type LoginBody = Static<typeof LoginBody>;

export const UserOut = Type.Object({
  id: Type.String({ format: 'uuid' }),
  username: Type.String(),
  displayName: Type.String(),
  roles: Type.Array(RoleSchema),
  locale: LocaleSchema,
  citizenId: Type.Union([Type.Integer(), Type.Null()]),
  centerCode: Type.Union([Type.String(), Type.Null()]),
});
export type UserOut = Static<typeof UserOut>;

export const SessionOut = Type.Object({ user: UserOut, csrfToken: Type.String() });
export const TokenOut = Type.Object({ token: Type.String(), expiresAt: Type.String({ format: 'date-time' }) });

export const AdminUserOut = Type.Intersect([
  UserOut,
  Type.Object({ disabled: Type.Boolean(), lockedUntil: Type.Union([Type.String(), Type.Null()]), createdAt: Type.String() }),
]);
export type AdminUserOut = Static<typeof AdminUserOut>;

const Username = Type.String({ pattern: '^[a-z0-9._-]{3,64}$' });
const Password = Line({ minLength: 10, maxLength: 256 });
const CenterCode = Type.String({ pattern: '^[A-Z0-9-]{2,30}$' });

export const CreateUserBody = Type.Object(
  {
    username: Username,
    displayName: Line({ minLength: 1, maxLength: 200 }),
    password: Password,
    roles: Type.Array(RoleSchema, { minItems: 1, maxItems: 7, uniqueItems: true }),
    centerCode: Type.Optional(Type.Union([Type.Null(), CenterCode])),
    citizenId: Type.Optional(Type.Union([Type.Null(), Id()])),
    locale: Type.Optional(LocaleSchema),
  },
  { additionalProperties: false },
);
export type CreateUserBody = Static<typeof CreateUserBody>;

export const UpdateUserBody = Type.Object(
  {
    displayName: Type.Optional(Line({ minLength: 1, maxLength: 200 })),
    password: Type.Optional(Password),
    roles: Type.Optional(Type.Array(RoleSchema, { minItems: 1, maxItems: 7, uniqueItems: true })),
    centerCode: Type.Optional(Type.Union([Type.Null(), CenterCode])),
    disabled: Type.Optional(Type.Boolean()),
    locale: Type.Optional(LocaleSchema),
  },
  { additionalProperties: false, minProperties: 1 },
);
export type UpdateUserBody = Static<typeof UpdateUserBody>;

export const ListUsersQuery = Type.Object(
  {
    q: Type.Optional(Line({ maxLength: 100 })),
    role: Type.Optional(RoleSchema),
    ...PageQuery,
  },
  { additionalProperties: false },
);
export type ListUsersQuery = Static<typeof ListUsersQuery>;
