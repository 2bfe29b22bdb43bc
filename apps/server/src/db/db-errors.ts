import { AppError } from '../http/app-error.js';

const pgCode = (err: unknown) =>
  typeof err === 'object' && err !== null && 'code' in err ? String((err as { code: unknown }).code) : '';

/**
 * Turns a constraint violation into a stable error; anything else is rethrown as is.
 * The database settles uniqueness, so two admins saving at once cannot both win.
 */
export async function withConstraints<T>(
  work: () => Promise<T>,
  messages: { unique?: string; foreignKey?: string },
): Promise<T> {
  try {
    return await work();
  } catch (err) {
    const code = pgCode(err);
    if (code === '23505' && messages.unique) throw new AppError('CONFLICT', messages.unique);
    if ((code === '23503' || code === '23001') && messages.foreignKey)
      throw new AppError('IN_USE', messages.foreignKey);
    throw err;
  }
}
