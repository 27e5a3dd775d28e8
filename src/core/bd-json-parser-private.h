/* bd-json-parser-private.h
 *
 * SPDX-FileCopyrightText: 2026 The Billing Desk authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include "bd-json.h"

G_BEGIN_DECLS

/* Inside the strict parser: bd-json-parser.c (containers, literals and the
 * document) calls bd-json-parser-scalars.c (strings and numbers); both
 * report through bd-json-parser-errors.c.
 */

/* One step of the path from the root to the value being parsed: a member
 * name (borrowed from the parsing frame that owns it) or an array index.
 */
typedef struct
{
  const char *key;
  guint       index;
} BdJsonPathStep;

typedef struct
{
  const char     *data;
  gsize           length;
  gsize           pos;
  guint           depth;
  guint           n_steps;
  BdJsonPathStep  steps[BD_JSON_MAX_DEPTH];
} BdJsonParser;

static inline gboolean
_bd_json_parser_at_char (BdJsonParser *self,
                         char          c)
{
  return self->pos < self->length && self->data[self->pos] == c;
}

static inline gboolean
_bd_json_parser_at_digit (BdJsonParser *self)
{
  return self->pos < self->length && g_ascii_isdigit (self->data[self->pos]);
}

void      _bd_json_parser_set_error (BdJsonParser  *self,
                                     gsize          pos,
                                     GError       **error,
                                     const char    *format,
                                     ...) G_GNUC_PRINTF (4, 5);
char     *_bd_json_parse_string     (BdJsonParser  *self,
                                     GError       **error);
JsonNode *_bd_json_parse_number     (BdJsonParser  *self,
                                     GError       **error);

G_END_DECLS
