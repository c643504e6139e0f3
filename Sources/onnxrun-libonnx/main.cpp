// onnxrun-libonnx: Debian's libonnx (ONNX 1.12) checker and strict shape inference as a separate
// process. `onnxrun check` runs it so that libonnx and its libprotobuf never share a process with
// libsentencepiece's libprotobuf-lite (the two runtimes crash when loaded together), and so that a
// crash inside libonnx cannot take onnxrun down.
//
//   onnxrun-libonnx info          prints "version V", "ir N", then "opset DOMAIN N" per known domain
//   onnxrun-libonnx check PATH    onnx::checker::check_model
//   onnxrun-libonnx infer PATH    onnx::shape_inference::InferShapes (type checks, strict errors)
//
// check/infer exit 0 on success; 1 with the message on stdout (one line) on failure; 2 on usage.
#include "COnnxChecker.h"

#include <cstdio>
#include <cstring>

static int report(int status, const char *err) {
    if (status != 0) {
        for (const char *c = err; *c; c++) std::putchar(*c == '\n' ? ' ' : *c);
        std::putchar('\n');
    }
    return status == 0 ? 0 : 1;
}

int main(int argc, char **argv) {
    static char err[8192];
    if (argc == 2 && std::strcmp(argv[1], "info") == 0) {
        std::printf("version %s\nir %d\n", onnxc_version(), onnxc_max_ir_version());
        const char *domains[] = {"", "ai.onnx.ml", "ai.onnx.training", "ai.onnx.preview.training"};
        for (const char *d : domains) {
            int v = onnxc_max_opset(d);
            if (v >= 0) std::printf("opset %s %d\n", *d ? d : "ai.onnx", v);
        }
        return 0;
    }
    if (argc == 3 && std::strcmp(argv[1], "check") == 0) return report(onnxc_check_model_path(argv[2], err, sizeof err), err);
    if (argc == 3 && std::strcmp(argv[1], "infer") == 0)
        return report(onnxc_infer_shapes_path(argv[2], nullptr, err, sizeof err), err);
    std::fprintf(stderr, "usage: onnxrun-libonnx info | check PATH | infer PATH\n");
    return 2;
}
