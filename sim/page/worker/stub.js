/*
 * First module of the backend worker (visible modules): like the inline script of WA's HTML, a `__d`
 * stub that queues definitions until the module runtime arrives and replays them.
 */
self.__d_stub = [];
self.__d = (...args) => {
  self.__d_stub.push(args);
};
self.__rl_stub = [];
