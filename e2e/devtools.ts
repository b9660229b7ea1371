/**
 * Reaches the real DevTools window over CDP, selects the WA Calls panel and reads its
 * DOM. Playwright does not expose `devtools://` targets, so this attaches through the
 * browser session with `flatten: false` and talks with `Target.sendMessageToTarget`.
 * It relies on DevTools front-end internals (`DevToolsAPI.showPanel`), which may change
 * between Chromium versions. Recipe: ../shared/research/toolchain.md §3 step 5.
 */
import type { BrowserContext, CDPSession } from "playwright-core";

interface TargetInfo {
  targetId: string;
  type: string;
  url: string;
  title: string;
}

/** A CDP target reached through the browser session. */
export class RemoteTarget {
  private nextId = 1;
  private readonly pending = new Map<
    number,
    (msg: { result?: unknown; error?: { message: string } }) => void
  >();

  private constructor(
    private readonly browser: CDPSession,
    readonly sessionId: string,
  ) {
    browser.on("Target.receivedMessageFromTarget", (event: { sessionId: string; message: string }) => {
      if (event.sessionId !== this.sessionId) return;
      const msg = JSON.parse(event.message) as { id?: number; result?: unknown; error?: { message: string } };
      if (msg.id !== undefined) this.pending.get(msg.id)?.(msg);
    });
  }

  /** Attaches to `targetId` (non-flat session). */
  static async attach(browser: CDPSession, targetId: string): Promise<RemoteTarget> {
    const { sessionId } = (await browser.send("Target.attachToTarget", { targetId, flatten: false })) as {
      sessionId: string;
    };
    return new RemoteTarget(browser, sessionId);
  }

  /** Sends one CDP command to the target. @throws the target's CDP error. */
  send(method: string, params: Record<string, unknown> = {}): Promise<unknown> {
    const id = this.nextId++;
    return new Promise((resolve, reject) => {
      this.pending.set(id, (msg) => {
        this.pending.delete(id);
        if (msg.error) reject(new Error(msg.error.message));
        else resolve(msg.result);
      });
      void this.browser.send("Target.sendMessageToTarget", {
        sessionId: this.sessionId,
        message: JSON.stringify({ id, method, params }),
      });
    });
  }

  /** Evaluates an expression (awaiting promises) and returns its JSON value. */
  async evaluate<T>(expression: string): Promise<T> {
    const r = (await this.send("Runtime.evaluate", {
      expression,
      awaitPromise: true,
      returnByValue: true,
    })) as {
      result: { value: T };
      exceptionDetails?: { text: string; exception?: { description?: string } };
    };
    if (r.exceptionDetails) {
      throw new Error(r.exceptionDetails.exception?.description ?? r.exceptionDetails.text);
    }
    return r.result.value;
  }
}

async function findTarget(
  browser: CDPSession,
  match: (t: TargetInfo) => boolean,
  what: string,
  timeoutMs = 15_000,
): Promise<TargetInfo> {
  const end = Date.now() + timeoutMs;
  while (Date.now() < end) {
    const { targetInfos } = (await browser.send("Target.getTargets")) as { targetInfos: TargetInfo[] };
    const t = targetInfos.find(match);
    if (t) return t;
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error(`no ${what} target`);
}

/**
 * Selects the WA Calls panel in the DevTools window that is open for the inspected page
 * (Chromium started with `--auto-open-devtools-for-tabs`).
 * @returns the panel's own frame, to read its DOM.
 * @throws when no DevTools window or panel frame appears in time.
 */
export async function showWaCallsPanel(context: BrowserContext, extensionId: string): Promise<RemoteTarget> {
  const browser = context.browser();
  if (!browser) throw new Error("no browser object for this context");
  const session = await browser.newBrowserCDPSession();
  const devtools = await findTarget(
    session,
    (t) => t.type === "page" && t.url.startsWith("devtools://devtools/bundled/devtools_app.html"),
    "DevTools window",
  );
  const front = await RemoteTarget.attach(session, devtools.targetId);
  const panelId = `chrome-extension://${extensionId}WACalls`;
  // The extension registers its panel once its devtools_page has run.
  const end = Date.now() + 15_000;
  for (;;) {
    const shown = await front.evaluate<boolean>(
      `(async () => {
        const legacy = await import("./ui/legacy/legacy.js");
        const ids = legacy.InspectorView.InspectorView.instance().tabbedPane.tabIds();
        if (!ids.includes(${JSON.stringify(panelId)})) return false;
        DevToolsAPI.showPanel(${JSON.stringify(panelId)});
        return true;
      })()`,
    );
    if (shown) break;
    if (Date.now() > end) throw new Error(`DevTools has no panel ${panelId}`);
    await new Promise((r) => setTimeout(r, 200));
  }
  const frame = await findTarget(
    session,
    (t) => t.type === "iframe" && t.url.startsWith(`chrome-extension://${extensionId}/src/panel/panel.html`),
    "WA Calls panel frame",
  );
  return RemoteTarget.attach(session, frame.targetId);
}
