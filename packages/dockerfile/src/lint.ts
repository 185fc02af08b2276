import { userFinding } from './hardening.js';
import { parseDockerfile, stages } from './parse.js';

export type LintRule = 'root-user' | 'no-user' | 'latest-tag' | 'add-url' | 'secret-in-env' | 'secret-in-arg';

export interface LintFinding {
  rule: LintRule;
  line: number;
  message: string;
}

const SECRET_NAME = /(PASSWORD|PASSWD|SECRET|TOKEN|API_?KEY|PRIVATE_?KEY|ACCESS_?KEY|CREDENTIALS?)/i;

/** Hardening checks: a root or missing USER in the final stage, unpinned bases, ADD of URLs, secrets in ENV/ARG. */
export function lintDockerfile(text: string): LintFinding[] {
  const instructions = parseDockerfile(text);
  const all = stages(instructions);
  const findings: LintFinding[] = [];
  const stageNames = new Set(all.map((stage) => stage.name).filter(Boolean));
  for (const stage of all) {
    const image = stage.image;
    if (image && image !== 'scratch' && !stageNames.has(image.toLowerCase()) && !image.includes('$')) {
      const lastPart = image.slice(image.lastIndexOf('/') + 1);
      const tag = lastPart.includes(':') ? lastPart.slice(lastPart.indexOf(':') + 1) : undefined;
      if (!image.includes('@') && (tag === undefined || tag === 'latest')) {
        findings.push({
          rule: 'latest-tag',
          line: stage.from.line,
          message: `FROM ${image} uses ${tag ? "the 'latest' tag" : 'no tag (latest)'}; pin a version tag and a digest`,
        });
      }
    }
  }
  for (const instruction of instructions) {
    const { keyword, args, line } = instruction;
    if (keyword === 'ADD' && /(^|\s)(https?|ftp):\/\//i.test(args)) {
      findings.push({
        rule: 'add-url',
        line,
        message: 'ADD of a URL fetches unverified content; download with a checksum in a build stage',
      });
    }
    if (keyword === 'ENV' || keyword === 'ARG') {
      for (const name of declaredNames(keyword, args)) {
        if (!SECRET_NAME.test(name)) continue;
        findings.push({
          rule: keyword === 'ENV' ? 'secret-in-env' : 'secret-in-arg',
          line,
          message: `${keyword} ${name} looks like a secret and would stay in the image history; use a build secret (RUN --mount=type=secret)`,
        });
      }
    }
  }
  const final = all[all.length - 1];
  if (final) {
    const users = final.instructions.filter((instruction) => instruction.keyword === 'USER');
    const last = users[users.length - 1];
    const finding = userFinding(last?.args);
    if (finding?.rule === 'no-user') {
      findings.push({
        ...finding,
        line: final.from.line,
        message: 'the final stage sets no USER, so the container runs as root; add USER 65532:65532',
      });
    } else if (finding) {
      findings.push({
        ...finding,
        line: last!.line,
        message: `USER ${finding.message.slice('user '.length)}`,
      });
    }
  }
  return findings.sort((a, b) => a.line - b.line);
}

function declaredNames(keyword: string, args: string): string[] {
  if (keyword === 'ARG')
    return args
      .split(/\s+/)
      .map((part) => part.split('=')[0])
      .filter(Boolean);
  // ENV KEY=value KEY2="v 2", or the legacy ENV KEY value.
  if (!/^[A-Za-z_][\w]*=/.test(args)) return [args.split(/\s+/)[0]];
  return [...args.matchAll(/([A-Za-z_][\w]*)=(?:"(?:[^"\\]|\\.)*"|'[^']*'|\S*)/g)].map((match) => match[1]);
}
