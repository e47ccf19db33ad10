// The demo values `npm start` uses when there is no .dev.vars: local only.
export const DEMO_SECRET = "demo-secret";
export const DEMO_ADMIN_TOKEN = "demo-admin-token";
export const RELAY_PORT = 8787;
export const STAND_IN_PORT = 8789;
/** The Open API stand-in (scripts/lib/gitple-stand-in.ts) under `npm start`: names and transcripts for the demo. */
export const GITPLE_STAND_IN_PORT = 8790;
/** The Slack app's bot token in the demo: the stand-in's Web API accepts only it. */
export const DEMO_SLACK_BOT_TOKEN = "xoxb-demo-0000000000-local-stand-in";
