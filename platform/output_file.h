#pragma once
// Kept for includes elsewhere in platform/: atomic output files live in sw/output_file.h.
#include "sw/output_file.h"
