/** The worker tap's built IIFE source (vite.config.ts, `workerTapSource`). */
declare module "virtual:worker-tap-source" {
  const source: string;
  export default source;
}
