/**
 * The relay's own words in messages, one table per language: a destination's `language`
 * (`"ko"` | `"en"`, default `"en"`) picks the table its titles, field labels, timer and
 * quiet-hour wording come from. Gitple's own values (reason codes, tags, types) and the
 * footer (`Gitple · <type> · trigger …`, what on-call searches logs for) stay as sent.
 *
 * Trade-off: one flat table per language, typed from the English one, so a key missing in
 * Korean is a compile error and the bundle carries each word once; phrases that hold a value
 * are small functions, so word order can differ between the languages.
 */

export type Language = "ko" | "en";

const en = {
  opened: "Session opened",
  assigned: "Session assigned",
  closed: "Session closed",
  messageFrom: (who: string) => `Message from ${who}`,
  event: "Gitple event",
  waiting: "Waiting",
  session: "session",
  heldTitle: (n: number) => `Held during quiet hours: ${n} notice${n === 1 ? "" : "s"}`,
  heldUntil: (at: string, until: string) => `${at} (held for quiet hours until ${until})`,
  more: (n: number) => `… and ${n} more`,
  after: (after: string) => `after ${after}`,
  Happened: "Happened",
  Timer: "Timer",
  Waited: "Waited",
  Session: "Session",
  User: "User",
  Assignee: "Assignee",
  Opened: "Opened",
  InProgress: "In progress",
  Closed: "Closed",
  Duration: "Duration",
  Categories: "Categories",
  Tags: "Tags",
  UserGroups: "User groups",
  Note: "Note",
  From: "From",
  To: "To",
  ToId: "To id",
  Email: "Email",
  Phone: "Phone",
  CustomerTags: "Customer tags",
  CustomerGroups: "Customer groups",
  Message: "Message",
  // Scheduled digests (src/format/digest.ts): the title, and the labels of its fields in order.
  digest: "Digest",
  noSessions: "no sessions",
  digestCounts: (opened: number, closed: number) => `${opened} sessions opened, ${closed} closed`,
  digestLabels: [
    "Period",
    "Opened",
    "Closed",
    "Closed by reason",
    "Busiest tags",
    "Busiest categories",
    "First assignment",
    "Handling time",
    "Timers fired",
    "Dead letters",
    "Longest waits",
  ] as readonly string[],
  median: "median",
  // Duration units of formatWaited: `30s`, `5 min`, `1 h 30 min`, `2 d`.
  d: " d",
  h: " h",
  m: " min",
  s: "s",
};

/** Every key of the English table, in every language. */
export type Words = { readonly [K in keyof typeof en]: (typeof en)[K] };

const ko: Words = {
  opened: "상담 시작",
  assigned: "상담 배정",
  closed: "상담 종료",
  messageFrom: (who) => `메시지: ${who}`,
  event: "Gitple 이벤트",
  waiting: "대기",
  session: "상담",
  heldTitle: (n) => `조용한 시간에 보류된 알림 ${n}건`,
  heldUntil: (at, until) => `${at} (조용한 시간이라 ${until}까지 보류)`,
  more: (n) => `… 외 ${n}건`,
  after: (after) => `${after} 후`,
  Happened: "발생",
  Timer: "타이머",
  Waited: "대기 시간",
  Session: "상담",
  User: "고객",
  Assignee: "담당자",
  Opened: "시작",
  InProgress: "배정",
  Closed: "종료",
  Duration: "상담 시간",
  Categories: "분류",
  Tags: "태그",
  UserGroups: "고객 그룹",
  Note: "메모",
  From: "보낸 사람",
  To: "받는 사람",
  ToId: "받는 사람 id",
  Email: "이메일",
  Phone: "전화",
  CustomerTags: "고객 태그",
  CustomerGroups: "고객 그룹",
  Message: "메시지",
  digest: "요약",
  noSessions: "상담 없음",
  digestCounts: (opened, closed) => `상담 ${opened}건 시작, ${closed}건 종료`,
  digestLabels: [
    "기간",
    "시작",
    "종료",
    "종료 사유",
    "많은 태그",
    "많은 카테고리",
    "첫 배정까지",
    "상담 시간",
    "타이머 알림",
    "전달 실패",
    "가장 긴 대기",
  ],
  median: "중앙값",
  d: "일",
  h: "시간",
  m: "분",
  s: "초",
};

/**
 * The table of a language; English when absent.
 * @example wordsFor("ko").opened // "상담 시작"
 * @example wordsFor().heldTitle(3) // "Held during quiet hours: 3 notices"
 */
export const wordsFor = (language?: Language): Words => (language === "ko" ? ko : en);
