// For the bridge's unit tests: a WebSocket stand-in whose state the test sets, which records what
// is sent and lets the test play the host's frames.

export class TestSocket extends EventTarget {
  readonly CONNECTING = 0;
  readonly OPEN = 1;
  readonly CLOSING = 2;
  readonly CLOSED = 3;
  readonly sent: string[] = [];
  constructor(
    readonly url: string,
    public readyState: number = 0,
  ) {
    super();
  }

  send(text: string): void {
    this.sent.push(text);
  }

  close(): void {
    this.readyState = this.CLOSED;
    this.dispatchEvent(new Event('close'));
  }

  /** The connection comes up. */
  open(): void {
    this.readyState = this.OPEN;
    this.dispatchEvent(new Event('open'));
  }

  /** The host answers invoke `id`. */
  answer(id: number, reply: unknown): void {
    const event = new Event('message');
    Object.defineProperty(event, 'data', { value: JSON.stringify({ id, type: 'reply', reply }) });
    this.dispatchEvent(event);
  }

  /** The frame ids of the invokes sent so far. */
  sentIds(): number[] {
    return this.sent.map((text) => (JSON.parse(text) as { id: number }).id);
  }

  asWebSocket(): WebSocket {
    return this as unknown as WebSocket;
  }
}
