// Contracts in model_check.h. Wire format: https://protobuf.dev/programming-guides/encoding/
// ModelProto: normalizer_spec = 3, denormalizer_spec = 5 (NormalizerSpec messages);
// NormalizerSpec: precompiled_charsmap = 2 (bytes). A charsmap is
// [uint32 little-endian trie byte count][darts-clone double array][NUL-separated strings].
#include "model_check.h"

#include <cstring>
#include <vector>

namespace csp {
namespace {

/// Tables above this many trie units are refused (nmt_nfkc's has about 60k).
constexpr size_t kMaxTrieUnits = size_t(1) << 22;

struct Reader {
    const uint8_t *p;
    const uint8_t *end;

    bool varint(uint64_t *out) {
        uint64_t v = 0;
        for (int shift = 0; shift < 64; shift += 7) {
            if (p == end) return false;
            const uint8_t b = *p++;
            v |= uint64_t(b & 0x7F) << shift;
            if ((b & 0x80) == 0) {
                *out = v;
                return true;
            }
        }
        return false;
    }

    /// Reads one field: its number and, for length-delimited fields, its payload.
    /// Returns false on malformed framing (groups included: a model has none).
    bool field(uint32_t *number, const uint8_t **payload, size_t *size, bool *delimited) {
        uint64_t tag;
        if (!varint(&tag)) return false;
        *number = uint32_t(tag >> 3);
        *delimited = false;
        switch (tag & 7) {
        case 0: {
            uint64_t ignored;
            return varint(&ignored);
        }
        case 1:
            if (end - p < 8) return false;
            p += 8;
            return true;
        case 5:
            if (end - p < 4) return false;
            p += 4;
            return true;
        case 2: {
            uint64_t n;
            if (!varint(&n) || n > uint64_t(end - p)) return false;
            *payload = p;
            *size = size_t(n);
            *delimited = true;
            p += n;
            return true;
        }
        default:
            return false;
        }
    }
};

uint32_t loadUnit(const uint8_t *trie, size_t index) {
    uint32_t u;
    std::memcpy(&u, trie + index * 4, 4);
    return u;  // little-endian hosts only, as SentencePiece itself reads it
}

uint32_t offsetOf(uint32_t unit) { return (unit >> 10) << ((unit & (1U << 9)) >> 6); }
bool hasLeaf(uint32_t unit) { return ((unit >> 8) & 1) == 1; }
uint32_t labelOf(uint32_t unit) { return unit & ((1U << 31) | 0xFF); }
uint32_t valueOf(uint32_t unit) { return unit & ((1U << 31) - 1); }

/// Simulates darts-clone's commonPrefixSearch over every reachable node and every byte.
bool checkCharsmap(const uint8_t *blob, size_t size, std::string *why) {
    if (size == 0) return true;  // no table: SentencePiece skips normalization by table
    if (size <= 4) {
        *why = "normalization table is truncated";
        return false;
    }
    uint32_t trieBytes;
    std::memcpy(&trieBytes, blob, 4);
    if (trieBytes > size - 4) {
        *why = "normalization table size exceeds the table";
        return false;
    }
    const uint8_t *trie = blob + 4;
    const size_t units = trieBytes / 4;
    const size_t stringsSize = size - 4 - trieBytes;
    if (units == 0 || units > kMaxTrieUnits) {
        *why = "normalization table has " + std::to_string(units) + " trie units";
        return false;
    }
    std::vector<uint8_t> seen(units, 0);
    std::vector<size_t> stack{0};
    seen[0] = 1;
    while (!stack.empty()) {
        const size_t node = stack.back();
        stack.pop_back();
        const size_t base = node ^ offsetOf(loadUnit(trie, node));
        for (uint32_t c = 0; c < 256; c++) {
            const size_t child = base ^ c;
            if (child >= units) {
                *why = "normalization table indexes outside its trie";
                return false;
            }
            const uint32_t unit = loadUnit(trie, child);
            if (labelOf(unit) != c) continue;
            const size_t childBase = child ^ offsetOf(unit);
            if (hasLeaf(unit)) {
                if (childBase >= units) {
                    *why = "normalization table indexes outside its trie";
                    return false;
                }
                if (valueOf(loadUnit(trie, childBase)) >= stringsSize) {
                    *why = "normalization table points outside its strings";
                    return false;
                }
            }
            if (!seen[child]) {
                seen[child] = 1;
                stack.push_back(child);
            }
        }
    }
    return true;
}

bool checkNormalizerSpec(const uint8_t *data, size_t length, std::string *why) {
    Reader r{data, data + length};
    while (r.p != r.end) {
        uint32_t number;
        const uint8_t *payload = nullptr;
        size_t size = 0;
        bool delimited;
        if (!r.field(&number, &payload, &size, &delimited)) {
            *why = "malformed normalizer spec";
            return false;
        }
        if (number == 2 && delimited && !checkCharsmap(payload, size, why)) return false;
    }
    return true;
}

}  // namespace

bool checkModel(const uint8_t *data, size_t length, std::string *why) {
    Reader r{data, data + length};
    while (r.p != r.end) {
        uint32_t number;
        const uint8_t *payload = nullptr;
        size_t size = 0;
        bool delimited;
        if (!r.field(&number, &payload, &size, &delimited)) {
            *why = "malformed protobuf framing";
            return false;
        }
        if ((number == 3 || number == 5) && delimited && !checkNormalizerSpec(payload, size, why)) return false;
    }
    return true;
}

}  // namespace csp
