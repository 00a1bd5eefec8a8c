// The console's client code runs in the browser; the repository's tsconfig has only Node's types.
// The iterable variants keep Node code that iterates Headers and streams typing the same as before.
/// <reference lib="dom" />
/// <reference lib="dom.iterable" />
/// <reference lib="dom.asynciterable" />
