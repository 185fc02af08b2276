// The one hardening policy on who a container runs as, applied to a Dockerfile's final USER and to the user an
// assembled image is given, so both builders accept and refuse the same users.

export type UserRule = 'root-user' | 'no-user';

export interface UserFinding {
  rule: UserRule;
  message: string;
}

/** uid 0 or the name root, whatever the group; an empty user means the runtime's default, root. */
export function isRootUser(user: string | undefined): boolean {
  const name = (user ?? '').trim().split(':')[0];
  return name === '' || name.toLowerCase() === 'root' || /^0+$/.test(name);
}

/** What is wrong with running as `user` (undefined: no USER at all), or undefined for a non-root user. */
export function userFinding(user: string | undefined): UserFinding | undefined {
  if (user === undefined || user.trim() === '')
    return {
      rule: 'no-user',
      message: 'no user is set, so the container runs as root; set a non-root user such as 65532:65532',
    };
  if (isRootUser(user))
    return {
      rule: 'root-user',
      message: `user ${user.trim()} runs the container as root; use a non-root user such as 65532:65532`,
    };
  return undefined;
}
