// Gitple ids for tests, by what they stand for. In real events tags, categories and groups are
// ids (24 hex digits), as userId and assigneeId are (shared/seeds/gitple-open-api.md): tests and
// samples send these, never the names a person sees in Gitple's console. Where examples/names.json
// names an id, the same id is used here (so `--names examples/names.json` and the Open API
// stand-in's DEMO_IDS agree); the other ids name nothing, like a tag created for one test.
// Prefixes as in examples/names.json: session tags 5cc7a1…, categories 5cc7c2…, user groups 5cc7e3…,
// user tags 5cc7f4…, agents 5cc6a5…, users 5cc6b9…. Plain data: Node-side (vitest.config.ts via
// test-env.ts) and Worker-side.

/** Session tags. The keys are the test suite's own words for them; the relay only ever sees the ids. */
export const TAG = {
  /** "VIP" in examples/names.json. */
  vip: "5cc7a1000000000000000001",
  /** "환불요청". */
  refundRequest: "5cc7a1000000000000000002",
  /** "배송지연": closeEvent's default, routed by no rule of TEST_ROUTING. */
  delay: "5cc7a1000000000000000003",
  /** "테스트": the VIP rule's `tags.none`. */
  test: "5cc7a1000000000000000004",
  // Tags that route to one destination of TEST_ROUTING each (named after it).
  two: "5cc7a1000000000000000102",
  webhook: "5cc7a1000000000000000103",
  webhookSigned: "5cc7a1000000000000000104",
  webhookEnvelope: "5cc7a1000000000000000105",
  discord: "5cc7a1000000000000000106",
  teams: "5cc7a1000000000000000107",
  gchat: "5cc7a1000000000000000108",
  email: "5cc7a1000000000000000109",
  // Tags of the timer tests' rules (test/integration/timers.test.ts).
  timer: "5cc7a1000000000000000201",
  timerRepeat: "5cc7a1000000000000000202",
  // The Korean destination's timer (test/integration/language.test.ts).
  timerLanguage: "5cc7a1000000000000000203",
} as const;

/** Categories ("배송" › "분실" › "택배 분실", "결제" › "환불" in examples/names.json). */
export const CATEGORY = {
  delivery: "5cc7c2000000000000000001",
  lost: "5cc7c2000000000000000002",
  parcelLost: "5cc7c2000000000000000003",
  payment: "5cc7c2000000000000000004",
  refund: "5cc7c2000000000000000005",
  /** A category no rule of any test names. */
  other: "5cc7c2000000000000000101",
} as const;

/** User groups ("프리미엄 회원", "기업 고객"). */
export const GROUP = {
  premium: "5cc7e3000000000000000001",
  business: "5cc7e3000000000000000002",
} as const;

/** User tags ("재구매 고객", "불만 접수"): `to.tags` of send_external_message. */
export const USER_TAG = {
  returning: "5cc7f4000000000000000001",
  complained: "5cc7f4000000000000000002",
} as const;

/** Agents (assigneeId, from.id). */
export const AGENT = {
  kim: "5cc6a5000000000000000001",
  lee: "5cc6a5000000000000000002",
} as const;

/** Customers (userId, to.id). */
export const USER = {
  park: "5cc6b9000000000000000001",
  choi: "5cc6b9000000000000000002",
} as const;
