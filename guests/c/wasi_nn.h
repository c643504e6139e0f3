/* wasi_nn.h: the witx (preview1) wasi-nn ABI, import module "wasi_ephemeral_nn".
 *
 * Every call returns an nn_errno (0 = success). Handles are u32. Tensor types use the spec
 * numbering of WebAssembly/wasi-nn PR #54 (f16 0, f32 1, f64 2, u8 3, i32 4, i64 5). */
#ifndef GUESTS_WASI_NN_H
#define GUESTS_WASI_NN_H

#include <stddef.h>
#include <stdint.h>

enum nn_errno {
    NN_SUCCESS = 0, NN_INVALID_ARGUMENT = 1, NN_INVALID_ENCODING = 2, NN_MISSING_MEMORY = 3,
    NN_BUSY = 4, NN_RUNTIME_ERROR = 5, NN_UNSUPPORTED_OPERATION = 6, NN_TOO_LARGE = 7, NN_NOT_FOUND = 8
};
enum nn_tensor_type { NN_F16 = 0, NN_F32 = 1, NN_F64 = 2, NN_U8 = 3, NN_I32 = 4, NN_I64 = 5 };
enum nn_encoding { NN_ENCODING_ONNX = 1 };
enum nn_target { NN_TARGET_CPU = 0 };

/* One builder of load(): a list<u8>. */
typedef struct { const uint8_t *data; uint32_t len; } nn_buffer;

/* The 20-byte tensor record: dims_ptr @0, dims_len @4, type u8 @8, data_ptr @12, data_len @16. */
typedef struct {
    const uint32_t *dims;
    uint32_t dims_len;
    uint8_t type;
    const void *data;
    uint32_t data_len;
} nn_tensor;
_Static_assert(sizeof(nn_tensor) == 20, "witx tensor record is 20 bytes");
_Static_assert(offsetof(nn_tensor, type) == 8, "type at offset 8");
_Static_assert(offsetof(nn_tensor, data) == 12, "data at offset 12");
_Static_assert(offsetof(nn_tensor, data_len) == 16, "data_len at offset 16");

#define NN_IMPORT(name) __attribute__((import_module("wasi_ephemeral_nn"), import_name(name)))

NN_IMPORT("load")
int32_t nn_load(const nn_buffer *builders, uint32_t count, uint32_t encoding, uint32_t target, uint32_t *graph);
NN_IMPORT("load_by_name")
int32_t nn_load_by_name(const char *name, uint32_t name_len, uint32_t *graph);
NN_IMPORT("init_execution_context")
int32_t nn_init_execution_context(uint32_t graph, uint32_t *ctx);
NN_IMPORT("set_input")
int32_t nn_set_input(uint32_t ctx, uint32_t index, const nn_tensor *tensor);
NN_IMPORT("compute")
int32_t nn_compute(uint32_t ctx);
NN_IMPORT("get_output")
int32_t nn_get_output(uint32_t ctx, uint32_t index, void *out, uint32_t out_max, uint32_t *bytes_written);

static inline const char *nn_errno_name(int32_t e) {
    switch (e) {
    case 0: return "success";
    case 1: return "invalid_argument";
    case 2: return "invalid_encoding";
    case 3: return "missing_memory";
    case 4: return "busy";
    case 5: return "runtime_error";
    case 6: return "unsupported_operation";
    case 7: return "too_large";
    case 8: return "not_found";
    default: return "unknown";
    }
}

#endif
