#pragma once
#include <stddef.h>
#ifdef __cplusplus
extern "C" {
#endif
/// The linked SentencePiece library's version string (placeholder until the shim lands).
const char *csp_version(void);
#ifdef __cplusplus
}
#endif
