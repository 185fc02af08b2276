/** An error whose message is written for the workflow author: one line, what was given, what was expected. */
export class UserError extends Error {
  constructor(message: string) {
    super(oneLine(message));
    this.name = 'UserError';
  }
}

/** The runner shows `::error::` messages on one line; newlines would split or truncate the annotation. */
export function oneLine(text: string): string {
  return text.replace(/\s*\r?\n\s*/g, ' ').trim();
}

export function errorMessage(error: unknown): string {
  if (error instanceof Error) return error.message;
  return String(error);
}
