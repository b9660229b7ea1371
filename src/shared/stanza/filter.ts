/**
 * The privacy filter: which stanzas may leave WhatsApp's page. Only call signalling
 * does: `<call>`, `<ack class="call">`, and `<receipt>` whose child is `<offer>` or whose
 * id is the id of a call stanza already seen (SIG-07). Everything else is only counted.
 * It reads as little as possible of the node, before anything is copied.
 */

/** Why a stanza was kept or dropped. */
export type FilterVerdict = "call" | "call-ack" | "offer-receipt" | "call-receipt" | "drop";

/** The few facts the filter needs, read from any node shape. */
export interface FilterInput {
  tag: string;
  /** `class` attribute (acks), when present. */
  ackClass?: string;
  /** `id` attribute, when present. */
  id?: string;
  /** Tag of the first child node, when the content is a child list. */
  firstChildTag?: string;
}

/**
 * Remembers the stanza ids of recent `<call>` stanzas so that a `<receipt>` answering
 * one can be recognised. Bounded: the oldest id is forgotten past `capacity`.
 */
export class CallIdMemory {
  private readonly ids = new Set<string>();
  /** @param capacity how many ids to keep (default 4096). */
  constructor(private readonly capacity = 4096) {}
  /** Records the id of a `<call>` stanza. */
  add(id: string): void {
    if (this.ids.has(id)) return;
    this.ids.add(id);
    if (this.ids.size > this.capacity) {
      const oldest = this.ids.values().next().value;
      if (oldest !== undefined) this.ids.delete(oldest);
    }
  }
  /** Whether `id` is the id of a recent `<call>` stanza. */
  has(id: string): boolean {
    return this.ids.has(id);
  }
}

/**
 * Decides whether a stanza is call-related. Call stanzas' ids are added to `memory`.
 * @returns the verdict; `"drop"` means the stanza must not leave the page.
 */
export function classifyStanza(input: FilterInput, memory: CallIdMemory): FilterVerdict {
  switch (input.tag) {
    case "call":
      if (input.id) memory.add(input.id);
      return "call";
    case "ack":
      return input.ackClass === "call" ? "call-ack" : "drop";
    case "receipt":
      if (input.firstChildTag === "offer") return "offer-receipt";
      if (input.id !== undefined && memory.has(input.id)) return "call-receipt";
      return "drop";
    default:
      return "drop";
  }
}
