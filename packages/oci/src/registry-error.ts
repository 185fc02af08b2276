import { UserError } from '@gin-deploy/action';

export class RegistryError extends Error {
  constructor(
    message: string,
    readonly status: number,
  ) {
    super(message);
    this.name = 'RegistryError';
  }
}

/** Checks the status and frees the connection: for answers whose body is not read. */
export async function expectEmpty(response: Response, ok: number[], what: string): Promise<void> {
  await expectStatus(response, ok, what);
  await response.body?.cancel();
}

export async function expectStatus(response: Response, ok: number[], what: string): Promise<void> {
  if (ok.includes(response.status)) return;
  const text = await response.text().catch(() => '');
  let detail = text.slice(0, 300);
  try {
    const errors = (JSON.parse(text) as { errors?: { code?: string; message?: string }[] }).errors ?? [];
    if (errors.length > 0) detail = errors.map((e) => `${e.code ?? ''} ${e.message ?? ''}`.trim()).join('; ');
  } catch {
    // Not a Distribution error body; keep the text.
  }
  if (response.status === 403) {
    throw new UserError(`${what}: the registry denied access (403 Forbidden)${detail ? `: ${detail}` : ''}`);
  }
  throw new RegistryError(
    `${what} failed: ${response.status} ${response.statusText}${detail ? `: ${detail}` : ''}`,
    response.status,
  );
}
