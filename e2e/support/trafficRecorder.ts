import type { Page } from "@playwright/test";

/**
 * Keeps every HTTP answer body and every WebSocket frame (both ways) a page sees, plus any other
 * text a test adds, for searching afterwards (e.g. for secrets).
 */
export class TrafficRecorder {
  private readonly texts: { where: string; text: string }[] = [];
  private readonly pending: Promise<unknown>[] = [];
  responses = 0;
  frames = 0;

  attach(page: Page): void {
    page.on("response", (response) => {
      const where = `HTTP ${response.status()} ${response.request().method()} ${response.url()}`;
      // Redirects and aborted loads have no body to read.
      this.pending.push(response.body().then((body) => (this.responses++, this.add(where, body)), () => undefined));
    });
    page.on("websocket", (socket) => {
      socket.on("framereceived", (frame) => (this.frames++, this.add(`socket frame from ${socket.url()}`, frame.payload)));
      socket.on("framesent", (frame) => (this.frames++, this.add(`socket frame to ${socket.url()}`, frame.payload)));
    });
  }

  add(where: string, text: string | Buffer): void {
    this.texts.push({ where, text: typeof text === "string" ? text : text.toString("utf8") });
  }

  /** Everything recorded, once the bodies still being read are in. */
  async all(): Promise<{ where: string; text: string }[]> {
    await Promise.all(this.pending);
    return this.texts;
  }
}
