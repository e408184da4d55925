// Route templates and matching of the local Functions host: params, constraints, optional and catch-all
// segments, case-insensitivity, decoding, method filter and ASP.NET-style precedence.
import { describe, expect, it } from 'vitest';
import { joinRoutePrefix, normalizeRequestPath, Router } from '../../src/local/host/router.js';
import { compileTemplate } from '../../src/local/host/route-template.js';

function router(...entries: [string, string[]?][]): Router<string> {
  return new Router(entries.map(([template, methods]) => ({ template, methods, target: template })));
}

function match(r: Router<string>, method: string, url: string): { target: string; params: Record<string, string> } | undefined {
  return r.match(method, normalizeRequestPath(url));
}

describe('route templates', () => {
  it('matches parameters case-insensitively and decodes them', () => {
    const r = router(['workspaces/{workspace}/services/{service}/jobs/{jobId}']);
    expect(match(r, 'GET', '/Workspaces/ws%201/SERVICES/svc/jobs/j%C3%A9/')).toEqual({
      target: 'workspaces/{workspace}/services/{service}/jobs/{jobId}',
      params: { workspace: 'ws 1', service: 'svc', jobId: 'jé' },
    });
    expect(match(r, 'GET', '/workspaces/ws/services/svc/jobs')).toBeUndefined();
    expect(match(r, 'GET', '/workspaces/ws/services/svc/jobs/j/extra')).toBeUndefined();
    expect(match(r, 'GET', '/workspaces//services/svc/jobs/j')).toBeUndefined();
  });

  it('keeps an encoded slash inside one segment', () => {
    const r = router(['a/{x}']);
    expect(match(r, 'GET', '/a/b%2Fc')?.params).toEqual({ x: 'b%2Fc' });
  });

  it('honours optional, default and catch-all parameters', () => {
    const r = router(['opt/{a}/{b?}'], ['def/{a=first}'], ['files/{*rest}']);
    expect(match(r, 'GET', '/opt/1')?.params).toEqual({ a: '1' });
    expect(match(r, 'GET', '/opt/1/2')?.params).toEqual({ a: '1', b: '2' });
    expect(match(r, 'GET', '/def')?.params).toEqual({ a: 'first' });
    expect(match(r, 'GET', '/def/x')?.params).toEqual({ a: 'x' });
    expect(match(r, 'GET', '/files')?.params).toEqual({});
    expect(match(r, 'GET', '/files/a/b/c.txt')?.params).toEqual({ rest: 'a/b/c.txt' });
  });

  it('checks inline constraints', () => {
    const r = router(['n/{id:int}'], ['g/{id:guid}'], ['a/{id:alpha:minlength(2)}'], ['r/{id:range(1,5)}'], ['x/{id:regex(^ab+$)}']);
    expect(match(r, 'GET', '/n/42')?.params).toEqual({ id: '42' });
    expect(match(r, 'GET', '/n/-7')).toBeDefined();
    expect(match(r, 'GET', '/n/4x')).toBeUndefined();
    expect(match(r, 'GET', '/n/99999999999')).toBeUndefined();
    expect(match(r, 'GET', '/g/0f3c2b1a-1234-4abc-9def-0123456789ab')).toBeDefined();
    expect(match(r, 'GET', '/g/0f3c2b1a')).toBeUndefined();
    expect(match(r, 'GET', '/a/ab')).toBeDefined();
    expect(match(r, 'GET', '/a/a')).toBeUndefined();
    expect(match(r, 'GET', '/a/a1')).toBeUndefined();
    expect(match(r, 'GET', '/r/5')).toBeDefined();
    expect(match(r, 'GET', '/r/6')).toBeUndefined();
    expect(match(r, 'GET', '/x/ABBB')).toBeDefined();
    expect(match(r, 'GET', '/x/abc')).toBeUndefined();
  });

  it('prefers literal segments, then constrained, then plain parameters, then catch-all', () => {
    const r = router(['items/{*rest}'], ['items/{name}'], ['items/{id:int}'], ['items/special']);
    expect(match(r, 'GET', '/items/special')?.target).toBe('items/special');
    expect(match(r, 'GET', '/items/12')?.target).toBe('items/{id:int}');
    expect(match(r, 'GET', '/items/abc')?.target).toBe('items/{name}');
    expect(match(r, 'GET', '/items/a/b')?.target).toBe('items/{*rest}');
    expect(r.templates).toEqual(['items/special', 'items/{id:int}', 'items/{name}', 'items/{*rest}']);
  });

  it('supports complex segments', () => {
    const r = router(['files/{name}.{ext}']);
    expect(match(r, 'GET', '/files/a.b.csv')?.params).toEqual({ name: 'a.b', ext: 'csv' });
  });

  it('filters by method, falling through to another route or to no match', () => {
    const r = router(['jobs/{id}', ['GET', 'DELETE']], ['jobs/{id}/start', ['POST']], ['any/{x}', []]);
    expect(match(r, 'DELETE', '/jobs/1')?.target).toBe('jobs/{id}');
    expect(match(r, 'POST', '/jobs/1')).toBeUndefined();
    expect(match(r, 'GET', '/jobs/1/start')).toBeUndefined();
    expect(match(r, 'PATCH', '/any/1')).toBeDefined();
  });

  it('joins the route prefix like the host', () => {
    expect(joinRoutePrefix('api', 'items/{id}')).toBe('api/items/{id}');
    expect(joinRoutePrefix('', '/items')).toBe('items');
    expect(joinRoutePrefix('/api/', '')).toBe('api');
    const r = router([joinRoutePrefix('', 'health')], [joinRoutePrefix('', '{*all}')]);
    expect(match(r, 'GET', '/health')?.target).toBe('health');
    expect(match(r, 'GET', '/')?.target).toBe('{*all}');
  });

  it('rejects malformed templates', () => {
    expect(() => compileTemplate('a/{b')).toThrow(/Unclosed/);
    expect(() => compileTemplate('a/{}')).toThrow(/without a name/);
  });
});
