/** Every rule is scoped under `.rtdt`, so the host app's styles and the panel's never meet. */
export const styles = `
.rtdt{font:13px/1.4 ui-sans-serif,system-ui,sans-serif;color:#e6edf3;background:#0d1117;border:1px solid #30363d;border-radius:8px;box-sizing:border-box;max-width:100%;overflow:hidden}
.rtdt *{box-sizing:border-box}
.rtdt-floating{position:fixed;right:12px;bottom:12px;z-index:2147483000;width:min(560px,calc(100vw - 24px));max-height:70vh;overflow:auto}
.rtdt-toggle{position:fixed;right:12px;bottom:12px;z-index:2147483001;font:600 13px system-ui,sans-serif;background:#1f6feb;color:#fff;border:0;border-radius:999px;padding:8px 14px;cursor:pointer}
.rtdt-toggle:focus-visible,.rtdt button:focus-visible,.rtdt textarea:focus-visible,.rtdt input:focus-visible{outline:2px solid #58a6ff;outline-offset:2px}
.rtdt-head{display:flex;gap:8px;align-items:center;justify-content:space-between;padding:8px 12px;border-bottom:1px solid #30363d}
.rtdt h2,.rtdt h3{margin:0;font-size:13px}
.rtdt section{padding:8px 12px;border-bottom:1px solid #30363d}
.rtdt dl{display:grid;grid-template-columns:max-content 1fr;gap:2px 12px;margin:0}
.rtdt dt{color:#8b949e}.rtdt dd{margin:0;overflow-wrap:anywhere}
.rtdt figure{margin:0}.rtdt pre{margin:4px 0;white-space:pre-wrap;overflow-wrap:anywhere;font:12px ui-monospace,monospace;background:#161b22;padding:6px;border-radius:4px}
.rtdt button{font:inherit;background:#21262d;color:#e6edf3;border:1px solid #30363d;border-radius:6px;padding:3px 8px;cursor:pointer}
.rtdt textarea,.rtdt input{font:12px ui-monospace,monospace;width:100%;background:#161b22;color:#e6edf3;border:1px solid #30363d;border-radius:4px;padding:4px}
.rtdt ol{list-style:none;margin:4px 0 0;padding:0;max-height:240px;overflow:auto}
.rtdt li{display:flex;gap:8px;padding:2px 0;border-top:1px solid #21262d;overflow-wrap:anywhere}
.rtdt-time{color:#8b949e;font-variant-numeric:tabular-nums}
.rtdt-bad{color:#ff7b72}.rtdt-good{color:#3fb950}.rtdt-note{color:#8b949e;font-size:12px}
.rtdt-tools{display:flex;gap:6px;flex-wrap:wrap;align-items:center}
.rtdt summary{cursor:pointer;color:#8b949e;margin-top:4px}
`
