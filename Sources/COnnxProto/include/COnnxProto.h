#pragma once
#include "onnx.pb-c.h"
#include "onnx_guard.h"
