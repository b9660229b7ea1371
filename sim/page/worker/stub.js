/*
 * First module of the backend worker (visible modules): like the inline script of WA's HTML, a `__d`
 * stub that queues definitions until the module runtime arrives and replays them. The 2026 profile's
 * stub also queues `requireLazy` calls (their `arguments`), like WA's of 2026.
 */
self.__d_stub = [];
self.__d = (...args) => {
  self.__d_stub.push(args);
};
self.__rl_stub = [];
if (new URLSearchParams(self.location.search).get("wa") !== "legacy") {
  self.requireLazy = function requireLazy() {
    // biome-ignore lint/complexity/noArguments: WA's stub queues the arguments object itself
    self.__rl_stub.push(arguments);
  };
}
