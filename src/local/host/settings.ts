// `%SETTING%` binding expressions, resolved from app settings (environment variables) the way the
// Functions host does for routes and timer schedules when it indexes functions.

const SETTING_REF = /%([^%\s]+)%/g;

export class UnresolvedSettingError extends Error {
  constructor(readonly setting: string, readonly expression: string) {
    super(`'%${setting}%' in '${expression}' does not resolve to a value: app setting "${setting}" is not set.`);
    this.name = 'UnresolvedSettingError';
  }
}

/**
 * Replaces every `%NAME%` with the setting's value; an unset setting is an error, as in the host.
 * An empty value is allowed, so an optional route prefix setting can be left blank.
 */
export function resolveSettings(expression: string, env: Record<string, string | undefined>): string {
  if (!expression.includes('%')) return expression;
  return expression.replace(SETTING_REF, (_match, name: string) => {
    const value = env[name];
    if (value === undefined) throw new UnresolvedSettingError(name, expression);
    return value;
  });
}
