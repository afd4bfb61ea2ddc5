// The one place where SQLite and PostgreSQL differ. Every other query is written in the subset both
// run: `?` placeholders (db0 numbers them for PostgreSQL), INSERT … ON CONFLICT … DO UPDATE, no
// RETURNING-dependent logic, integers for times (epoch milliseconds) and booleans.
export type DialectName = 'sqlite' | 'postgresql'

/** A statement's parameters, as plain values both databases bind. */
export type SqlValue = string | number | null
export type SqlRow = SqlValue[]

export interface Dialect {
  name: DialectName
  /** 64-bit integer column (epoch milliseconds, token counts). */
  bigint: string
  /** Double-precision column (the dollar amounts of migration 1, since converted to integers). */
  double: string
}

export const dialects: Record<DialectName, Dialect> = {
  sqlite: { name: 'sqlite', bigint: 'INTEGER', double: 'REAL' },
  postgresql: { name: 'postgresql', bigint: 'BIGINT', double: 'DOUBLE PRECISION' },
}
