import { UserError } from '@gin-deploy/action';

/** A query template that cannot be rendered or a selector that is none; it names the query, not where it is. */
export class QueryTemplateError extends Error {
  constructor(
    readonly query: string,
    readonly problem: string,
  ) {
    super(problem);
    this.name = 'QueryTemplateError';
  }
}

/** Runs `build`, saying a QueryTemplateError at `where` (an SLO, a check of an analysis file). */
export function located<T>(where: string, build: () => T): T {
  try {
    return build();
  } catch (error) {
    if (error instanceof QueryTemplateError) throw new UserError(`${where}: ${error.message}`);
    throw error;
  }
}

// `{{name}}`, `{{ name }}` and sloth's Go-template `{{.name}}` all name the same variable.
const PLACEHOLDER = /\{\{\s*\.?([A-Za-z_][A-Za-z0-9_-]*)\s*\}\}/g;

/** Replaces `{{name}}` placeholders; a placeholder with no value is an error naming it. */
export function renderTemplate(text: string, variables: Record<string, string>): string {
  return text.replace(PLACEHOLDER, (whole, name: string) => {
    const value = variables[name];
    if (value === undefined) {
      const known = Object.keys(variables).sort();
      throw new QueryTemplateError(
        text,
        `'${whole}' has no value; known placeholders: ${known.map((key) => `{{${key}}}`).join(', ') || 'none'}`,
      );
    }
    return value;
  });
}

export function hasPlaceholder(text: string, name: string): boolean {
  return [...text.matchAll(PLACEHOLDER)].some((match) => match[1] === name);
}

const SELECTOR = /^([A-Za-z_:][A-Za-z0-9_:]*)?\s*(?:\{(.*)\})?$/s;

/** A plain series selector: `metric`, `metric{a="b"}` or `{__name__="metric"}`. */
export function isSelector(text: string): boolean {
  const match = SELECTOR.exec(text.trim());
  return match !== null && (match[1] !== undefined || match[2] !== undefined);
}

/** The metric name and the matchers of a selector; anything else (a function call, an operator) is an error. */
export function selectorParts(selector: string): { metric: string; matchers: string } {
  const match = SELECTOR.exec(selector.trim());
  if (!match || !isSelector(selector)) {
    throw new QueryTemplateError(
      selector,
      `'${selector}' is not a series selector; expected a metric with optional label matchers, e.g. http_requests_total{job="api"}`,
    );
  }
  return { metric: match[1] ?? '', matchers: (match[2] ?? '').trim().replace(/,\s*$/, '') };
}

/** Adds label matchers to a plain series selector, e.g. `le="0.3"` to a histogram bucket selector. */
export function addMatchers(selector: string, matchers: string): string {
  const parts = selectorParts(selector);
  return `${parts.metric}{${parts.matchers ? `${parts.matchers},` : ''}${matchers}}`;
}
