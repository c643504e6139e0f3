// Structural checks SentencePiece does not make on a serialized ModelProto (internal to the shim).
#pragma once
#include <cstddef>
#include <cstdint>
#include <string>

namespace csp {

/// Checks the precompiled normalization tables (`NormalizerSpec.precompiled_charsmap` of the
/// normalizer and denormalizer specs) in the serialized ModelProto `data[0..<length]`.
///
/// SentencePiece walks these double-array tries without bounds checks, so a corrupt table makes
/// it read outside the model while encoding. A table passes when every array index a lookup can
/// compute from the root, for any input byte, is inside the array, and every value it can reach
/// points inside the table's string blob. Returns false with `*why` set when a table fails or the
/// protobuf framing around it cannot be read; true when the bytes hold no table.
bool checkModel(const uint8_t *data, size_t length, std::string *why);

}  // namespace csp
