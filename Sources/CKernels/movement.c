/* Data movement kernels; contracts in include/ck_movement.h. */
#include "ck_movement.h"
#include <string.h>

/* Copies n elements from s (stride ss elements, any sign) to contiguous d. */
static void row_copy(char *d, const char *s, size_t es, int64_t n, int64_t ss) {
    if (ss == 1) { memcpy(d, s, (size_t)n * es); return; }
    const ptrdiff_t sb = (ptrdiff_t)ss * (ptrdiff_t)es;
    switch (es) {
    case 1:
        if (ss == 0) { memset(d, *s, (size_t)n); return; }
        for (int64_t i = 0; i < n; i++) d[i] = s[i * sb];
        return;
#define ROW_CASE(W, T)                                                        \
    case W: {                                                                 \
        T v;                                                                  \
        if (ss == 0) {                                                        \
            memcpy(&v, s, W);                                                 \
            for (int64_t i = 0; i < n; i++) memcpy(d + i * W, &v, W);         \
        } else {                                                              \
            for (int64_t i = 0; i < n; i++) {                                 \
                memcpy(&v, s + i * sb, W);                                    \
                memcpy(d + i * W, &v, W);                                     \
            }                                                                 \
        }                                                                     \
        return;                                                               \
    }
    ROW_CASE(2, uint16_t)
    ROW_CASE(4, uint32_t)
    ROW_CASE(8, uint64_t)
#undef ROW_CASE
    default:
        for (int64_t i = 0; i < n; i++) memcpy(d + (size_t)i * es, s + i * sb, es);
        return;
    }
}

/* dst[a * da + b] = src[a + b * sb] for a < na, b < nb (element units), in square tiles so both the
 * strided reads and the contiguous writes stay in cache. */
#define TILE 16
static void tile_copy(char *d, const char *s, size_t es, int64_t na, int64_t da, int64_t nb, int64_t sb) {
    for (int64_t a0 = 0; a0 < na; a0 += TILE) {
        const int64_t a1 = a0 + TILE < na ? a0 + TILE : na;
        for (int64_t b0 = 0; b0 < nb; b0 += TILE) {
            const int64_t b1 = b0 + TILE < nb ? b0 + TILE : nb;
            switch (es) {
#define TILE_CASE(W, T)                                                       \
            case W:                                                           \
                for (int64_t a = a0; a < a1; a++)                             \
                    for (int64_t b = b0; b < b1; b++) {                       \
                        T v;                                                  \
                        memcpy(&v, s + (a + b * sb) * W, W);                  \
                        memcpy(d + (a * da + b) * W, &v, W);                  \
                    }                                                         \
                break;
            TILE_CASE(1, uint8_t)
            TILE_CASE(2, uint16_t)
            TILE_CASE(4, uint32_t)
            TILE_CASE(8, uint64_t)
#undef TILE_CASE
            default:
                for (int64_t a = a0; a < a1; a++)
                    for (int64_t b = b0; b < b1; b++)
                        memcpy(d + (size_t)(a * da + b) * es, s + (a + b * sb) * (ptrdiff_t)es, es);
                break;
            }
        }
    }
}

int ck_copy_strided(void *dst, const void *src, size_t es, int rank,
                    const int64_t *shape_in, const int64_t *strides_in) {
    if (rank > CK_MOVE_MAX_RANK || rank < 0) return -1;
    int64_t shape[CK_MOVE_MAX_RANK], ss[CK_MOVE_MAX_RANK], ds[CK_MOVE_MAX_RANK];
    int r = 0;
    for (int i = 0; i < rank; i++) {
        if (shape_in[i] == 0) return 0;
        if (shape_in[i] == 1) continue;
        /* Merge with the previous kept dim when the two walk memory as one. */
        if (r > 0 && ss[r - 1] == strides_in[i] * shape_in[i]) {
            shape[r - 1] *= shape_in[i];
            ss[r - 1] = strides_in[i];
            continue;
        }
        shape[r] = shape_in[i];
        ss[r] = strides_in[i];
        r++;
    }
    char *d = (char *)dst;
    const char *s = (const char *)src;
    if (r == 0) { memcpy(d, s, es); return 0; }
    ds[r - 1] = 1;
    for (int i = r - 2; i >= 0; i--) ds[i] = ds[i + 1] * shape[i + 1];
    const int last = r - 1;
    int t = -1;
    if (ss[last] != 1 && ss[last] != 0 && shape[last] >= 4) {
        for (int i = 0; i < last; i++)
            if (ss[i] == 1 && shape[i] >= 4) { t = i; break; }
    }
    int outer[CK_MOVE_MAX_RANK], k = 0;
    for (int i = 0; i < last; i++)
        if (i != t) outer[k++] = i;
    int64_t c[CK_MOVE_MAX_RANK];
    for (int j = 0; j < k; j++) c[j] = 0;
    ptrdiff_t so = 0, dof = 0;
    for (;;) {
        if (t >= 0)
            tile_copy(d + dof * (ptrdiff_t)es, s + so * (ptrdiff_t)es, es, shape[t], ds[t], shape[last], ss[last]);
        else
            row_copy(d + dof * (ptrdiff_t)es, s + so * (ptrdiff_t)es, es, shape[last], ss[last]);
        int j = k - 1;
        for (; j >= 0; j--) {
            const int dim = outer[j];
            so += ss[dim];
            dof += ds[dim];
            if (++c[j] < shape[dim]) break;
            so -= ss[dim] * shape[dim];
            dof -= ds[dim] * shape[dim];
            c[j] = 0;
        }
        if (j < 0) break;
    }
    return 0;
}

static inline void copy_block(char *d, const char *s, size_t block) {
    switch (block) {
    case 1: *d = *s; break;
    case 2: memcpy(d, s, 2); break;
    case 4: memcpy(d, s, 4); break;
    case 8: memcpy(d, s, 8); break;
    default: memcpy(d, s, block); break;
    }
}

#define GATHER_IMPL(NAME, IT)                                                                  \
int64_t NAME(void *dst, const void *src, int64_t outer, int64_t axis_dim, size_t block,       \
             const IT *idx, int64_t n) {                                                       \
    for (int64_t i = 0; i < n; i++)                                                            \
        if (idx[i] < -axis_dim || idx[i] >= axis_dim) return i;                                \
    char *d = (char *)dst;                                                                     \
    const char *s = (const char *)src;                                                         \
    for (int64_t o = 0; o < outer; o++) {                                                      \
        const char *so = s + (size_t)o * (size_t)axis_dim * block;                             \
        for (int64_t i = 0; i < n; i++) {                                                      \
            int64_t j = idx[i] < 0 ? idx[i] + axis_dim : idx[i];                               \
            copy_block(d, so + (size_t)j * block, block);                                      \
            d += block;                                                                        \
        }                                                                                      \
    }                                                                                          \
    return -1;                                                                                 \
}
GATHER_IMPL(ck_gather_i64, int64_t)
GATHER_IMPL(ck_gather_i32, int32_t)

int64_t ck_gather_elements(void *dst, const void *src, size_t es, int rank, const int64_t *shape,
                           const int64_t *src_strides, int axis, int64_t axis_dim,
                           const void *idx, int idx_is_64) {
    if (rank > CK_MOVE_MAX_RANK || rank < 1) return -2;
    int64_t total = 1;
    for (int i = 0; i < rank; i++) total *= shape[i];
    const int64_t *i64 = (const int64_t *)idx;
    const int32_t *i32 = (const int32_t *)idx;
    for (int64_t p = 0; p < total; p++) {
        const int64_t v = idx_is_64 ? i64[p] : (int64_t)i32[p];
        if (v < -axis_dim || v >= axis_dim) return p;
    }
    if (total == 0) return -1;
    int64_t st[CK_MOVE_MAX_RANK], c[CK_MOVE_MAX_RANK];
    for (int i = 0; i < rank; i++) { st[i] = i == axis ? 0 : src_strides[i]; c[i] = 0; }
    const int64_t sa = src_strides[axis];
    const int last = rank - 1;
    const int64_t n = shape[last];
    char *d = (char *)dst;
    const char *s = (const char *)src;
    int64_t p = 0;
    ptrdiff_t base = 0;
    for (;;) {
        for (int64_t x = 0; x < n; x++, p++) {
            int64_t v = idx_is_64 ? i64[p] : (int64_t)i32[p];
            if (v < 0) v += axis_dim;
            memcpy(d + (size_t)p * es, s + (base + x * st[last] + v * sa) * (ptrdiff_t)es, es);
        }
        int j = last - 1;
        for (; j >= 0; j--) {
            base += st[j];
            if (++c[j] < shape[j]) break;
            base -= st[j] * shape[j];
            c[j] = 0;
        }
        if (j < 0) break;
    }
    return -1;
}

void ck_fill(void *dst, const void *value, size_t es, int64_t count) {
    if (count <= 0) return;
    char *d = (char *)dst;
    const char *v = (const char *)value;
    int zero = 1;
    for (size_t i = 0; i < es; i++) if (v[i]) { zero = 0; break; }
    if (zero || es == 1) { memset(d, zero ? 0 : v[0], (size_t)count * es); return; }
    /* Write one element, then double the filled prefix. */
    memcpy(d, v, es);
    size_t filled = es, total = (size_t)count * es;
    while (filled < total) {
        size_t n = filled < total - filled ? filled : total - filled;
        memcpy(d + filled, d, n);
        filled += n;
    }
}
