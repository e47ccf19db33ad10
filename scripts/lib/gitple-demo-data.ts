// Demo data for the Gitple Open API stand-in (scripts/lib/gitple-stand-in.ts): one workspace whose
// ids (24 hex digits, as real Gitple ids) resolve to Korean names. Sample events, fixtures and tests
// import DEMO_IDS so an event's ids and the stand-in's answers always agree.
// Shapes follow Gitple's /exports/* answers (shared/seeds/gitple-open-api.md).

/** The demo workspace's app code (an event's `appCode`) and its Open API secret (not a real one). */
export const DEMO_APP_CODE = "demo-app";
export const DEMO_API_SECRET = "demo-open-api-secret";

/** Every id the demo data knows, by what it is. */
export const DEMO_IDS = {
  sessionTags: {
    vip: "5cc7a1000000000000000001",
    refundRequest: "5cc7a1000000000000000002",
    delay: "5cc7a1000000000000000003",
    /** The tag `npm start`'s demo follows sessions by (one session, one message). */
    follow: "5cc7a1000000000000000005",
  },
  categories: {
    delivery: "5cc7c2000000000000000001", // 배송 (root)
    lost: "5cc7c2000000000000000002", // 배송 › 분실
    parcelLost: "5cc7c2000000000000000003", // 배송 › 분실 › 택배 분실
    payment: "5cc7c2000000000000000004", // 결제 (root)
    refund: "5cc7c2000000000000000005", // 결제 › 환불
  },
  userGroups: { premium: "5cc7e3000000000000000001", business: "5cc7e3000000000000000002" },
  userTags: { returning: "5cc7f4000000000000000001", complained: "5cc7f4000000000000000002" },
  agents: { kim: "5cc6a5000000000000000001", lee: "5cc6a5000000000000000002" },
  users: { park: "5cc6b9000000000000000001", choi: "5cc6b9000000000000000002" },
  sessions: { demo: "5cc14b61415b8906cfa1abd6", long: "5cc14b61415b8906cfa10200", empty: "5cc14b61415b8906cfa10000" },
} as const;

const I = DEMO_IDS;

export interface DemoMessage {
  id: string;
  senderType: string;
  senderId: string | number;
  content: unknown;
  ctime: string;
}

/** What the stand-in serves: `resource → id → object`, and each session's messages. */
export interface GitpleData {
  sessionTags: Record<string, object>;
  categories: Record<string, object>;
  userGroups: Record<string, object>;
  userTags: Record<string, object>;
  agents: Record<string, object>;
  agentGroups: Record<string, object>;
  users: Record<string, object>;
  sessions: Record<string, object>;
  /** Session id → messages, as the Open API lists them (newest first). */
  messages: Record<string, DemoMessage[]>;
}

const byId = <T extends { id: string }>(items: T[]): Record<string, T> =>
  Object.fromEntries(items.map((item) => [item.id, item]));

const minute = (base: string, n: number): string => new Date(Date.parse(base) + n * 60_000).toISOString();

/** About a dozen messages of one conversation, with an image, an emoticon and Korean text. */
function demoTranscript(): DemoMessage[] {
  const t0 = "2019-04-29T09:00:00.000Z";
  const m = (n: number, senderType: string, senderId: string | number, content: unknown): DemoMessage => ({
    id: `5cc14c00000000000000${String(n).padStart(4, "0")}`,
    senderType,
    senderId,
    content,
    ctime: minute(t0, n),
  });
  const user = I.users.park;
  const agent = I.agents.kim;
  const oldestFirst = [
    m(1, "bot", 0, "안녕하세요! 무엇을 도와드릴까요?"),
    m(2, "user", user, "택배가 도착하지 않았어요."),
    m(3, "bot", 0, "상담사를 연결해 드릴게요."),
    m(4, "sys", 0, "상담사 김민준님이 입장했습니다."),
    m(5, "agent", agent, "안녕하세요, 김민준입니다. 주문번호를 알려주시겠어요?"),
    m(6, "user", user, "2019042901 입니다."),
    m(7, "user", user, { l: { m: "image/png", u: "https://example.com/demo/parcel.png" } }),
    m(8, "agent", agent, "확인해 보니 택배사에서 분실된 것으로 보입니다."),
    m(9, "agent", agent, "새 상품을 오늘 다시 보내 드리겠습니다."),
    m(10, "user", user, { e: { alt: "😄" } }),
    m(11, "user", user, "감사합니다!"),
    m(12, "agent", agent, "이용해 주셔서 감사합니다. 좋은 하루 되세요."),
  ];
  return oldestFirst.reverse();
}

/** 200 numbered messages (for limits), newest first as the API lists them. */
function longTranscript(): DemoMessage[] {
  const t0 = "2019-05-01T00:00:00.000Z";
  const all: DemoMessage[] = [];
  for (let n = 1; n <= 200; n++) {
    all.push({
      id: `5cc15d0000000000000${String(n).padStart(5, "0")}`,
      senderType: n % 2 === 0 ? "agent" : "user",
      senderId: n % 2 === 0 ? I.agents.lee : I.users.choi,
      content: `메시지 ${n}`,
      ctime: minute(t0, n),
    });
  }
  return all.reverse();
}

/** The demo workspace. */
export const DEMO_DATA: GitpleData = {
  sessionTags: byId([
    { id: I.sessionTags.vip, name: "VIP" },
    { id: I.sessionTags.refundRequest, name: "환불요청" },
    { id: I.sessionTags.delay, name: "배송지연" },
    { id: I.sessionTags.follow, name: "진행 추적" },
  ]),
  categories: byId([
    { id: I.categories.delivery, name: "배송", parent: null, root: I.categories.delivery },
    { id: I.categories.lost, name: "분실", parent: I.categories.delivery, root: I.categories.delivery },
    { id: I.categories.parcelLost, name: "택배 분실", parent: I.categories.lost, root: I.categories.delivery },
    { id: I.categories.payment, name: "결제", parent: null, root: I.categories.payment },
    { id: I.categories.refund, name: "환불", parent: I.categories.payment, root: I.categories.payment },
  ]),
  userGroups: byId([
    { id: I.userGroups.premium, name: "프리미엄 회원", code: "premium" },
    { id: I.userGroups.business, name: "기업 고객", code: "business" },
  ]),
  userTags: byId([
    { id: I.userTags.returning, name: "재구매 고객" },
    { id: I.userTags.complained, name: "불만 접수" },
  ]),
  agents: byId([
    {
      id: I.agents.kim,
      identifier: "minjun.kim",
      name: "김민준",
      email: "minjun.kim@example.com",
      role: "spUser",
      groups: [],
    },
    {
      id: I.agents.lee,
      identifier: "seoyeon.lee",
      name: "이서연",
      email: "seoyeon.lee@example.com",
      role: "spAdmin",
      groups: [],
    },
  ]),
  agentGroups: {},
  users: byId([
    {
      id: I.users.park,
      identifier: "customer-1001",
      anonymous: false,
      lang: "ko",
      meta: { plan: "gold", region: "서울" },
      name: "박지훈",
      email: "jihoon.park@example.com",
      phone: "010-1234-5678",
      groups: [I.userGroups.premium],
      tags: [I.userTags.returning],
    },
    {
      id: I.users.choi,
      identifier: "customer-2002",
      anonymous: false,
      lang: "ko",
      meta: { plan: "silver" },
      name: "최유나",
      email: "yuna.choi@example.com",
      phone: "010-9876-5432",
      groups: [I.userGroups.business],
      tags: [I.userTags.complained],
    },
  ]),
  sessions: byId([
    {
      id: I.sessions.demo,
      reason: "close",
      userId: I.users.park,
      openTime: "2019-04-29T09:00:00.000Z",
      inprogressTime: "2019-04-29T09:04:00.000Z",
      closeTime: "2019-04-29T09:13:00.000Z",
      assigneeType: "agent",
      assigneeId: I.agents.kim,
      userGroups: [I.userGroups.premium],
      categories: [I.categories.parcelLost],
      tags: [I.sessionTags.vip, I.sessionTags.delay],
      note: "",
    },
    {
      id: I.sessions.long,
      userId: I.users.choi,
      assigneeType: "agent",
      assigneeId: I.agents.lee,
      tags: [],
      categories: [I.categories.refund],
      userGroups: [],
    },
    { id: I.sessions.empty, userId: I.users.choi, tags: [I.sessionTags.refundRequest], categories: [], userGroups: [] },
  ]),
  messages: { [I.sessions.demo]: demoTranscript(), [I.sessions.long]: longTranscript(), [I.sessions.empty]: [] },
};

/**
 * A session event body as Gitple sends it (ids, no names), for sample events and tests.
 * @example demoSessionEvent("session_state_close", "trigger-1") // { triggerId, ctime, appCode: "demo-app", type, session: {...} }
 */
export function demoSessionEvent(
  type: "session_state_open" | "session_state_inprogress" | "session_state_close",
  triggerId: string,
  appCode = DEMO_APP_CODE,
) {
  const session = DEMO_DATA.sessions[I.sessions.demo] as Record<string, unknown>;
  return { triggerId, ctime: "2019-04-29T09:13:00.001Z", appCode, type, session: { ...session, meta: [] } };
}

/** A send_external_message body: `to` is the customer as /exports/users/:id answers (ids in tags, groups). */
export function demoExternalMessageEvent(triggerId: string, appCode = DEMO_APP_CODE) {
  const to = DEMO_DATA.users[I.users.park] as Record<string, unknown>;
  return {
    triggerId,
    ctime: "2019-04-29T09:06:00.000Z",
    appCode,
    type: "send_external_message",
    from: { type: "agent", id: I.agents.kim },
    to: { type: "user", ...to },
    message: { type: "text/plain", content: "새 상품을 오늘 다시 보내 드리겠습니다." },
  };
}

/** One scripted answer for a misbehaving path of the stand-in (scripts/lib/gitple-stand-in.ts); here so workerd tests can name it without Node's types. */
export interface Misbehaviour {
  status?: number;
  headers?: Record<string, string>;
  body?: string;
  /** Never answer (the client's timeout must fire). */
  hang?: boolean;
  /** Wait this long first; without `status` the request is then answered normally. */
  delayMs?: number;
}
