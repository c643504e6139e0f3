#pragma once
#include <stddef.h>
#include <stdint.h>
#include <protobuf-c/protobuf-c.h>

/// Result of a wire-format scan that runs before protobuf-c's `unpack`, which has no recursion
/// limit of its own (a 60 KB file of ~3000 nested subgraphs overflows its stack).
typedef struct {
    /// >= 0: deepest sub-message nesting seen; ONNX_GUARD_MALFORMED, ONNX_GUARD_TOO_DEEP or ONNX_GUARD_TRUNCATED.
    int status;
    /// Byte offset (from the start of the scanned buffer) where the problem was found; 0 on success.
    size_t offset;
} OnnxGuardResult;

enum { ONNX_GUARD_MALFORMED = -1, ONNX_GUARD_TOO_DEEP = -2, ONNX_GUARD_TRUNCATED = -3 /* input ends inside a field */ };

/// Scans `data[0..<len]` as a message of type `desc` without allocating. Stops as soon as the
/// nesting depth passes `limit` or the wire format is malformed (truncated varint or field,
/// a length past the end of its enclosing message, a group or an unknown wire type).
OnnxGuardResult onnx_guard_message_depth(const ProtobufCMessageDescriptor *desc,
                                         const uint8_t *data, size_t len, int limit);

/// `onnx_guard_message_depth` for an `onnx.ModelProto`.
OnnxGuardResult onnx_guard_model_depth(const uint8_t *data, size_t len, int limit);
