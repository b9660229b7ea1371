/*
 * The late bundle (2026 profile, wa-web-2026.md §2): modules unrelated to stanzas that the Bootloader
 * fetches some 10-30 s after boot (`?lateBundleMs=` sets the delay), so a tap sees registrations
 * long after load. Nothing here touches comms or the codec.
 */
__d(
  "WAWebStickerPackCollection",
  [],
  (_global, _require, _importDefault, _importNamespace, _requireLazy, _module, exports) => {
    const packs = new Map();
    exports.add = (id, pack) => packs.set(String(id), pack);
    exports.get = (id) => packs.get(String(id)) ?? null;
    exports.size = () => packs.size;
  },
  98,
);

__d(
  "WAWebPollVoteTally",
  [],
  (_global, _require, _importDefault, _importNamespace, _requireLazy, _module, exports) => {
    /** Counts votes per option: `[{option, count}]`, most votes first. */
    exports.tally = (votes) => {
      const counts = new Map();
      for (const v of votes ?? []) for (const o of v.options ?? []) counts.set(o, (counts.get(o) ?? 0) + 1);
      return [...counts].map(([option, count]) => ({ option, count })).sort((a, b) => b.count - a.count);
    };
  },
  98,
);

__d(
  "WAWebNewsletterDirectoryCache",
  ["WAWebPollVoteTally"],
  (_global, _require, _importDefault, _importNamespace, _requireLazy, _module, exports) => {
    let entries = [];
    exports.set = (list) => {
      entries = Array.isArray(list) ? [...list] : [];
    };
    exports.list = () => [...entries];
  },
  98,
);
