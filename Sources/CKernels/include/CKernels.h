#pragma once
/* Graph-agnostic compute kernels on raw pointers. Each family has its own header; every kernel
 * has a portable scalar reference, and vectorized tiers are selected at run time. */
#include "ck_cpu.h"
#include "ck_gemm.h"
#include "ck_elementwise.h"
#include "ck_reduce.h"
#include "ck_convert.h"
#include "ck_movement.h"
