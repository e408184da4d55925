// CORS setting parsing and header merging, and the pages' browser scripts (strings in .ts modules, so nothing
// but this test and the browser tests would notice a syntax error in them).
import { describe, expect, it } from 'vitest';
import { corsApplies, parseAllowedOrigins, withCorsHeaders } from '../../src/lib/http/cors.js';
import { DASHBOARD_JS } from '../../src/lib/pages/dashboard-script.js';
import { DASHBOARD_CHARTS_JS } from '../../src/lib/pages/dashboard-charts.js';
import { portalFiles } from '../../src/lib/pages/portal-page.js';
import { dashboardFiles } from '../../src/lib/pages/dashboard-page.js';

describe('CORS_ALLOWED_ORIGINS', () => {
  it('is off when unset or empty, "*" wins, origins are compared case-insensitively', () => {
    expect(parseAllowedOrigins(undefined)).toBeUndefined();
    expect(parseAllowedOrigins(' , ')).toBeUndefined();
    expect(parseAllowedOrigins('https://a.example, *')).toBe('*');
    expect(parseAllowedOrigins('https://A.example, http://127.0.0.1:3000')).toEqual(new Set(['https://a.example', 'http://127.0.0.1:3000']));
  });

  it('refuses values that are not origins, naming the setting', () => {
    for (const bad of ['a.example', 'https://a.example/', 'https://a.example/path', 'ftp://a.example']) {
      expect(() => parseAllowedOrigins(bad)).toThrow(/CORS_ALLOWED_ORIGINS/);
    }
  });

  it('never applies to the management API', () => {
    expect(corsApplies('http://h/workspaces/w/services/s/execute')).toBe(true);
    expect(corsApplies('http://h/openapi.json')).toBe(true);
    expect(corsApplies('http://h/manage/products')).toBe(false);
    expect(corsApplies('http://h/MANAGE')).toBe(false);
  });

  it('adds headers to every form of answer', () => {
    const cors = { 'access-control-allow-origin': '*' };
    const plain = withCorsHeaders({ status: 200, headers: { 'x-a': '1' } }, cors) as { headers: Headers };
    expect([plain.headers.get('x-a'), plain.headers.get('access-control-allow-origin')]).toEqual(['1', '*']);
    const h = new Headers({ 'x-b': '2' });
    withCorsHeaders({ headers: h }, cors);
    expect(h.get('access-control-allow-origin')).toBe('*');
    expect(withCorsHeaders(undefined, cors)).toEqual({ status: 200, headers: cors });
  });
});

describe('page files', () => {
  it('the browser scripts parse', () => {
    expect(() => new Function(DASHBOARD_JS)).not.toThrow();
    expect(() => new Function(DASHBOARD_CHARTS_JS)).not.toThrow();
  });

  it('serve files by exact name only', () => {
    expect(portalFiles.get('swagger-ui-bundle.js')?.contentType).toMatch(/^text\/javascript/);
    expect(dashboardFiles.get('chart.umd.min.js')?.body.length).toBeGreaterThan(100_000);
    for (const name of ['', '.', '..', '../package.json', 'index.html', 'package.json', 'README.md', 'chart.cjs']) {
      expect(portalFiles.get(name) ?? dashboardFiles.get(name), name).toBeUndefined();
    }
  });
});
