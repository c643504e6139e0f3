#include "onnx_guard.h"
#include "onnx.pb-c.h"

/* Reads one base-128 varint: VARINT_OK, VARINT_CUT when the input ends inside it, or
 * VARINT_LONG when it runs past 10 bytes. */
enum { VARINT_OK, VARINT_CUT, VARINT_LONG };
static int read_varint(const uint8_t **p, const uint8_t *end, uint64_t *out) {
    uint64_t v = 0;
    for (int shift = 0; shift < 64; shift += 7) {
        if (*p >= end) return VARINT_CUT;
        uint8_t b = *(*p)++;
        v |= (uint64_t)(b & 0x7f) << shift;
        if (!(b & 0x80)) { *out = v; return VARINT_OK; }
    }
    return VARINT_LONG;
}

/* A field that runs past `end`: truncation when `end` is the end of the whole buffer, else a
 * length inconsistent with its enclosing message. */
#define OVERRUN(at) do { *where = (size_t)((at) - base); \
    return end == bufend ? ONNX_GUARD_TRUNCATED : ONNX_GUARD_MALFORMED; } while (0)

static int scan(const ProtobufCMessageDescriptor *d, const uint8_t *base, const uint8_t *bufend,
                const uint8_t *p, const uint8_t *end, int depth, int limit, size_t *where) {
    if (depth > limit) { *where = (size_t)(p - base); return ONNX_GUARD_TOO_DEEP; }
    int deepest = depth;
    while (p < end) {
        const uint8_t *field = p;
        uint64_t key, v;
        int rv = read_varint(&p, end, &key);
        if (rv == VARINT_CUT) OVERRUN(field);
        if (rv != VARINT_OK) { *where = (size_t)(field - base); return ONNX_GUARD_MALFORMED; }
        unsigned number = (unsigned)(key >> 3);
        switch (key & 7) {
        case 0:
            rv = read_varint(&p, end, &v);
            if (rv == VARINT_CUT) OVERRUN(field);
            if (rv != VARINT_OK) { *where = (size_t)(field - base); return ONNX_GUARD_MALFORMED; }
            break;
        case 1:
            if (end - p < 8) OVERRUN(field);
            p += 8;
            break;
        case 5:
            if (end - p < 4) OVERRUN(field);
            p += 4;
            break;
        case 2: {
            rv = read_varint(&p, end, &v);
            if (rv == VARINT_CUT) OVERRUN(field);
            if (rv != VARINT_OK) { *where = (size_t)(field - base); return ONNX_GUARD_MALFORMED; }
            if (v > (uint64_t)(end - p)) OVERRUN(field);
            const ProtobufCFieldDescriptor *f =
                d ? protobuf_c_message_descriptor_get_field(d, number) : NULL;
            if (f && f->type == PROTOBUF_C_TYPE_MESSAGE) {
                int r = scan((const ProtobufCMessageDescriptor *)f->descriptor, base, bufend, p, p + v,
                             depth + 1, limit, where);
                if (r < 0) return r;
                if (r > deepest) deepest = r;
            }
            p += v;
            break;
        }
        default: /* groups (3, 4) are not used by ONNX; 6 and 7 are invalid */
            *where = (size_t)(field - base);
            return ONNX_GUARD_MALFORMED;
        }
    }
    return deepest;
}

OnnxGuardResult onnx_guard_message_depth(const ProtobufCMessageDescriptor *desc,
                                         const uint8_t *data, size_t len, int limit) {
    OnnxGuardResult r = {0, 0};
    r.status = scan(desc, data, data + len, data, data + len, 0, limit, &r.offset);
    if (r.status >= 0) r.offset = 0;
    return r;
}

OnnxGuardResult onnx_guard_model_depth(const uint8_t *data, size_t len, int limit) {
    return onnx_guard_message_depth(&onnx__model_proto__descriptor, data, len, limit);
}
