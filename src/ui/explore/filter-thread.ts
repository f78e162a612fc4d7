// The explore filter's regular expressions, searched on a worker thread. One search over a window of paths can take
// a tenth of a second when an expression backtracks on every path (`(.*.*)*x`), and a screen asks dozens: on the
// view's own thread no key was read, not even Esc, for seconds. Here the view asks the thread one question at a time
// (does path i match, does anything below it) and waits a few milliseconds at most for each key (`deadline`): an
// ordinary expression is answered well within that, as if searched in place. Past it, the question throws `Pending`,
// the thread goes on with it, and the view is told when it is answered (`onAnswer`) and asks again. A question of an
// older filter is dropped between two windows of its search, once the filter has changed.
//
// The thread runs `pathSearch` from its source text (eval), so there is no worker file to find: the CLI's compiled
// dist/ and the test runner's sources start it alike.
import { Worker } from 'node:worker_threads';
import { pathSearch, type PathSearch } from '../../analysis/path-search.js';
import type { PathIndex } from '../../analysis/layer-tree.js';

/** Thrown by a test whose answer the thread has not given by the deadline: the caller tries again on `onAnswer`. */
export class Pending extends Error {
  constructor() {
    super('the filter is still being searched');
  }
}

/** A needle as posted to the thread: a text, or an expression's source and flags. */
type Posted = string | { source: string; flags: string };

// The shared words: the question (its number, filter generation, kind, path), the answer (the question's number,
// the value), the current generation (a search of another one stops), and whether the thread died (an error: the
// questions are then answered here).
const SLOT = { asked: 0, askGen: 1, askKind: 2, askPath: 3, answered: 4, value: 5, gen: 6, dead: 7 };

/** 0: does path i itself match; 1: does it or anything below it. */
type Kind = 0 | 1;

function workerMain(pathSearchSource: string, slot: typeof SLOT): void {
  /* eslint-disable @typescript-eslint/no-require-imports -- runs as an eval'd CommonJS script */
  const { parentPort, workerData, receiveMessageOnPort } = require('node:worker_threads');
  const { lower, end, shared } = workerData;
  const words = new Int32Array(shared);
  // Everything after this point is inside the try: the view may be blocked waiting on the shared words, with no event
  // loop to hear the worker's 'error' event, so a thread failing while it starts (the search's source not compiling)
  // must say so through them too, or the view waits for ever.
  try {
    const search = new Function(`return (${pathSearchSource})`)();
    const {
      asked: ASKED,
      askGen: ASK_GEN,
      askKind: ASK_KIND,
      askPath: ASK_PATH,
      answered: ANSWERED,
      value: VALUE,
    } = slot;
    const GEN = slot.gen;
    const starts = new Int32Array(lower.length + 1);
    for (let i = 0; i < lower.length; i++) starts[i + 1] = starts[i] + lower[i].length + 1;
    const index = { lower, text: lower.join('\0'), starts, end };
    // The tests of each generation's needles, the latest ones: the view asks again about a filter typed before.
    const tests = new Map();
    let seen = 0;
    for (;;) {
      Atomics.wait(words, ASKED, seen);
      seen = Atomics.load(words, ASKED);
      for (let m = receiveMessageOnPort(parentPort); m; m = receiveMessageOnPort(parentPort)) {
        const { gen, needles } = m.message;
        const stop = () => Atomics.load(words, GEN) !== gen;
        const made = needles.map((n: Posted) =>
          search(index, typeof n === 'string' ? n : new RegExp(n.source, n.flags), stop),
        );
        tests.set(gen, made);
        // Kept for twice as many filters as the view keeps tests of (RowModel.filterTests): it may come back to any.
        if (tests.size > 32) tests.delete(tests.keys().next().value);
      }
      const gen = words[ASK_GEN];
      const kind = words[ASK_KIND];
      const i = words[ASK_PATH];
      const made = tests.get(gen);
      if (!made || gen !== Atomics.load(words, GEN)) continue;
      let value;
      try {
        value = made.some((t: { own(i: number): boolean; below(i: number): boolean }) =>
          kind === 0 ? t.own(i) : t.below(i),
        );
      } catch {
        continue; // stopped: another filter was typed
      }
      words[VALUE] = value ? 1 : 0;
      Atomics.store(words, ANSWERED, seen);
      Atomics.notify(words, ANSWERED);
      parentPort.postMessage({ gen, kind, i, value });
    }
  } catch (error) {
    // Told through the shared words: the view may be waiting on them, and reads no message then.
    Atomics.store(words, slot.dead, 1);
    Atomics.notify(words, slot.answered);
    throw error;
  }
}

/** One filter's answers so far, per path: -1 not asked yet (or not answered), 0 no, 1 yes. */
interface Answers {
  gen: number;
  needles: (string | RegExp)[];
  inPlace?: PathSearch[];
  own: Int8Array;
  below: Int8Array;
}

export class FilterThread {
  private readonly worker: Worker;
  private readonly words = new Int32Array(new SharedArrayBuffer(Object.keys(SLOT).length * 4));
  private gen = 0;
  private asked = 0;
  private last: { gen: number; kind: Kind; i: number; asked: number } | undefined;
  private readonly answers = new Map<number, Answers>();
  /** When the current key stops waiting for answers (performance.now()); Infinity: wait for every one. */
  private until = Infinity;
  /** Called when an answer arrives that a question gave up waiting for. */
  onAnswer: (() => void) | undefined;
  private waiting = false;

  /** `searchSource`: the search the thread runs, pathSearch's source (a test gives one that fails to compile). */
  constructor(
    private readonly index: PathIndex,
    searchSource = pathSearch.toString(),
  ) {
    this.worker = new Worker(`(${workerMain.toString()})(${JSON.stringify(searchSource)}, ${JSON.stringify(SLOT)})`, {
      eval: true,
      workerData: { lower: index.lower, end: index.end, shared: this.words.buffer },
    });
    // A thread that failed leaves the questions to be searched here (its error is not the user's to read).
    this.worker.on('error', () => {
      Atomics.store(this.words, SLOT.dead, 1);
      if (this.waiting) {
        this.waiting = false;
        this.onAnswer?.();
      }
    });
    this.worker.on('message', (m: { gen: number; kind: Kind; i: number; value: boolean }) => {
      const answers = this.answers.get(m.gen);
      if (answers) (m.kind === 0 ? answers.own : answers.below)[m.i] = m.value ? 1 : 0;
      if (this.waiting) {
        this.waiting = false;
        this.onAnswer?.();
      }
    });
    // Never what keeps the process alive: `q` ends it at once, whatever the thread is searching. (After the
    // listeners: adding one holds the process again.)
    this.worker.unref();
  }

  /** From now on, questions wait until `ms` from now at most (Infinity: until answered). */
  deadline(ms: number): void {
    this.until = performance.now() + ms;
  }

  /** Whether a question gave up waiting and its answer has not come yet. */
  get pending(): boolean {
    return this.waiting;
  }

  /**
   * The tests of `needles` on path numbers, answered by the thread. Made once per filter (the caller keeps them):
   * each makes the filter the current one when asked, so that the thread drops the search of any other.
   */
  tests(needles: (string | RegExp)[]): { own(i: number): boolean; below(i: number): boolean } {
    const gen = ++this.gen;
    const count = this.index.lower.length;
    const answers: Answers = { gen, needles, own: new Int8Array(count).fill(-1), below: new Int8Array(count).fill(-1) };
    this.answers.set(gen, answers);
    if (this.answers.size > 16) this.answers.delete(this.answers.keys().next().value!);
    const posted: Posted[] = needles.map((n) => (typeof n === 'string' ? n : { source: n.source, flags: n.flags }));
    this.worker.postMessage({ gen, needles: posted });
    const ask = (kind: Kind, i: number): boolean => {
      const known = (kind === 0 ? answers.own : answers.below)[i];
      if (known >= 0) return known === 1;
      return this.ask(answers, kind, i);
    };
    return { own: (i) => ask(0, i), below: (i) => ask(1, i) };
  }

  private ask(answers: Answers, kind: Kind, i: number): boolean {
    const { words } = this;
    if (Atomics.load(words, SLOT.dead)) return this.inPlace(answers, kind, i);
    if (Atomics.load(words, SLOT.gen) !== answers.gen) Atomics.store(words, SLOT.gen, answers.gen);
    // The question last asked, asked again (a key after one that gave up on it): its answer, or the thread still on
    // it, waited for rather than asked anew behind it.
    const last = this.last;
    let asked: number;
    if (last && last.gen === answers.gen && last.kind === kind && last.i === i) {
      asked = last.asked;
    } else {
      asked = ++this.asked;
      words[SLOT.askGen] = answers.gen;
      words[SLOT.askKind] = kind;
      words[SLOT.askPath] = i;
      Atomics.store(words, SLOT.asked, asked);
      Atomics.notify(words, SLOT.asked);
      this.last = { gen: answers.gen, kind, i, asked };
    }
    for (;;) {
      const answered = Atomics.load(words, SLOT.answered);
      if (answered === asked) break;
      if (Atomics.load(words, SLOT.dead)) return this.inPlace(answers, kind, i);
      const left = this.until - performance.now();
      if (left <= 0) {
        this.waiting = true;
        throw new Pending();
      }
      Atomics.wait(words, SLOT.answered, answered, left === Infinity ? undefined : left);
    }
    const value = words[SLOT.value] === 1;
    (kind === 0 ? answers.own : answers.below)[i] = value ? 1 : 0;
    return value;
  }

  /** The answer searched here: the thread died (its error went to stderr as a worker's does). */
  private inPlace(answers: Answers, kind: Kind, i: number): boolean {
    answers.inPlace ??= answers.needles.map((needle) => pathSearch(this.index, needle));
    const value = answers.inPlace.some((t) => (kind === 0 ? t.own(i) : t.below(i)));
    (kind === 0 ? answers.own : answers.below)[i] = value ? 1 : 0;
    return value;
  }

  /** Ends the thread (the view closed). */
  close(): void {
    void this.worker.terminate();
  }
}
