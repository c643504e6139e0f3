// extern "C" shim over libonnx 1.12 (ONNX_NAMESPACE=onnx, ONNX_ML=1, set in Package.swift).
#include "COnnxChecker.h"

#include <onnx/checker.h>
#include <onnx/common/file_utils.h>
#include <onnx/common/version.h>
#include <onnx/defs/schema.h>
#include <onnx/onnx_pb.h>
#include <onnx/shape_inference/implementation.h>

#include <cstring>
#include <exception>
#include <string>

namespace {

void copy_message(const std::string &message, char *err, size_t err_len) {
    if (err == nullptr || err_len == 0) return;
    size_t n = message.size() < err_len - 1 ? message.size() : err_len - 1;
    std::memcpy(err, message.data(), n);
    err[n] = '\0';
}

// Runs `body`, turning any exception into return value 1 and a message.
template <typename Body>
int guarded(Body body, char *err, size_t err_len) {
    try {
        body();
        return 0;
    } catch (const std::exception &e) {
        copy_message(e.what(), err, err_len);
    } catch (...) {
        copy_message("unknown C++ exception from libonnx", err, err_len);
    }
    return 1;
}

}  // namespace

extern "C" int onnxc_max_ir_version(void) { return static_cast<int>(onnx::Version::IR_VERSION); }

extern "C" int onnxc_max_opset(const char *domain) {
    try {
        std::string d = domain == nullptr ? "" : domain;
        if (d == "ai.onnx") d = "";
        const auto &map = onnx::OpSchemaRegistry::DomainToVersionRange::Instance().Map();
        auto it = map.find(d);
        return it == map.end() ? -1 : it->second.second;
    } catch (...) {
        return -1;
    }
}

extern "C" const char *onnxc_version(void) { return onnx::LAST_RELEASE_VERSION; }

extern "C" int onnxc_check_model_path(const char *path, char *err, size_t err_len) {
    if (path == nullptr) {
        copy_message("no path", err, err_len);
        return 1;
    }
    return guarded([&] { onnx::checker::check_model(std::string(path)); }, err, err_len);
}

extern "C" int onnxc_infer_shapes_path(const char *path, size_t *inferred_values, char *err, size_t err_len) {
    if (path == nullptr) {
        copy_message("no path", err, err_len);
        return 1;
    }
    return guarded(
        [&] {
            onnx::ModelProto model;
            onnx::LoadProtoFromPath(std::string(path), model);
            onnx::ShapeInferenceOptions options(/*check_type=*/true, /*strict_mode=*/1, /*data_prop=*/false);
            onnx::shape_inference::InferShapes(model, onnx::OpSchemaRegistry::Instance(), options);
            if (inferred_values != nullptr) *inferred_values = static_cast<size_t>(model.graph().value_info_size());
        },
        err, err_len);
}
