/**
 * On-screen pseudonyms for peers: the first peer user seen in a session is `A`, the next
 * `B`, … (`Z`, then `AA`, `AB`, …), stable for the session. Device suffixes are kept
 * (`B:7`), so device lanes stay distinguishable without showing phone numbers or LIDs.
 */
import { parseJid } from "../codec/jid";

/** Letters for the n-th pseudonym (0 → `A`, 25 → `Z`, 26 → `AA`). */
export function pseudonymLetters(n: number): string {
  let s = "";
  let k = n;
  do {
    s = String.fromCharCode(65 + (k % 26)) + s;
    k = Math.floor(k / 26) - 1;
  } while (k >= 0);
  return s;
}

/** A session's pseudonym table, filled in order of first sight. */
export class Pseudonyms {
  private readonly byUser = new Map<string, string>();

  /** The pseudonym of a user (`user@server`, device ignored); assigned on first sight. */
  user(jid: string): string {
    const parsed = parseJid(jid);
    const key = parsed ? `${parsed.user}@${parsed.server}` : jid;
    let p = this.byUser.get(key);
    if (p === undefined) {
      p = pseudonymLetters(this.byUser.size);
      this.byUser.set(key, p);
    }
    return p;
  }

  /**
   * A JID as shown on screen: its pseudonym plus device (`B:7`) and, for LID addressing, a
   * `(lid)` hint. A bare server (`s.whatsapp.net`) is shown as it is.
   */
  label(jid: string): string {
    const parsed = parseJid(jid);
    if (!parsed) return this.user(jid);
    if (parsed.user === "") return jid;
    const p = this.user(jid);
    const device = parsed.device ? `:${parsed.device}` : "";
    const lid = parsed.server === "lid" || parsed.server === "hosted.lid" ? " (lid)" : "";
    return `${p}${device}${lid}`;
  }

  /** How many users have a pseudonym. */
  get size(): number {
    return this.byUser.size;
  }
}
