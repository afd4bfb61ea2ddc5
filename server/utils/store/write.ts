// Writes that must commit together (a stored response and the conversation it was added to): each is
// a list of statements with the rows each statement runs for, committed in one transaction. On
// SQLite they run on the writer thread (off the event loop); resolves once committed.
import { database } from '../db'
import type { SqlRow } from '../db/dialect'

export interface Write {
  statements: string[]
  lists: SqlRow[][]
}

export async function commit(...writes: Write[]): Promise<void> {
  const statements = writes.flatMap(w => w.statements)
  const lists = writes.flatMap(w => w.lists)
  const { db, transaction, writeRows } = await database()
  if (writeRows) return writeRows(statements, lists)
  await transaction(async () => {
    for (const [i, sql] of statements.entries()) {
      const statement = db.prepare(sql)
      for (const row of lists[i]!) await statement.run(...row)
    }
  })
}
