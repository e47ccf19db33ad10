/** The console's stylesheet: one constant, inlined in every page (layout.ts). */
export const CSS = `
*{box-sizing:border-box}
body{margin:0;font:14px/1.5 system-ui,"Noto Sans CJK KR","Noto Sans KR",sans-serif;color:#1d1c1d;background:#f6f6f7}
.top{display:flex;align-items:center;gap:16px;padding:8px 20px;background:#1f2937;color:#fff;flex-wrap:wrap}
.brand{font-weight:700}
nav{display:flex;gap:4px;flex:1;flex-wrap:wrap}
nav a{color:#d1d5db;text-decoration:none;padding:6px 10px;border-radius:6px}
nav a.on,nav a:hover{background:#374151;color:#fff}
.out button{background:none;border:1px solid #6b7280;color:#e5e7eb}
main{max-width:1100px;margin:0 auto;padding:16px 20px 48px}
h1{font-size:22px;margin:8px 0 16px}h2{font-size:17px;margin:24px 0 8px}
table{border-collapse:collapse;width:100%;background:#fff;border:1px solid #e5e7eb}
th,td{text-align:left;padding:6px 10px;border-bottom:1px solid #e5e7eb;vertical-align:top}
th{background:#f3f4f6;font-weight:600}
td.num{text-align:right}
pre,code,textarea{font:12.5px/1.45 ui-monospace,"Noto Sans Mono CJK KR",monospace}
pre{background:#fff;border:1px solid #e5e7eb;padding:10px;overflow:auto;white-space:pre-wrap;word-break:break-word}
button,select,input[type=text],input[type=password]{font:inherit;padding:6px 10px;border:1px solid #9ca3af;border-radius:6px;background:#fff}
button{cursor:pointer;background:#1f2937;color:#fff;border-color:#1f2937}
button.danger{background:#b91c1c;border-color:#b91c1c}
form.inline{display:inline-flex;gap:8px;align-items:center;margin:4px 12px 4px 0}
textarea{width:100%;min-height:260px;padding:8px;border:1px solid #9ca3af;border-radius:6px}
.notice{padding:8px 12px;border-radius:6px;border:1px solid}
.notice.ok{background:#ecfdf5;border-color:#10b981}.notice.error{background:#fef2f2;border-color:#ef4444}
.yes{color:#047857;font-weight:600}.no{color:#b91c1c;font-weight:600}
.muted{color:#6b7280}
.state-delivered{color:#047857}.state-dead{color:#b91c1c}.state-retrying{color:#b45309}.state-queued{color:#2563eb}
.card{background:#fff;border:1px solid #e5e7eb;border-radius:8px;padding:12px 16px;margin:8px 0}
.signin{max-width:380px;margin:60px auto}.signin input{width:100%;margin:8px 0}
.sk{background:#fff;border:1px solid #e5e7eb;border-radius:8px;padding:12px 16px;max-width:640px;font-family:Lato,system-ui,"Noto Sans CJK KR",sans-serif;font-size:15px}
.sk-who{font-weight:900}.sk-who span{font-weight:400;color:#616061;font-size:12px;margin-left:6px}
.sk-header{font-size:18px;font-weight:900;margin:6px 0}
.sk-section{margin:6px 0;white-space:pre-wrap;word-break:break-word}
.sk-fields{display:grid;grid-template-columns:1fr 1fr;gap:8px 16px;margin:6px 0}
.sk-fields div{white-space:pre-wrap;word-break:break-word}
.sk-context{font-size:12px;color:#616061;margin:6px 0;white-space:pre-wrap}
.sk a{color:#1264a3}.sk code{background:#f6f6f6;border:1px solid #e0e0e0;border-radius:3px;padding:0 3px;color:#e01e5a}
.sk-button{display:inline-block;border:1px solid #bbb;border-radius:4px;padding:3px 12px;font-weight:700;color:#1d1c1d!important;text-decoration:none;margin:4px 4px 4px 0}
.sk-mention{background:#fff4c4;color:#1264a3;border-radius:3px;padding:0 2px}
dl.kv{display:grid;grid-template-columns:max-content 1fr;gap:4px 16px;margin:0}dl.kv dt{font-weight:600}dl.kv dd{margin:0}
`;
