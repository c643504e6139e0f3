// Links wasi_ephemeral_nn into a WasmKit instance.
