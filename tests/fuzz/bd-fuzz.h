/* bd-fuzz.h: what every libFuzzer target shares.
 *
 * SPDX-FileCopyrightText: 2026 The Billing Desk authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <stddef.h>
#include <stdint.h>

#include <glib.h>

G_BEGIN_DECLS

/* The clock of every target: the test tenant's (tests/service-tenant.h). */
#define BD_FUZZ_NOW "2026-11-03T00:00:00Z"

/* libFuzzer's entry points */
int    LLVMFuzzerInitialize   (int            *argc,
                               char         ***argv);
int    LLVMFuzzerTestOneInput (const uint8_t  *data,
                               size_t          size);

void   bd_fuzz_setup          (void);
gint64 bd_fuzz_now            (void);

/* A failed invariant: abort, so that libFuzzer keeps the input. */
#define bd_fuzz_check(expr) \
  G_STMT_START { \
    if (G_UNLIKELY (!(expr))) \
      { \
        g_printerr ("%s:%d: invariant failed: %s\n", __FILE__, __LINE__, #expr); \
        abort (); \
      } \
  } G_STMT_END

G_END_DECLS
