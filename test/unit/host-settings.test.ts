// `%SETTING%` binding expressions in routes and schedules, resolved from app settings like the host does.
import { describe, expect, it } from 'vitest';
import { resolveSettings, UnresolvedSettingError } from '../../src/local/host/settings.js';

describe('resolveSettings', () => {
  const env = { SUFFIX: 'azureml-demo', POLL: '*/10 * * * * *', EMPTY: '' };

  it('replaces every reference', () => {
    expect(resolveSettings('%SUFFIX%/workspaces/{workspace}', env)).toBe('azureml-demo/workspaces/{workspace}');
    expect(resolveSettings('%POLL%', env)).toBe('*/10 * * * * *');
    expect(resolveSettings('%SUFFIX%-%SUFFIX%', env)).toBe('azureml-demo-azureml-demo');
  });

  it('leaves expressions without references alone and allows empty values', () => {
    expect(resolveSettings('0 */5 * * * *', env)).toBe('0 */5 * * * *');
    expect(resolveSettings('%EMPTY%/health', env)).toBe('/health');
    expect(resolveSettings('100% sure', env)).toBe('100% sure');
  });

  it('fails on an unset setting, naming it', () => {
    expect(() => resolveSettings('%MISSING%/x', env)).toThrow(UnresolvedSettingError);
    expect(() => resolveSettings('%MISSING%/x', env)).toThrow(/MISSING/);
  });
});
