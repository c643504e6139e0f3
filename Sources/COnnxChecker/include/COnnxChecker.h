#pragma once
#include <stddef.h>
#include <stdint.h>
#ifdef __cplusplus
extern "C" {
#endif
/// Placeholder until the checker shim lands: returns 0.
int onnxc_available(void);
#ifdef __cplusplus
}
#endif
