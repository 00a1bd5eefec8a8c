/** A handler's test gate: `released` settles when the test calls `release`, so a handler can be held mid-run. */
export function gate(): { released: Promise<void>; release: () => void } {
  let release: () => void = () => {};
  const released = new Promise<void>((resolve) => {
    release = resolve;
  });
  return { released, release };
}
