/* SPDX-License-Identifier: MIT */
/* hdm_decode.c - placeholder, being written. */
#include "cxlemu/error.h"
