import { describe, expect, it } from "vitest";
import { RelayQueue } from "../../src/content/relayQueue";
import type { RelayEnvelope, TapMessage } from "../../src/shared/protocol/messages";

const health = (n: number): TapMessage => ({
  type: "health",
  health: { taps: [], seenByTag: {}, forwarded: n, filtered: 0, errors: 0 },
});

function port(fail = false) {
  const got: RelayEnvelope[] = [];
  return {
    got,
    postMessage(e: RelayEnvelope) {
      if (fail) throw new Error("Attempting to use a disconnected port object");
      got.push(e);
    },
  };
}

describe("relay queue", () => {
  it("numbers messages and keeps them until acknowledged", () => {
    const q = new RelayQueue("R");
    const p = port();
    for (let i = 0; i < 3; i++) q.send(health(i), p);
    expect(p.got.map((e) => [e.relay, e.seq])).toEqual([
      ["R", 1],
      ["R", 2],
      ["R", 3],
    ]);
    expect(q.pending).toBe(3);
    q.acknowledge({ type: "ack", seq: 2 });
    expect(q.pending).toBe(1);
  });

  it("sends everything unacknowledged again on a new connection, in order", () => {
    const q = new RelayQueue("R");
    q.send(health(1), port());
    q.send(health(2), undefined); // no connection at the moment
    expect(() => q.send(health(3), port(true))).toThrow();
    q.acknowledge({ type: "ack", seq: 1 });
    const fresh = port();
    q.resend(fresh);
    expect(fresh.got.map((e) => e.seq)).toEqual([2, 3]);
    expect(fresh.got.map((e) => (e.message.type === "health" ? e.message.health.forwarded : -1))).toEqual([
      2, 3,
    ]);
  });

  it("gives up the oldest beyond its cap and counts them", () => {
    const q = new RelayQueue("R", 2);
    for (let i = 0; i < 5; i++) q.send(health(i), undefined);
    expect(q.pending).toBe(2);
    expect(q.givenUp).toBe(3);
    const p = port();
    q.resend(p);
    expect(p.got.map((e) => e.seq)).toEqual([4, 5]);
  });
});
