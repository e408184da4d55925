// The code samples a service page offers (curl, Python, C#, JavaScript, R) for one RRS call. One function for two
// readers: the service page's script carries its source text (service-page-script.ts embeds it with
// Function.prototype.toString) and the tests import it, so the sample a test runs is the very text a user copies.
// Hence it is self-contained: no imports, no module-level names inside, only syntax every supported browser runs.

export type SampleLanguage = 'curl' | 'python' | 'csharp' | 'javascript' | 'r';
export interface CodeSample { language: SampleLanguage; label: string; fileName: string; text: string }

export interface SampleInput {
  /** "workspace/service", named in the samples' first line. */
  service: string;
  url: string;
  keyHeader: string;
  /** The subscriber's key, or empty for the placeholder the user replaces. */
  key: string;
  body: unknown;
}

/** The five samples of one RRS call: each prints the service's JSON answer, and fails (non-zero exit) on an error. */
export function codeSamples(input: SampleInput): CodeSample[] {
  const key = input.key || 'YOUR_SUBSCRIPTION_KEY';
  const q = (s: string): string => JSON.stringify(s); // a double-quoted string: valid in Python, C#, JavaScript and R
  const shell = (s: string): string => `'${s.replace(/'/g, `'\\''`)}'`;
  const about = `Scores one request with the ${input.service} web service (RRS).`;

  // The body as a Python literal (JSON's strings and numbers are Python's; true, false and null are not).
  const python = (value: unknown, indent: string): string => {
    if (value === null || value === undefined) return 'None';
    if (value === true) return 'True';
    if (value === false) return 'False';
    if (typeof value !== 'object') return JSON.stringify(value);
    const inner = `${indent}    `;
    if (Array.isArray(value)) {
      return value.length ? `[\n${value.map((v) => inner + python(v, inner)).join(',\n')}\n${indent}]` : '[]';
    }
    const keys = Object.keys(value as object);
    return keys.length ? `{\n${keys.map((k) => `${inner}${JSON.stringify(k)}: ${python((value as Record<string, unknown>)[k], inner)}`).join(',\n')}\n${indent}}` : '{}';
  };
  const json = JSON.stringify(input.body, null, 2);

  const curl = [
    `# ${about}`,
    `curl -sS -X POST ${shell(input.url)} \\`,
    `  -H ${shell(`${input.keyHeader}: ${key}`)} \\`,
    `  -H 'Content-Type: application/json' \\`,
    `  -d ${shell(JSON.stringify(input.body))}`,
  ].join('\n');

  const py = [
    `# ${about}`,
    '# Python 3 with requests (pip install requests): python score.py',
    'import json',
    '',
    'import requests',
    '',
    `url = ${q(input.url)}`,
    `headers = {${q(input.keyHeader)}: ${q(key)}}`,
    `body = ${python(input.body, '')}`,
    '',
    'response = requests.post(url, headers=headers, json=body, timeout=100)',
    'if not response.ok:',
    '    raise SystemExit(f"HTTP {response.status_code}: {response.text}")',
    'print(json.dumps(response.json(), indent=2))',
  ].join('\n');

  const csharp = [
    `// ${about}`,
    '// No packages: System.Net.Http only. Mono: mcs -r:System.Net.Http.dll Score.cs && mono Score.exe',
    '// (.NET: put it in a console project and dotnet run.)',
    'using System;',
    'using System.Net.Http;',
    'using System.Text;',
    'using System.Threading.Tasks;',
    '',
    'class Score',
    '{',
    `    const string Url = ${q(input.url)};`,
    `    const string Key = ${q(key)};`,
    `    const string Body = @"${json.replace(/"/g, '""')}";`,
    '',
    '    static async Task<int> Run()',
    '    {',
    '        using (var client = new HttpClient { Timeout = TimeSpan.FromSeconds(100) })',
    '        {',
    '            var request = new HttpRequestMessage(HttpMethod.Post, Url);',
    `            request.Headers.Add(${q(input.keyHeader)}, Key);`,
    '            request.Content = new StringContent(Body, Encoding.UTF8, "application/json");',
    '            var response = await client.SendAsync(request);',
    '            var answer = await response.Content.ReadAsStringAsync();',
    '            if (!response.IsSuccessStatusCode)',
    '            {',
    '                Console.Error.WriteLine("HTTP " + (int)response.StatusCode + ": " + answer);',
    '                return 1;',
    '            }',
    '            Console.WriteLine(answer);',
    '            return 0;',
    '        }',
    '    }',
    '',
    '    static int Main()',
    '    {',
    '        return Run().GetAwaiter().GetResult();',
    '    }',
    '}',
  ].join('\n');

  const javascript = [
    `// ${about}`,
    '// Node.js 18 or later, no packages: node score.mjs',
    `const url = ${q(input.url)};`,
    `const body = ${json};`,
    '',
    'const response = await fetch(url, {',
    '  method: "POST",',
    `  headers: { ${q(input.keyHeader)}: ${q(key)}, "Content-Type": "application/json" },`,
    '  body: JSON.stringify(body),',
    '});',
    'const text = await response.text();',
    'if (!response.ok) {',
    '  console.error(`HTTP ${response.status}: ${text}`);',
    '  process.exit(1);',
    '}',
    'console.log(JSON.stringify(JSON.parse(text), null, 2));',
  ].join('\n');

  const r = [
    `# ${about}`,
    '# R with httr and jsonlite (install.packages(c("httr", "jsonlite"))): Rscript score.R',
    'library(httr)',
    'library(jsonlite)',
    '',
    `url <- ${q(input.url)}`,
    `body <- '${json.replace(/\\/g, '\\\\').replace(/'/g, "\\'")}'`,
    '',
    `response <- POST(url, add_headers(${q(input.keyHeader)} = ${q(key)}), content_type_json(), body = body, timeout(100))`,
    'answer <- content(response, as = "text", encoding = "UTF-8")',
    'if (http_error(response)) stop(sprintf("HTTP %d: %s", status_code(response), answer))',
    'cat(prettify(answer), "\\n")',
    '# As data frames: fromJSON(answer)$Results',
  ].join('\n');

  return [
    { language: 'curl', label: 'curl', fileName: 'score.sh', text: curl },
    { language: 'python', label: 'Python', fileName: 'score.py', text: py },
    { language: 'csharp', label: 'C#', fileName: 'Score.cs', text: csharp },
    { language: 'javascript', label: 'JavaScript', fileName: 'score.mjs', text: javascript },
    { language: 'r', label: 'R', fileName: 'score.R', text: r },
  ];
}
