/** Reads a Server-Sent Events response as its events arrive (test and bench code: the browser uses EventSource). */
export interface SseEvent {
  event: string;
  /** The data line, parsed as JSON. */
  data: unknown;
}

/** Calls onEvent for each `event:`/`data:` block; returns a function that stops reading. */
export function readSse(res: Response, onEvent: (e: SseEvent) => void): () => Promise<void> {
  const reader = res.body!.getReader();
  const decoder = new TextDecoder();
  let buffer = '';
  void (async () => {
    for (;;) {
      const { value, done } = await reader.read().catch(() => ({ value: undefined, done: true as const }));
      if (done) return;
      buffer += decoder.decode(value, { stream: true });
      let i;
      while ((i = buffer.indexOf('\n\n')) >= 0) {
        const block = buffer.slice(0, i);
        buffer = buffer.slice(i + 2);
        const event = /^event: (.+)$/m.exec(block)?.[1];
        const data = /^data: (.+)$/m.exec(block)?.[1];
        if (event && data) onEvent({ event, data: JSON.parse(data) });
      }
    }
  })();
  return () => reader.cancel();
}
