// A plain C interface to SentencePiece (Debian libsentencepiece-dev), so Swift can use it without
// C++ interoperability.
//
// Ownership: every object a `csp_*` function returns is owned by the caller and released by the
// matching `csp_*_free` call: a processor by `csp_free`, an encoding by `csp_encoding_free`, a
// decoded string or an error message by `csp_string_free`. Pointers documented as *borrowed* stay
// valid as long as the object they come from and must not be freed.
//
// Strings crossing the interface are UTF-8 byte spans given as (pointer, length); they may contain
// NUL bytes. Every function catches all C++ exceptions and reports them as errors; none aborts.
// A loaded processor is immutable: its functions may be called from several threads at once.
#pragma once
#include <stddef.h>
#include <stdint.h>
#ifdef __cplusplus
extern "C" {
#endif

/// A loaded SentencePiece model (a `sentencepiece::SentencePieceProcessor`).
typedef struct csp_processor csp_processor;

/// The pieces of one encoded text, with their SentencePiece ids.
typedef struct csp_encoding csp_encoding;

/// Loads the SentencePiece model file at `path` (NUL-terminated, at most 256 MiB).
/// Returns NULL on failure and, when `error` is not NULL, stores there a message naming the
/// problem (missing file, not a model), to be released with `csp_string_free`.
/// Before SentencePiece sees the bytes, the model's precompiled normalization tables are checked
/// (SentencePiece walks them without bounds checks; a damaged table would crash it).
csp_processor *csp_load(const char *path, char **error);

/// Loads a model from the serialized `ModelProto` bytes `data[0..<length]`; errors as `csp_load`.
csp_processor *csp_load_from_bytes(const void *data, size_t length, char **error);

/// Releases a processor (NULL is ignored).
void csp_free(csp_processor *processor);

/// The number of pieces in the model's vocabulary (SentencePiece ids are 0..<size).
int32_t csp_vocab_size(const csp_processor *processor);

/// The id of `piece`, or the model's unknown id when the model has no such piece (-1 on an
/// internal error).
int32_t csp_piece_to_id(const csp_processor *processor, const char *piece, size_t length);

/// The piece with SentencePiece id `id`, borrowed from the processor; its byte count goes to
/// `*length`. NULL when `id` is outside 0..<csp_vocab_size.
const char *csp_id_to_piece(const csp_processor *processor, int32_t id, size_t *length);

/// The model's unknown-piece id (-1 if it has none).
int32_t csp_unk_id(const csp_processor *processor);

/// Segments the UTF-8 text `text[0..<length]` into pieces (no BOS/EOS added, no sampling).
/// Returns NULL on failure with `*error` set as in `csp_load`.
csp_encoding *csp_encode(const csp_processor *processor, const char *text, size_t length, char **error);

/// Number of pieces in an encoding.
size_t csp_encoding_count(const csp_encoding *encoding);

/// Piece `index` (< count), borrowed from the encoding; its byte count goes to `*length`.
/// Unknown text comes back as its own (normalized) surface with the unknown id.
const char *csp_encoding_piece(const csp_encoding *encoding, size_t index, size_t *length);

/// SentencePiece id of piece `index` (< count).
int32_t csp_encoding_id(const csp_encoding *encoding, size_t index);

/// Releases an encoding (NULL is ignored).
void csp_encoding_free(csp_encoding *encoding);

/// Detokenizes `count` pieces (`pieces[i][0..<lengths[i]]`) as SentencePiece's `DecodePieces`.
/// Returns the text (NUL-terminated, its byte count in `*out_length`; release with
/// `csp_string_free`), or NULL on failure with `*error` set as in `csp_load`.
char *csp_decode_pieces(const csp_processor *processor, const char *const *pieces, const size_t *lengths,
                        size_t count, size_t *out_length, char **error);

/// Detokenizes `count` SentencePiece ids as `DecodeIds`; results and errors as
/// `csp_decode_pieces`. Ids outside the vocabulary are an error.
char *csp_decode_ids(const csp_processor *processor, const int32_t *ids, size_t count, size_t *out_length,
                     char **error);

/// Releases a string returned by this interface (NULL is ignored).
void csp_string_free(char *string);

#ifdef __cplusplus
}
#endif
