#pragma once
/* Data movement kernels (Transpose, Slice, Expand, Tile, Split, Gather, GatherElements, fills).
 * Element-type agnostic: elements are `elem_size` opaque bytes (1, 2, 4, 8 and 16 have fast
 * paths, any other size is copied with memcpy). Strides and offsets count elements, not bytes. */
#include <stddef.h>
#include <stdint.h>

/** Largest rank ck_copy_strided accepts (after dropping size-1 dims it may be lower). */
#define CK_MOVE_MAX_RANK 64

/** Copies the view of `src` with `shape[rank]` and element strides `src_strides[rank]` (any sign,
 *  0 broadcasts) into contiguous row-major `dst`. `src` points at the view's first element.
 *  Returns 0, or -1 when rank > CK_MOVE_MAX_RANK (nothing written). */
int ck_copy_strided(void *dst, const void *src, size_t elem_size, int rank,
                    const int64_t *shape, const int64_t *src_strides);

/** Gather along one axis: dst[o][i][*] = src[o][idx[i]][*] for o < outer, i < n, where each
 *  slice is `block_bytes` bytes and src has `axis_dim` slices per outer step. Negative indices
 *  count from the end. Validates every index first: returns -1 on success, or the position of the
 *  first index outside [-axis_dim, axis_dim) (nothing written). */
int64_t ck_gather_i64(void *dst, const void *src, int64_t outer, int64_t axis_dim, size_t block_bytes,
                      const int64_t *idx, int64_t n);
int64_t ck_gather_i32(void *dst, const void *src, int64_t outer, int64_t axis_dim, size_t block_bytes,
                      const int32_t *idx, int64_t n);

/** GatherElements: for every position p of the index tensor (shape `shape[rank]`, contiguous),
 *  dst[p] = src[sum_{d != axis} p[d] * src_strides[d] + idx[p] * src_strides[axis]].
 *  Negative indices count from `axis_dim`. Returns -1 on success or the position of the first
 *  index outside [-axis_dim, axis_dim) (nothing written), or -2 when rank > CK_MOVE_MAX_RANK. */
int64_t ck_gather_elements(void *dst, const void *src, size_t elem_size, int rank, const int64_t *shape,
                           const int64_t *src_strides, int axis, int64_t axis_dim,
                           const void *idx, int idx_is_64);

/** Fills `count` elements of `dst` with the `elem_size`-byte pattern at `value`. */
void ck_fill(void *dst, const void *value, size_t elem_size, int64_t count);
