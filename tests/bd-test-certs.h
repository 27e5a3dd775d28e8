/* bd-test-certs.h
 *
 * SPDX-FileCopyrightText: 2026 The Billing Desk authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <glib.h>

G_BEGIN_DECLS

/* Certificates made at test time by openssl, in a temporary directory. */
typedef struct
{
  char *dir;
  char *ca_pem;       /* the private CA */
  char *server_pem;   /* for localhost and 127.0.0.1, issued by the CA */
  char *server_key;
  char *other_key;    /* belongs to no certificate here */
} BdTestCerts;

BdTestCerts *bd_test_certs_new     (void);
void         bd_test_certs_openssl (BdTestCerts        *certs,
                                    const char * const *args);
void         bd_test_certs_free    (BdTestCerts        *certs);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (BdTestCerts, bd_test_certs_free)

G_END_DECLS
