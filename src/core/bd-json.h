/* bd-json.h
 *
 * SPDX-FileCopyrightText: 2026 The Billing Desk authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <json-glib/json-glib.h>
#include <string.h>

G_BEGIN_DECLS

/* Strict JSON for every document Billing Desk reads: a parser that refuses
 * what json-glib 1.6 lets through, and readers that type-check each member
 * and name its path (`subscriptions[3].quantity`) in a BD_CORE_ERROR_INVALID.
 * bd_json_to_data () writes with its own writer: json-glib 1.6's generator
 * leaves U+001F unescaped and writes 5e50 as `5e+50.0`, which no strict
 * reader takes back.
 */

typedef enum
{
  BD_JSON_OPTIONAL  = 0,
  BD_JSON_REQUIRED  = 1 << 0,  /* the key must be present */
  BD_JSON_NULLABLE  = 1 << 1,  /* null is accepted: pointers read NULL, scalars stay as
                                * they are; with REQUIRED, present but maybe null */
  BD_JSON_NON_EMPTY = 1 << 2,  /* strings: at least one character */
  BD_JSON_RELATIVE  = 1 << 3,  /* times: `now`, `now-3d`, `now+27d12h` too */
} BdJsonFlags;

#define BD_JSON_MAX_DEPTH 64

JsonNode   *bd_json_parse             (const char          *data,
                                       gssize               length,
                                       GError             **error);
char       *bd_json_to_data           (JsonNode            *node,
                                       gsize               *length);
void        bd_json_append_string     (GString             *out,
                                       const char          *str);
void        bd_json_append_int        (GString             *out,
                                       gint64               value);

/* g_string_append_len () without its function call while the room is there
 * already (GLib 2.74 does not inline it): for the writers of the service's
 * list, which append a few thousand short pieces a page.
 */
static inline void
bd_json_put (GString    *out,
             const char *bytes,
             gsize       length)
{
  if (out->len + length < out->allocated_len)
    {
      memcpy (out->str + out->len, bytes, length);
      out->len += length;
      out->str[out->len] = '\0';
    }
  else
    g_string_append_len (out, bytes, length);
}
void        bd_json_add_time_member   (JsonBuilder         *builder,
                                       const char          *key,
                                       gint64               value);

char       *bd_json_path_member       (const char          *parent,
                                       const char          *key);
char       *bd_json_path_index        (const char          *parent,
                                       guint                index);

JsonObject *bd_json_expect_object     (JsonNode            *node,
                                       const char          *path,
                                       const char * const  *known_keys,
                                       GError             **error);
gboolean    bd_json_read_string       (JsonObject          *object,
                                       const char          *parent,
                                       const char          *key,
                                       BdJsonFlags          flags,
                                       const char         **value,
                                       GError             **error);
gboolean    bd_json_read_int          (JsonObject          *object,
                                       const char          *parent,
                                       const char          *key,
                                       BdJsonFlags          flags,
                                       gint64               min,
                                       gint64               max,
                                       gint64              *value,
                                       GError             **error);
gboolean    bd_json_read_bool         (JsonObject          *object,
                                       const char          *parent,
                                       const char          *key,
                                       BdJsonFlags          flags,
                                       gboolean            *value,
                                       GError             **error);
gboolean    bd_json_read_time         (JsonObject          *object,
                                       const char          *parent,
                                       const char          *key,
                                       BdJsonFlags          flags,
                                       gint64               now,
                                       gint64              *value,
                                       GError             **error);
gboolean    bd_json_read_array        (JsonObject          *object,
                                       const char          *parent,
                                       const char          *key,
                                       BdJsonFlags          flags,
                                       JsonArray          **value,
                                       GError             **error);
gboolean    bd_json_read_object       (JsonObject          *object,
                                       const char          *parent,
                                       const char          *key,
                                       BdJsonFlags          flags,
                                       const char * const  *known_keys,
                                       JsonObject         **value,
                                       GError             **error);
const char *bd_json_expect_string     (JsonNode            *node,
                                       const char          *path,
                                       GError             **error);
void        bd_json_set_unknown_value (GError             **error,
                                       const char          *path,
                                       const char          *value);

G_END_DECLS
