// Reads a server-sent event stream from text chunks as they arrive (a chunk can end anywhere, even inside a line).
// The browser's EventSource would do this, but it hides the HTTP status of a refused stream (401, 429), which the
// portal needs to show or act on; so the stream is read with fetch and parsed here.
export class SseParser {
  // The unfinished line in pieces: a relist can be one line of megabytes arriving in many chunks, and joining the
  // pieces on every chunk would make reading it quadratic.
  private partial: string[] = [];
  private data: string[] = [];

  /** Feeds text; returns the data of every event completed by it. Comments (": ping") and other fields are skipped. */
  push(text: string): string[] {
    const out: string[] = [];
    let start = 0;
    let nl: number;
    while ((nl = text.indexOf('\n', start)) >= 0) {
      let line = text.slice(start, nl);
      if (this.partial.length) {
        this.partial.push(line);
        line = this.partial.join('');
        this.partial = [];
      }
      if (line.endsWith('\r')) line = line.slice(0, -1);
      start = nl + 1;
      if (line === '') {
        if (this.data.length) out.push(this.data.join('\n'));
        this.data = [];
      } else if (line.startsWith('data:')) {
        this.data.push(line.slice(line.startsWith('data: ') ? 6 : 5));
      }
    }
    if (start < text.length) this.partial.push(text.slice(start));
    return out;
  }
}
