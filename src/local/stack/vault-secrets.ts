// Writing secrets into a running Key Vault stand-in over its own HTTP API, with a token from its managed-identity
// endpoint, as a deployment script would: for a stack that shares a stand-in started elsewhere, and for tests.

export interface VaultEndpoints {
  url: string;
  identityEndpoint: string;
  identityHeader: string;
}

/** Sets each secret (a new version when it exists). Values never appear in an error. */
export async function putSecrets(vault: VaultEndpoints, secrets: Record<string, string>): Promise<void> {
  const token = await fetch(`${vault.identityEndpoint}?resource=https://vault.azure.net&api-version=2019-08-01`, {
    headers: { 'x-identity-header': vault.identityHeader },
  });
  if (token.status !== 200) throw new Error(`Key Vault stand-in identity endpoint: HTTP ${token.status}`);
  const { access_token } = (await token.json()) as { access_token: string };
  for (const [name, value] of Object.entries(secrets)) {
    const res = await fetch(`${vault.url}/secrets/${encodeURIComponent(name)}?api-version=7.4`, {
      method: 'PUT',
      headers: { authorization: `Bearer ${access_token}`, 'content-type': 'application/json' },
      body: JSON.stringify({ value }),
    });
    await res.arrayBuffer();
    if (res.status !== 200) throw new Error(`setting secret ${name}: HTTP ${res.status}`);
  }
}
