/** The console's one stylesheet: system fonts, light and dark, readable from 320 px wide up. */
export const STYLE = `
:root { color-scheme: light dark; --fg: #1c2024; --muted: #5b6470; --bg: #fff; --panel: #f4f6f8; --line: #d8dde3;
  --accent: #0b62c4; --ok: #1a7f37; --warn: #9a6700; --bad: #c62828; --info: #0b62c4; --focus: #f0b400; }
@media (prefers-color-scheme: dark) { :root { --fg: #e6e8eb; --muted: #9aa4af; --bg: #14171a; --panel: #1d2226;
  --line: #343b42; --accent: #6cb0ff; --ok: #56d364; --warn: #e3b341; --bad: #ff7b72; --info: #6cb0ff; } }
* { box-sizing: border-box; }
body { margin: 0; font: 15px/1.45 system-ui, -apple-system, "Segoe UI", Roboto, sans-serif; color: var(--fg); background: var(--bg); }
a { color: var(--accent); }
:focus-visible { outline: 3px solid var(--focus); outline-offset: 2px; }
.skip { position: absolute; left: -999px; } .skip:focus { left: 8px; top: 8px; background: var(--bg); padding: 4px 8px; z-index: 2; }
header { background: var(--panel); border-bottom: 1px solid var(--line); padding: 8px 16px; display: flex; flex-wrap: wrap; gap: 8px 20px; align-items: baseline; }
header .brand { font-weight: 700; }
header .clock { color: var(--muted); font-size: 13px; margin-left: auto; }
nav ul { list-style: none; margin: 0; padding: 0; display: flex; flex-wrap: wrap; gap: 4px 14px; }
nav a[aria-current="page"] { font-weight: 700; text-decoration: none; color: var(--fg); border-bottom: 2px solid var(--accent); }
nav.peers { font-size: 13px; }
main { padding: 12px 16px 40px; max-width: 1200px; }
h1 { font-size: 20px; margin: 8px 0 12px; } h2 { font-size: 17px; margin: 22px 0 8px; } h3 { font-size: 15px; margin: 16px 0 6px; }
.trail { font-size: 13px; color: var(--muted); margin: 4px 0; } .trail a { margin-right: 4px; }
.scroll { overflow-x: auto; max-width: 100%; }
table { border-collapse: collapse; width: 100%; font-size: 14px; }
th, td { text-align: left; padding: 5px 8px; border-bottom: 1px solid var(--line); vertical-align: top; }
th { background: var(--panel); font-weight: 600; white-space: nowrap; }
td.num { text-align: right; font-variant-numeric: tabular-nums; }
code, .mono, pre { font-family: ui-monospace, SFMono-Regular, Menlo, Consolas, monospace; font-size: 13px; }
.mono { word-break: break-all; }
pre { background: var(--panel); border: 1px solid var(--line); padding: 8px; overflow-x: auto; white-space: pre-wrap; word-break: break-all; max-height: 480px; }
.note, .muted { color: var(--muted); font-size: 13px; }
.badge { display: inline-block; padding: 0 6px; border-radius: 9px; font-size: 12px; border: 1px solid currentColor; white-space: nowrap; }
.ok { color: var(--ok); } .warn { color: var(--warn); } .bad { color: var(--bad); } .info { color: var(--info); }
details { border: 1px solid var(--line); border-radius: 6px; padding: 4px 10px; margin: 8px 0; }
details > summary { cursor: pointer; font-weight: 600; padding: 4px 0; }
dl.fields { display: grid; grid-template-columns: max-content 1fr; gap: 2px 14px; margin: 6px 0; }
dl.fields dt { color: var(--muted); } dl.fields dd { margin: 0; word-break: break-word; }
form.inline { display: inline; margin: 0; }
button, input, select { font: inherit; color: inherit; }
button { background: var(--panel); border: 1px solid var(--line); border-radius: 5px; padding: 3px 10px; cursor: pointer; }
button:hover { border-color: var(--accent); } button.danger { color: var(--bad); }
input[type="number"] { width: 7.5em; }
input, select { background: var(--bg); border: 1px solid var(--line); border-radius: 5px; padding: 3px 6px; max-width: 100%; }
fieldset { border: 1px solid var(--line); border-radius: 6px; margin: 10px 0; padding: 8px 12px; }
legend { font-weight: 600; padding: 0 4px; }
.row { display: flex; flex-wrap: wrap; gap: 8px 14px; align-items: end; }
.row label { display: flex; flex-direction: column; font-size: 13px; color: var(--muted); gap: 2px; }
.flash { padding: 6px 10px; border-radius: 6px; margin: 8px 0; border: 1px solid currentColor; }
.cards { display: grid; grid-template-columns: repeat(auto-fill, minmax(230px, 1fr)); gap: 12px; }
.card { border: 1px solid var(--line); border-radius: 8px; padding: 10px 12px; background: var(--panel); }
.card h2 { margin: 0 0 6px; }
img.thumb { max-width: 160px; max-height: 90px; border: 1px solid var(--line); border-radius: 4px; }
tr.fresh { animation: fresh 1.5s ease-out; } @keyframes fresh { from { background: rgba(240, 180, 0, .25); } }
tr[hidden] { display: none; }
.live { font-size: 13px; }
@media (max-width: 640px) { body { font-size: 14px; } main { padding: 8px 10px 30px; } th, td { padding: 4px 5px; }
  .hide-narrow { display: none; } header .clock { margin-left: 0; } }
`;
