/**
 * The teams destination kind: the chat family's webhook kind (chat-family/webhook.ts)
 * with Teams's own schema and payload (format.ts). Trade-off: nothing of its
 * own beyond the payload, so it cannot drift from the other chat kinds.
 */
import { chatKind } from "../chat-family/webhook.ts";
import { type TeamsDestinationConfig, teamsSchema } from "./config.ts";
import { formatTeams } from "./format.ts";

export const teamsKind = chatKind<"teams", TeamsDestinationConfig>("teams", teamsSchema, formatTeams);
