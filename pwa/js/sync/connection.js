// One websocket session with the relay (docs/protocol.md §3): the challenge, frames in
// and out, and waiting for a frame of a given type.
import { VERSION } from "../core/crypto.js";
import { b64u, unb64u } from "../core/encoding.js";

export class RelayError extends Error {
  constructor(frame) {
    super(frame.message || frame.code);
    this.code = frame.code;
    this.retryAfter = frame.retry_after;
    this.frame = frame;   // what else it carries: an `unpaired` refusal holds the signed notice (§11.2)
  }
}

export class ConnectionLost extends Error {}

// The protocol versions this app speaks (§3): a relay's challenge names its own.
export const SPOKEN_VERSIONS = [VERSION];

export class VersionError extends Error {
  constructor() {
    super("This Hearth server speaks a different version of Hearth than this app, so they can't work together. " +
      "Reloading the app usually brings it up to date.");
    this.name = "VersionError";
  }
}

export function wsUrl(origin) {
  const url = new URL(origin);
  return `${url.protocol === "https:" ? "wss:" : "ws:"}//${url.host}/ws`;
}

export class Session {
  // Resolves once the relay's challenge has arrived.
  static open(origin, { timeoutMs = 15000 } = {}) {
    return new Promise((resolve, reject) => {
      let ws;
      try {
        ws = new WebSocket(wsUrl(origin));
      } catch (err) {
        reject(new ConnectionLost(`cannot reach the relay (${err.message})`));
        return;
      }
      const session = new Session(ws);
      const timer = setTimeout(() => { ws.close(); reject(new ConnectionLost("the relay did not answer in time")); }, timeoutMs);
      session.next("challenge").then((frame) => {
        clearTimeout(timer);
        if (!Number.isInteger(frame.v) || !SPOKEN_VERSIONS.includes(frame.v)) {
          session.close();
          reject(new VersionError());
          return;
        }
        session.challenge = frame.challenge;
        resolve(session);
      }, (err) => { clearTimeout(timer); reject(err); });
    });
  }

  constructor(ws) {
    this.ws = ws;
    this.queue = [];
    this.waiters = [];
    this.closed = null;
    this.onframe = null;      // once set, frames nobody waits for go here
    ws.addEventListener("message", (event) => this.arrive(event.data));
    ws.addEventListener("close", () => this.fail(new ConnectionLost("the connection to the relay closed")));
    ws.addEventListener("error", () => this.fail(new ConnectionLost("the relay cannot be reached")));
  }

  arrive(data) {
    let frame;
    try {
      frame = JSON.parse(data);
    } catch {
      return;  // a relay that sends non-JSON is broken; ignoring it keeps the session usable
    }
    const i = this.waiters.findIndex((w) => w.types.includes(frame.type) || frame.type === "error");
    if (i >= 0) {
      const [waiter] = this.waiters.splice(i, 1);
      if (frame.type === "error" && !waiter.types.includes("error")) waiter.reject(new RelayError(frame));
      else waiter.resolve(frame);
    } else if (this.onframe) {
      this.onframe(frame);
    } else {
      this.queue.push(frame);
    }
  }

  fail(err) {
    if (this.closed) return;
    this.closed = err;
    for (const w of this.waiters.splice(0)) w.reject(err);
    if (this.onframe) this.onframe({ type: "_closed", error: err });
  }

  // The next frame of one of `types` (an error frame rejects with RelayError).
  next(...types) {
    const i = this.queue.findIndex((f) => types.includes(f.type) || f.type === "error");
    if (i >= 0) {
      const [frame] = this.queue.splice(i, 1);
      return frame.type === "error" && !types.includes("error") ? Promise.reject(new RelayError(frame)) : Promise.resolve(frame);
    }
    if (this.closed) return Promise.reject(this.closed);
    return new Promise((resolve, reject) => this.waiters.push({ types, resolve, reject }));
  }

  /** Like next(), but null if no frame of `types` comes within `ms` (or the connection ends). */
  nextWithin(ms, ...types) {
    const i = this.queue.findIndex((f) => types.includes(f.type));
    if (i >= 0) return Promise.resolve(this.queue.splice(i, 1)[0]);
    if (this.closed) return Promise.resolve(null);
    return new Promise((resolve) => {
      const done = (frame) => { clearTimeout(timer); resolve(frame); };
      const waiter = { types, resolve: done, reject: () => done(null) };
      const timer = setTimeout(() => { this.waiters.splice(this.waiters.indexOf(waiter), 1); resolve(null); }, ms);
      this.waiters.push(waiter);
    });
  }

  // Hand every later frame (and those already queued) to `fn`, in arrival order.
  listen(fn) {
    this.onframe = fn;
    for (const frame of this.queue.splice(0)) fn(frame);
    if (this.closed) fn({ type: "_closed", error: this.closed });
  }

  /** Sign in (§3): `device` with `keys`, answering this session's challenge; `extra` joins the frame. */
  async login(keys, device, extra = {}) {
    this.send({ type: "login", device, sig: b64u(await keys.signLogin(unb64u(this.challenge))), ...extra });
  }

  send(frame) {
    if (this.closed || this.ws.readyState !== WebSocket.OPEN) throw this.closed || new ConnectionLost("not connected");
    this.ws.send(JSON.stringify(frame));
  }

  close() {
    try { this.ws.close(); } catch { /* already closed */ }
    this.fail(new ConnectionLost("closed"));
  }
}
