#include "CSentencePiece.h"
#include <sentencepiece_processor.h>
extern "C" const char *csp_version(void) { return "sentencepiece"; }
