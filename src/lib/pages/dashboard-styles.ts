// The dashboard's stylesheet (served as /manage/dashboard/dashboard.css). Wide content (tables, long names) scrolls
// inside its panel so the page itself never scrolls sideways, down to an 800 px window.
export const DASHBOARD_CSS = `
body { margin: 0; font-family: system-ui, -apple-system, "Segoe UI", Roboto, sans-serif; background: #f4f6f8; color: #1b1b1b; }
header { background: #0f3d5c; color: #fff; padding: 14px 28px; display: flex; align-items: center; gap: 16px; flex-wrap: wrap; }
header h1 { font-size: 22px; margin: 0; flex: 1 1 auto; }
header .controls { display: flex; align-items: center; gap: 12px; flex-wrap: wrap; }
header select, header button { font: inherit; padding: 4px 10px; }
body[data-state="locked"] header .controls { display: none; }
#status { font-size: 13px; opacity: .85; }
main { padding: 20px 28px; }
.panel { background: #fff; border-radius: 6px; box-shadow: 0 1px 3px rgba(0,0,0,.12); padding: 16px; min-width: 0; }
#login-panel { max-width: 460px; margin: 60px auto; padding: 24px 28px; border-top: 4px solid #0f3d5c; }
#login-panel h2 { margin: 0 0 8px; font-size: 20px; color: #0f3d5c; }
#login-panel p { margin: 8px 0; line-height: 1.45; }
#login-panel .where { font-size: 13px; color: #3d4852; background: #f4f6f8; border-left: 3px solid #9fd3ff; padding: 8px 10px; border-radius: 3px; }
#login-panel code { font-family: ui-monospace, monospace; font-size: 12px; background: #e3e7eb; padding: 1px 4px; border-radius: 3px; overflow-wrap: anywhere; }
#login-panel label { display: block; font-weight: 600; margin-top: 16px; }
#login-panel input { width: 100%; box-sizing: border-box; padding: 8px 10px; margin: 6px 0 8px; font: inherit; border: 1px solid #b8c2cc; border-radius: 4px; }
#login-panel input:focus { outline: 2px solid #1565c0; outline-offset: 0; border-color: #1565c0; }
#login-panel button { font: inherit; font-weight: 600; padding: 8px 18px; border: 0; border-radius: 4px; background: #0f3d5c; color: #fff; cursor: pointer; }
#login-panel button:hover { background: #1565c0; }
.error { color: #c62828; min-height: 1.2em; }
.totals { display: grid; grid-template-columns: repeat(auto-fit, minmax(150px, 1fr)); gap: 12px; margin-bottom: 12px; }
.totals + .charts { margin-top: 16px; }
/* The label on top, the value at the bottom: values line up along a row even when a label takes two lines. */
.total { display: flex; flex-direction: column; justify-content: space-between; gap: 4px; }
.total .label { font-size: 12px; text-transform: uppercase; color: #5f6b76; letter-spacing: .04em; }
.total .value { font-size: 22px; font-weight: 600; margin-top: 4px; white-space: nowrap; }
.charts { display: grid; grid-template-columns: repeat(auto-fit, minmax(min(520px, 100%), 1fr)); gap: 16px; margin-bottom: 16px; }
.charts h2, .tables h2 { font-size: 15px; margin: 0 0 10px; }
.chart-box { position: relative; height: 260px; }
.table-scroll { overflow-x: auto; max-width: 100%; }
table { width: 100%; border-collapse: collapse; font-size: 13px; }
th, td { text-align: left; padding: 6px 8px; border-bottom: 1px solid #e3e7eb; white-space: nowrap; }
td.id { font-family: ui-monospace, monospace; }
.state { padding: 2px 8px; border-radius: 10px; background: #e3e7eb; }
.state.active { background: #fff3cd; } .state.Finished { background: #d7f0da; } .state.Failed { background: #f8d7da; }
nav.tabs { display: flex; gap: 4px; }
nav.tabs button { font: inherit; padding: 4px 14px; border: 1px solid rgba(255,255,255,.5); border-radius: 4px; background: transparent; color: #fff; cursor: pointer; }
nav.tabs button[aria-selected="true"] { background: #fff; color: #0f3d5c; font-weight: 600; }
body[data-state="locked"] nav.tabs { display: none; }
#admin-panel { display: grid; gap: 16px; }
#admin-panel[hidden] { display: none; }
#admin-panel h2 { font-size: 16px; margin: 0 0 10px; }
#admin-panel h3 { font-size: 14px; margin: 14px 0 8px; }
#admin-notice { background: #e8f4fd; border-left: 4px solid #1565c0; padding: 8px 12px; border-radius: 3px; }
.admin-form { display: flex; flex-wrap: wrap; gap: 10px 14px; align-items: flex-start; margin-top: 12px; }
.admin-form label { display: flex; flex-direction: column; gap: 3px; font-size: 12px; font-weight: 600; color: #3d4852; }
.admin-form fieldset { border: 1px solid #e3e7eb; border-radius: 4px; padding: 4px 10px 8px; margin: 0; display: flex; gap: 8px; flex-wrap: wrap; }
.admin-form legend { font-size: 12px; font-weight: 600; color: #3d4852; }
.admin-form fieldset label { font-weight: 400; flex-direction: row; align-items: center; }
.admin-form input, .admin-form select, .admin-form textarea { font: inherit; font-weight: 400; padding: 4px 6px; border: 1px solid #b8c2cc; border-radius: 3px; }
.admin-form input[type="number"] { width: 110px; }
.admin-form input[aria-invalid], .admin-form textarea[aria-invalid] { border-color: #c62828; outline: 1px solid #c62828; }
.admin-form .submit { align-self: flex-end; }
.admin-form .field-error { color: #c62828; font-size: 12px; font-weight: 400; max-width: 260px; }
.admin-form .field-error span { display: block; }
.admin-form .hint { font-weight: 400; color: #5f6b76; }
#admin-panel button { font: inherit; padding: 3px 10px; cursor: pointer; }
#admin-panel .actions { display: flex; gap: 4px; flex-wrap: nowrap; align-items: center; }
#admin-panel .actions select { font: inherit; font-size: 12px; max-width: 150px; }
#admin-panel td.wrap { white-space: normal; min-width: 140px; }
#admin-panel td.empty { color: #5f6b76; }
.api-error:empty { display: none; }
.api-error { color: #8b1a1a; background: #fdecea; border-left: 4px solid #c62828; padding: 6px 12px; margin: 8px 0; border-radius: 3px; overflow-wrap: anywhere; }
.api-error p { margin: 4px 0; font-weight: 600; }
.api-error ul { margin: 4px 0; padding-left: 20px; }
.api-error code, .api-error .target { font-family: ui-monospace, monospace; font-size: 12px; }
#key-reveal { border: 2px solid #ef6c00; background: #fff8e1; }
#key-reveal h3 { margin-top: 0; }
#key-reveal .key-line { display: flex; align-items: center; gap: 8px; margin: 6px 0; flex-wrap: wrap; }
#key-reveal .key-label { min-width: 120px; font-weight: 600; white-space: nowrap; }
#key-reveal code.secret { font-family: ui-monospace, monospace; font-size: 13px; background: #fff; border: 1px solid #e0c080; padding: 3px 6px; border-radius: 3px; overflow-wrap: anywhere; user-select: all; min-width: 0; }
#catalogue-json { width: 100%; box-sizing: border-box; min-height: 280px; font-family: ui-monospace, monospace; font-size: 12px; }
#catalogue-editor .editor-actions { display: flex; gap: 8px; margin-top: 8px; }
.state.sub-active { background: #d7f0da; } .state.sub-suspended { background: #fff3cd; } .state.sub-cancelled, .state.sub-expired { background: #f8d7da; }
.state.audit-success { background: #d7f0da; } .state.audit-failure { background: #f8d7da; }
/* The analytics view: its filter bar, the totals' groups and the tables with their CSV export. */
.filters { display: flex; flex-wrap: wrap; gap: 10px 14px; align-items: flex-end; margin-bottom: 16px; }
.filters label { display: flex; flex-direction: column; gap: 3px; font-size: 12px; font-weight: 600; color: #3d4852; min-width: 0; }
.filters select, .filters input, .filters button { font: inherit; font-size: 13px; font-weight: 400; padding: 4px 6px; border: 1px solid #b8c2cc; border-radius: 3px; background: #fff; }
.filters select { max-width: 210px; }
.filters button { cursor: pointer; }
.filters .custom-range { display: flex; flex-wrap: wrap; gap: 10px; align-items: flex-end; padding: 4px 8px 6px; background: #f4f6f8; border-radius: 4px; }
.filters .custom-range[hidden] { display: none; }
.filters input[aria-invalid] { border-color: #c62828; outline: 1px solid #c62828; }
.filters .api-error { flex: 1 0 100%; margin: 0; }
.total.timing .value { color: #00838f; }
.tables { display: grid; gap: 16px; margin-bottom: 16px; }
.panel-head { display: flex; flex-wrap: wrap; align-items: center; gap: 8px 14px; margin-bottom: 10px; }
.panel-head h2 { margin: 0; flex: 1 1 auto; }
.panel-head > label { font-size: 13px; display: flex; align-items: center; gap: 6px; }
.panel-head select, .panel-head button { font: inherit; font-size: 13px; padding: 3px 8px; }
.panel-head button { cursor: pointer; }
.tables th, .tables td { padding: 6px 6px; }
.table-scroll.tall { max-height: 440px; overflow-y: auto; }
.table-scroll.tall table { font-size: 12px; }
.table-scroll.tall thead th { position: sticky; top: 0; background: #fff; box-shadow: 0 1px 0 #e3e7eb; }
th.num, td.num { text-align: right; font-variant-numeric: tabular-nums; }
td.wrap { white-space: normal; min-width: 220px; max-width: 420px; overflow-wrap: anywhere; }
td.empty { color: #5f6b76; }
.usage-bar { display: inline-flex; align-items: center; gap: 6px; }
.bar { display: inline-block; width: 64px; height: 8px; background: #e3e7eb; border-radius: 4px; overflow: hidden; }
.bar span { display: block; height: 100%; background: #1565c0; }
.bar.high span { background: #ef6c00; } .bar.full span { background: #c62828; }
.note { font-size: 12px; color: #5f6b76; margin: 8px 0 0; }
`;
