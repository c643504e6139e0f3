// extern "C" shim over sentencepiece::SentencePieceProcessor; contracts in include/CSentencePiece.h.
// Every entry point catches all exceptions: C++ must not unwind into Swift.
#include "CSentencePiece.h"

#include <sentencepiece_processor.h>

#include "model_check.h"

#include <cerrno>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <exception>
#include <new>
#include <string>
#include <vector>

struct csp_processor {
    sentencepiece::SentencePieceProcessor sp;
};

struct csp_encoding {
    std::vector<std::string> pieces;
    std::vector<int32_t> ids;
};

namespace {

/// A malloc'd NUL-terminated copy of `bytes[0..<length]`, or NULL when out of memory.
char *copyString(const char *bytes, size_t length) {
    char *out = static_cast<char *>(std::malloc(length + 1));
    if (out == nullptr) return nullptr;
    if (length > 0) std::memcpy(out, bytes, length);
    out[length] = '\0';
    return out;
}

void setError(char **error, const std::string &message) {
    if (error != nullptr) *error = copyString(message.data(), message.size());
}

/// Runs `body`, turning any exception into an error message and `fallback`.
template <typename Result, typename Body>
Result guarded(char **error, Result fallback, Body body) {
    try {
        return body();
    } catch (const std::bad_alloc &) {
        setError(error, "out of memory");
    } catch (const std::exception &e) {
        setError(error, std::string("sentencepiece: ") + e.what());
    } catch (...) {
        setError(error, "sentencepiece: unknown C++ exception");
    }
    return fallback;
}

bool validId(const csp_processor *p, int32_t id) { return id >= 0 && id < p->sp.GetPieceSize(); }

/// Returns the decoded text as a malloc'd string, or NULL with `*error` set.
char *finishDecode(const sentencepiece::util::Status &status, const std::string &text, size_t *out_length,
                   char **error) {
    if (!status.ok()) {
        setError(error, status.ToString());
        return nullptr;
    }
    char *out = copyString(text.data(), text.size());
    if (out == nullptr) {
        setError(error, "out of memory");
        return nullptr;
    }
    if (out_length != nullptr) *out_length = text.size();
    return out;
}

}  // namespace

/// Model files above this size are refused before reading (a 32k-piece model is about 1 MB).
constexpr long kMaxModelBytes = 256L << 20;

extern "C" csp_processor *csp_load(const char *path, char **error) {
    if (path == nullptr) {
        setError(error, "no path given");
        return nullptr;
    }
    return guarded<csp_processor *>(error, nullptr, [&]() -> csp_processor * {
        // Read the file here rather than in SentencePiece, so the bytes can be checked first.
        std::FILE *file = std::fopen(path, "rb");
        if (file == nullptr) {
            setError(error, std::string(path) + ": " + std::strerror(errno));
            return nullptr;
        }
        std::string bytes;
        char chunk[65536];
        size_t n;
        while ((n = std::fread(chunk, 1, sizeof chunk, file)) > 0) {
            if (long(bytes.size() + n) > kMaxModelBytes) {
                std::fclose(file);
                setError(error, "larger than " + std::to_string(kMaxModelBytes) + " bytes");
                return nullptr;
            }
            bytes.append(chunk, n);
        }
        const bool failed = std::ferror(file) != 0;
        const int code = errno;
        std::fclose(file);
        if (failed) {
            setError(error, std::string(path) + ": " + std::strerror(code));
            return nullptr;
        }
        return csp_load_from_bytes(bytes.data(), bytes.size(), error);
    });
}

extern "C" csp_processor *csp_load_from_bytes(const void *data, size_t length, char **error) {
    if (data == nullptr && length > 0) {
        setError(error, "no data given");
        return nullptr;
    }
    return guarded<csp_processor *>(error, nullptr, [&]() -> csp_processor * {
        std::string why;
        if (!csp::checkModel(static_cast<const uint8_t *>(data), length, &why)) {
            setError(error, why);
            return nullptr;
        }
        auto *p = new csp_processor();
        const auto status = p->sp.LoadFromSerializedProto(
            absl::string_view(static_cast<const char *>(data), length));
        if (!status.ok()) {
            setError(error, status.ToString());
            delete p;
            return nullptr;
        }
        return p;
    });
}

extern "C" void csp_free(csp_processor *processor) {
    try {
        delete processor;
    } catch (...) {
    }
}

extern "C" int32_t csp_vocab_size(const csp_processor *processor) {
    if (processor == nullptr) return 0;
    return guarded<int32_t>(nullptr, 0, [&] { return int32_t(processor->sp.GetPieceSize()); });
}

extern "C" int32_t csp_piece_to_id(const csp_processor *processor, const char *piece, size_t length) {
    if (processor == nullptr || (piece == nullptr && length > 0)) return -1;
    return guarded<int32_t>(nullptr, -1, [&] {
        return int32_t(processor->sp.PieceToId(absl::string_view(piece, length)));
    });
}

extern "C" const char *csp_id_to_piece(const csp_processor *processor, int32_t id, size_t *length) {
    if (processor == nullptr || !validId(processor, id)) return nullptr;
    return guarded<const char *>(nullptr, nullptr, [&] {
        const std::string &piece = processor->sp.IdToPiece(id);
        if (length != nullptr) *length = piece.size();
        return piece.c_str();
    });
}

extern "C" int32_t csp_unk_id(const csp_processor *processor) {
    if (processor == nullptr) return -1;
    return guarded<int32_t>(nullptr, -1, [&] { return int32_t(processor->sp.unk_id()); });
}

extern "C" csp_encoding *csp_encode(const csp_processor *processor, const char *text, size_t length,
                                    char **error) {
    if (processor == nullptr || (text == nullptr && length > 0)) {
        setError(error, "no processor or text given");
        return nullptr;
    }
    return guarded<csp_encoding *>(error, nullptr, [&]() -> csp_encoding * {
        sentencepiece::ImmutableSentencePieceText spt;
        const auto status = processor->sp.Encode(absl::string_view(text, length), spt.mutable_proto());
        if (!status.ok()) {
            setError(error, status.ToString());
            return nullptr;
        }
        auto *encoding = new csp_encoding();
        const size_t count = spt.pieces_size();
        encoding->pieces.reserve(count);
        encoding->ids.reserve(count);
        for (size_t i = 0; i < count; i++) {
            const auto piece = spt.pieces(int(i));
            encoding->pieces.push_back(piece.piece());
            encoding->ids.push_back(int32_t(piece.id()));
        }
        return encoding;
    });
}

extern "C" size_t csp_encoding_count(const csp_encoding *encoding) {
    return encoding == nullptr ? 0 : encoding->pieces.size();
}

extern "C" const char *csp_encoding_piece(const csp_encoding *encoding, size_t index, size_t *length) {
    if (encoding == nullptr || index >= encoding->pieces.size()) return nullptr;
    const std::string &piece = encoding->pieces[index];
    if (length != nullptr) *length = piece.size();
    return piece.c_str();
}

extern "C" int32_t csp_encoding_id(const csp_encoding *encoding, size_t index) {
    if (encoding == nullptr || index >= encoding->ids.size()) return -1;
    return encoding->ids[index];
}

extern "C" void csp_encoding_free(csp_encoding *encoding) {
    try {
        delete encoding;
    } catch (...) {
    }
}

extern "C" char *csp_decode_pieces(const csp_processor *processor, const char *const *pieces, const size_t *lengths,
                                   size_t count, size_t *out_length, char **error) {
    if (processor == nullptr || (count > 0 && (pieces == nullptr || lengths == nullptr))) {
        setError(error, "no processor or pieces given");
        return nullptr;
    }
    return guarded<char *>(error, nullptr, [&]() -> char * {
        std::vector<absl::string_view> views;
        views.reserve(count);
        for (size_t i = 0; i < count; i++) {
            if (pieces[i] == nullptr && lengths[i] > 0) {
                setError(error, "piece " + std::to_string(i) + " has no bytes");
                return nullptr;
            }
            views.emplace_back(pieces[i], lengths[i]);
        }
        std::string text;
        const auto status = processor->sp.Decode(views, &text);
        return finishDecode(status, text, out_length, error);
    });
}

extern "C" char *csp_decode_ids(const csp_processor *processor, const int32_t *ids, size_t count,
                                size_t *out_length, char **error) {
    if (processor == nullptr || (count > 0 && ids == nullptr)) {
        setError(error, "no processor or ids given");
        return nullptr;
    }
    return guarded<char *>(error, nullptr, [&]() -> char * {
        std::vector<int> values;
        values.reserve(count);
        for (size_t i = 0; i < count; i++) {
            // SentencePiece indexes its piece table with the id unchecked.
            if (!validId(processor, ids[i])) {
                setError(error, "id " + std::to_string(ids[i]) + " is outside the vocabulary (size " +
                                    std::to_string(processor->sp.GetPieceSize()) + ")");
                return nullptr;
            }
            values.push_back(ids[i]);
        }
        std::string text;
        const auto status = processor->sp.Decode(values, &text);
        return finishDecode(status, text, out_length, error);
    });
}

extern "C" void csp_string_free(char *string) { std::free(string); }
