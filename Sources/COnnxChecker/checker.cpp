#include "COnnxChecker.h"
extern "C" int onnxc_available(void) { return 0; }
