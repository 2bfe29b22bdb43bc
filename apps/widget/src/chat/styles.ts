/**
 * The widget's only styles, inside its shadow root: the page's rules do not reach in (the host
 * has `all: initial`) and these do not reach out.
 */
export const WIDGET_CSS = `
:host { all: initial; }
.root {
  --accent: #1f5fbf; --accent-text: #fff; --bg: #fff; --fg: #1b1f24; --muted: #5b6470;
  --line: #d6dbe1; --agent-bg: #eef1f5; --danger: #b3261e;
  font: 14px/1.45 system-ui, -apple-system, "Segoe UI", Roboto, "Helvetica Neue", Arial, sans-serif;
  color: var(--fg); color-scheme: light;
}
*, *::before, *::after { box-sizing: border-box; }
[hidden] { display: none !important; }
button, input, select, textarea { font: inherit; color: inherit; }
button { cursor: pointer; }
:focus-visible { outline: 2px solid var(--accent); outline-offset: 2px; }
.sr-only {
  position: absolute; width: 1px; height: 1px; margin: -1px; padding: 0; overflow: hidden;
  clip: rect(0 0 0 0); white-space: nowrap; border: 0;
}
.launcher {
  position: fixed; right: 20px; bottom: 20px; z-index: 2147483000; display: flex; align-items: center;
  gap: 8px; padding: 12px 18px; border: 0; border-radius: 999px; background: var(--accent);
  color: var(--accent-text); font-weight: 600; box-shadow: 0 4px 14px rgb(0 0 0 / 0.25);
}
.launcher:hover { filter: brightness(1.08); }
.badge {
  min-width: 20px; padding: 0 6px; border-radius: 10px; background: #fff; color: var(--accent);
  font-size: 12px; line-height: 20px; text-align: center;
}
.panel {
  position: fixed; right: 20px; bottom: 84px; z-index: 2147483000; display: flex; flex-direction: column;
  width: 370px; height: min(600px, calc(100vh - 104px)); overflow: hidden; border-radius: 12px;
  background: var(--bg); box-shadow: 0 8px 30px rgb(0 0 0 / 0.3);
}
.panel[hidden] { display: none; }
@media (max-width: 480px) {
  .panel { right: 0; bottom: 0; width: 100vw; height: 100%; border-radius: 0; }
  .launcher[aria-expanded="true"] { display: none; }
}
.header { display: flex; align-items: flex-start; gap: 8px; padding: 12px 14px; background: var(--accent); color: var(--accent-text); }
.titles { flex: 1; min-width: 0; }
.title { margin: 0; font-size: 16px; font-weight: 600; overflow-wrap: anywhere; }
.status { margin: 2px 0 0; font-size: 12px; opacity: 0.9; }
.icon-button {
  display: inline-flex; align-items: center; justify-content: center; width: 32px; height: 32px;
  padding: 0; border: 0; border-radius: 6px; background: transparent; color: inherit;
}
.icon-button:hover { background: rgb(255 255 255 / 0.18); }
.toolbar { display: flex; gap: 6px; padding: 6px 10px; border-bottom: 1px solid var(--line); background: #f7f8fa; }
.text-button {
  display: inline-flex; align-items: center; gap: 4px; padding: 4px 10px; border: 1px solid var(--line);
  border-radius: 6px; background: #fff; font-size: 13px;
}
.text-button:hover { border-color: var(--accent); }
.text-button.danger { color: var(--danger); }
.body { flex: 1; display: flex; flex-direction: column; min-height: 0; }
.scroll { flex: 1; overflow-y: auto; padding: 14px; }
.info { margin: 0 0 12px; white-space: pre-wrap; overflow-wrap: anywhere; }
.notice { margin: 8px 14px 0; padding: 8px 10px; border-radius: 6px; background: #fdf2e1; color: #6b4100; font-size: 13px; }
.field { margin-bottom: 12px; }
.field label { display: block; margin-bottom: 4px; font-weight: 600; }
.field .req { color: var(--danger); }
.field input, .field select {
  display: block; width: 100%; padding: 8px 10px; border: 1px solid #8a939e; border-radius: 6px; background: #fff;
}
.field [aria-invalid="true"] { border-color: var(--danger); }
.error { margin-top: 4px; color: var(--danger); font-size: 12px; }
.error:empty { display: none; }
.hint { margin: 0 0 12px; color: var(--muted); font-size: 12px; }
.primary {
  padding: 9px 16px; border: 0; border-radius: 6px; background: var(--accent); color: var(--accent-text); font-weight: 600;
}
.primary:disabled, .primary[aria-disabled="true"] { opacity: 0.6; cursor: default; }
.log { display: flex; flex-direction: column; gap: 10px; }
.msg { display: flex; flex-direction: column; max-width: 85%; }
.msg.customer { align-self: flex-end; align-items: flex-end; }
.msg.agent { align-self: flex-start; align-items: flex-start; }
.msg.system { align-self: center; max-width: 95%; align-items: center; }
.who { margin-bottom: 2px; color: var(--muted); font-size: 12px; font-weight: 600; }
.bubble { padding: 8px 12px; border-radius: 14px; white-space: pre-wrap; overflow-wrap: anywhere; }
.customer .bubble { background: var(--accent); color: var(--accent-text); border-bottom-right-radius: 4px; }
.customer .bubble a { color: inherit; }
.agent .bubble { background: var(--agent-bg); border-bottom-left-radius: 4px; }
.system .bubble { padding: 2px 8px; color: var(--muted); font-size: 12px; font-style: italic; text-align: center; }
.bubble a { color: var(--accent); text-decoration: underline; }
.file { display: block; margin-top: 4px; font-weight: 600; }
.meta { margin-top: 2px; color: var(--muted); font-size: 11px; }
.delivery.failed { color: var(--danger); }
.typing { min-height: 20px; padding: 0 14px; color: var(--muted); font-size: 12px; font-style: italic; }
.composer { display: flex; align-items: flex-end; gap: 6px; padding: 8px 10px; border-top: 1px solid var(--line); }
.composer textarea {
  flex: 1; min-height: 40px; max-height: 120px; padding: 8px 10px; border: 1px solid #8a939e;
  border-radius: 6px; resize: none;
}
.composer .icon-button { color: var(--muted); }
.composer .icon-button:hover { background: var(--agent-bg); }
.counter { padding: 0 12px 6px; color: var(--muted); font-size: 11px; text-align: right; }
.footer { padding: 10px 14px; border-top: 1px solid var(--line); text-align: center; }
.footer p { margin: 0 0 8px; }
.confirm { display: flex; align-items: center; gap: 8px; padding: 10px 14px; border-top: 1px solid var(--line); }
.confirm p { flex: 1; margin: 0; font-weight: 600; }
`;
