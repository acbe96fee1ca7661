/* SPDX-License-Identifier: MIT */
/* trace_names.c - placeholder, being written. */
#include "cxlemu/error.h"
