// The app's record rules, asked a batch of questions per line: tests/test_records_property.py
// keeps one of these running and compares every answer with hearth-client's, so thousands of
// cases cost one node start. Each line in is a list of {"do": ..., ...}; each line out, the answers.
import { createInterface } from "node:readline";

import * as records from "../../pwa/js/core/records.js";

const outcome = (fn) => {
  try {
    const ok = fn();
    return { ok: ok === undefined ? null : ok };
  } catch (err) {
    if (!(err instanceof records.RecordError)) return { crash: `${err.name}: ${err.message}` };
    return { error: err.message };
  }
};

const ask = {
  validate: ({ type, fields, existing }) => outcome(() => records.validate(type, fields, existing ?? null)),
  checkOp: ({ op }) => outcome(() => records.checkOp(op)),
  observe: ({ hlc, lastMs, now }) => {
    const clock = new records.Clock("me", lastMs, 0, () => now);
    clock.observe(hlc);
    return { ok: [clock.lastMs, clock.counter] };
  },
};

for await (const line of createInterface({ input: process.stdin, crlfDelay: Infinity })) {
  const answers = JSON.parse(line).map((question) => ask[question.do](question));
  process.stdout.write(`${JSON.stringify(answers)}\n`);
}
