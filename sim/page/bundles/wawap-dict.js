/*
 * WAWapDict (runtime doc §2.3): DICT_VERSION and the token tables of the dictionary the codec speaks.
 * A separate bundle so that a page whose dictionary is unknown to it (`?dict=unknown`) can be served
 * without it: the server leaves this script out, and no module exports token tables.
 */
__d(
  "WAWapDict",
  ["WASimWapBackend"],
  (_global, _require, _importDefault, importNamespace, _requireLazy, _module, exports) => {
    // The token tables, read back from the codec: decoding a one-element list whose tag byte is n
    // (or 236+k followed by an index) yields the token string. With ?dict=alt the codec backend speaks
    // dictionary 4, so these are the permuted tables and DICT_VERSION is 4.
    const backend = importNamespace("WASimWapBackend");
    const tokenAt = (bytes) => {
      try {
        const node = backend.decodeNode(Uint8Array.of(0, 0xf8, 1, ...bytes));
        const tag = node.tag;
        node.free?.();
        return tag;
      } catch {
        return "";
      }
    };
    const single = [];
    for (let b = 1; b <= 235; b++) single.push(tokenAt([b]));
    const dicts = [0, 1, 2, 3].map((k) => {
      const out = [];
      for (let i = 0; i < 256; i++) out.push(tokenAt([236 + k, i]));
      return out;
    });
    exports.DICT_VERSION = backend.DICT_VERSION ?? 3;
    exports.SINGLE_BYTE_TOKEN = single;
    exports.DICTIONARY_0_TOKEN = dicts[0];
    exports.DICTIONARY_1_TOKEN = dicts[1];
    exports.DICTIONARY_2_TOKEN = dicts[2];
    exports.DICTIONARY_3_TOKEN = dicts[3];
    exports.DICTIONARIES = dicts;
  },
  98,
);
