/* SPDX-License-Identifier: MIT */
/* trace_yaml.c - placeholder, being written. */
#include "cxlemu/error.h"
