// The dashboard's analytics view markup (#dashboard-panel): the filter bar, the totals, the charts and the tables
// (usage grouped by a dimension, quotas, the request log, batch jobs), each table with its "Export CSV" button.
// The tables' heads and rows come from dashboard-analytics.ts; the filter bar's options from dashboard-filters.ts.

const total = (id: string, label: string, className = '') =>
  `<div class="panel total ${className}"><div class="label">${label}</div><div class="value" id="${id}" data-testid="${id}">–</div></div>`;
const chart = (id: string, title: string) =>
  `<section class="panel"><h2>${title}</h2><div class="chart-box"><canvas id="${id}" data-testid="${id}"></canvas></div></section>`;
const select = (name: string, label: string, all: string) =>
  `<label>${label} <select id="filter-${name}" data-filter="${name}" data-testid="filter-${name}"><option value="">${all}</option></select></label>`;
const options = (pairs: [string, string][], selected: string) =>
  pairs.map(([value, text]) => `<option value="${value}"${value === selected ? ' selected' : ''}>${text}</option>`).join('');

/** A table panel: a title (or a control in it), an "Export CSV" button, an error box and the scrolling table. */
const tablePanel = (id: string, title: string, options: { controls?: string; note?: string; tall?: boolean; scrollTestId?: string } = {}) => `
      <section class="panel" id="${id}-section">
        <div class="panel-head"><h2>${title}</h2>${options.controls ?? ''}
          <button type="button" data-export-for="${id}" data-testid="${id}-export">Export CSV</button></div>
        <div class="api-error" id="${id.replace(/-table$/, '')}-error" role="alert"></div>
        <div class="table-scroll${options.tall ? ' tall' : ''}"${options.scrollTestId ? ` data-testid="${options.scrollTestId}"` : ''}>
          <table id="${id}" data-testid="${id}"><thead></thead><tbody${id === 'jobs-table' ? ' id="jobs-body"' : ''}></tbody></table>
        </div>${options.note ? `\n        <p class="note">${options.note}</p>` : ''}
      </section>`;

const GROUP_BY: [string, string][] = [
  ['operation', 'operation'], ['subscription', 'subscription'], ['product', 'product'], ['service', 'service'],
  ['backend', 'backend kind'], ['status', 'status'], ['outcome', 'outcome'],
];
const RANGES: [string, string][] = [['15m', 'Last 15 minutes'], ['1h', 'Last hour'], ['24h', 'Last 24 hours'], ['7d', 'Last 7 days'], ['custom', 'Custom…']];
const INTERVALS: [string, string][] = [['1', '1 min'], ['5', '5 min'], ['15', '15 min'], ['30', '30 min'], ['60', '1 h'], ['360', '6 h'], ['1440', '1 day']];

export const DASHBOARD_USAGE_HTML = `
    <div id="dashboard-panel" role="tabpanel" aria-labelledby="tab-usage" hidden>
      <form id="filters" class="panel filters" data-testid="filters" novalidate>
        ${select('subscription', 'Subscription', 'All subscriptions')}
        ${select('product', 'Product', 'All products')}
        ${select('operation', 'Operation', 'All operations')}
        ${select('service', 'Service', 'All services')}
        ${select('backend', 'Backend kind', 'All backend kinds')}
        <label id="range-label">Range <select id="range" data-testid="range">${options(RANGES, '1h')}</select></label>
        <span class="custom-range" id="custom-range" hidden>
          <label>From <input id="range-from" data-testid="range-from" type="datetime-local" step="60"></label>
          <label>To <input id="range-to" data-testid="range-to" type="datetime-local" step="60"></label>
          <button type="submit" id="range-apply">Apply range</button>
        </span>
        <label>Interval <select id="interval" data-testid="interval"><option value="auto" id="interval-auto" selected>Auto</option>${options(INTERVALS, '')}</select></label>
        <button type="button" id="filters-clear">Clear filters</button>
        <div class="api-error" id="filter-error" data-testid="filter-error" role="alert"></div>
      </form>
      <div class="totals" role="group" aria-label="Calls by outcome">
        ${total('total-calls', 'Calls')}${total('total-success', 'Success')}${total('total-blocked', 'Blocked')}
        ${total('total-unauthorized', '401 Unauthorized')}${total('total-forbidden', '403 Forbidden')}${total('total-throttled', '429 Throttled')}
        ${total('total-failed', 'Failed')}${total('total-other', 'Other')}
      </div>
      <div class="totals" role="group" aria-label="Time and data">
        ${total('latency-p50', 'p50 ms')}${total('latency-p95', 'p95 ms')}${total('latency-p99', 'p99 ms')}
        ${total('timing-gateway', 'Gateway mean ms', 'timing')}${total('timing-backend', 'Backend mean ms', 'timing')}
        ${total('bytes-in', 'Data in')}${total('bytes-out', 'Data out')}
      </div>
      <div class="charts">
        ${chart('chart-calls', 'Calls over time, by outcome')}
        ${chart('chart-latency', 'Latency percentiles (ms)')}
        ${chart('chart-timing', 'Gateway time vs backend time (mean ms)')}
        ${chart('chart-throttled', 'Blocked calls over time: 401, 403 and 429')}
        ${chart('chart-subscriptions', 'Top subscriptions')}
        ${chart('chart-operations', 'Top operations')}
      </div>
      <div class="tables">${tablePanel('usage-table', `<label for="group-by">Usage by</label> <select id="group-by" data-testid="group-by">${options(GROUP_BY, 'operation')}</select>`, {
        note: 'Gateway and backend ms are means; backend time counts only the calls that reached a backend.',
      })}${tablePanel('quotas-table', 'Quota used per subscription', { note: 'Rate limits and quotas are per subscription, set by its product; “none”: the product sets no such limit.' })}${tablePanel('calls-table', 'Request log: the newest calls', {
        controls: '<label><input type="checkbox" id="errors-only" data-testid="errors-only"> errors only</label>',
        tall: true,
      })}${tablePanel('jobs-table', 'Batch jobs: active first, then the most recent', { scrollTestId: 'jobs-scroll' })}
      </div>
    </div>`;
