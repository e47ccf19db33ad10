/** The relay's version, reported by GET /health and in logs. Keep in step with package.json. */
export const VERSION = "0.1.0";
