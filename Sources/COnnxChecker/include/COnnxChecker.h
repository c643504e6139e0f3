// A C interface over Debian's libonnx (ONNX 1.12): the model checker and strict shape inference.
// Every C++ exception is caught inside the shim and returned as a message; nothing throws across
// this interface. Thread-safe as far as libonnx is (the schema registry is initialized once).
#pragma once
#include <stddef.h>
#include <stdint.h>
#ifdef __cplusplus
extern "C" {
#endif

/// The highest IR version the linked libonnx knows (onnx::Version::IR_VERSION; 8 for ONNX 1.12).
int onnxc_max_ir_version(void);

/// The highest opset version the linked libonnx has schemas for in `domain` ("" or "ai.onnx" for
/// the default domain, "ai.onnx.ml", ...), or -1 when it does not know the domain.
int onnxc_max_opset(const char *domain);

/// The libonnx version string the shim was built against (e.g. "1.12.0").
const char *onnxc_version(void);

/// Runs onnx::checker::check_model on the model file at `path` (external data is resolved relative to
/// the file's directory). Returns 0 when the model passes; otherwise 1 with a NUL-terminated message
/// (truncated to `err_len` - 1 bytes) in `err`.
int onnxc_check_model_path(const char *path, char *err, size_t err_len);

/// Loads the model at `path` and runs onnx::shape_inference::InferShapes with type checking and
/// strict error mode (node-level inference errors are failures). Returns 0 on success; otherwise 1
/// with a message in `err`. On success `*inferred_values` (if not NULL) receives the number of
/// value_info entries the model has after inference.
int onnxc_infer_shapes_path(const char *path, size_t *inferred_values, char *err, size_t err_len);

#ifdef __cplusplus
}
#endif
