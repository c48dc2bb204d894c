/**
 * Numbers that start whole and later hold fractions, stored so V8 never has to change how it keeps
 * them. V8 gives an object field (or an array's elements) the representation of the first value
 * it sees: a small integer first, then a fraction, changes the object's hidden class (the array's
 * elements kind) and throws away all optimised code that relied on the old one. The simulator's
 * limiters run only a few hundred steps per stack, so those recompilations were a large share of a
 * first run's CPU (V8's compiler threads). Starting from a fraction fixes the representation as
 * double from the outset; the values then hold are unchanged.
 */

/** An empty array whose elements are kept as doubles. */
export function doubleArray(): number[] {
  const a = [0.5];
  a.pop();
  return a;
}

/** An empty array whose elements are kept as objects (like `sample`): the first push changes nothing. */
export function objectArray<T extends object>(sample: T): T[] {
  const a = [sample];
  a.pop();
  return a;
}

/**
 * A record whose field `n` is kept as a double (the simulator's flows: a count that starts at 0 and
 * then holds fractions). `make` builds it around the `n` given; it starts at 0.
 */
export function withDoubleN<T extends { n: number }>(make: (n: number) => T): T {
  const o = make(0.5);
  o.n = 0;
  return o;
}
