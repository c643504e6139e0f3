// wasi-nn semantics against the interpreter, engine-agnostic.
