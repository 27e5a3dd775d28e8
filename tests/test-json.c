/* test-json.c
 *
 * SPDX-FileCopyrightText: 2026 The Billing Desk authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <math.h>
#include <string.h>

#include "bd-error.h"
#include "bd-json.h"
#include "bd-test-utils.h"

/* 2026-11-03T00:00:00Z */
#define TEST_TIME ((gint64) 1793664000)

/* Checks a BD_CORE_ERROR_INVALID: its path (NULL for the top level) and,
 * when @substring is not NULL, a piece of its (English) message.
 */
static void
assert_invalid (const GError *error,
                const char   *path,
                const char   *substring)
{
  g_assert_error (error, BD_CORE_ERROR, BD_CORE_ERROR_INVALID);
  g_test_message ("error: %s", error->message);
  g_assert_cmpstr (bd_core_error_get_path (error), ==, path);

  if (path != NULL)
    {
      g_autofree char *prefix = g_strconcat (path, ": ", NULL);

      g_assert_true (g_str_has_prefix (error->message, prefix));
    }

  if (substring != NULL)
    g_assert_nonnull (strstr (error->message, substring));
}

/*
 * Parser: valid documents
 */

typedef struct
{
  const char *input;
  const char *output;  /* NULL: the same as input */
} RoundTripCase;

static const RoundTripCase round_trip_cases[] = {
  { "{}", NULL },
  { "[]", NULL },
  { "0", NULL },
  { "\"\"", NULL },
  { "true", NULL },
  { "false", NULL },
  { "null", NULL },
  { "{\"a\":1,\"b\":[true,false,null],\"c\":{\"d\":\"e\"}}", NULL },
  { "{\"b\":1,\"a\":2}", NULL },
  { "{\"\":1}", NULL },
  { "[[[]],[{}],{\"x\":[{\"y\":[]}]}]", NULL },
  { " \t\r\n[ 1 ,\n2 ]\r\n ", "[1,2]" },
  { "{ \"a\" : 1 , \"b\" : 2 }", "{\"a\":1,\"b\":2}" },
  { "9223372036854775807", NULL },
  { "-9223372036854775808", NULL },
  { "[0,-0,-1,10]", "[0,0,-1,10]" },
  { "1.5", NULL },
  { "-0.25", NULL },
  { "1E2", "100.0" },
  { "2.5e-1", "0.25" },
  { "1e-999", "0.0" },
  { "-0.0", NULL },
  { "0.1", NULL },
  { "3.0", NULL },
  { "123456.789", NULL },
  { "5e50", "5e+50" },
  { "1E+300", "1e+300" },
  { "1.7976931348623157e308", "1.7976931348623157e+308" },
  { "2.2250738585072014e-308", NULL },
  { "[1.5,-2.5e-7,1e21]", "[1.5,-2.5e-07,1e+21]" },
  /* é and U+1F600 (a surrogate pair) come out as UTF-8. */
  { "\"\\u00e9\\ud83d\\ude00\"", "\"\xc3\xa9\xf0\x9f\x98\x80\"" },
  { "\"\xc3\xa9\xf0\x9f\x98\x80\"", NULL },
  { "\"\\uD834\\uDD1E\"", "\"\xf0\x9d\x84\x9e\"" },
  { "\"\\u0041\\u00FF\\uffff\"", "\"A\xc3\xbf\xef\xbf\xbf\"" },
  { "\"\\\"\\\\\\/\\b\\f\\n\\r\\t\"", "\"\\\"\\\\/\\b\\f\\n\\r\\t\"" },
  /* json-glib 1.6's generator would write U+001F raw. */
  { "\"\\u001f\"", NULL },
  { "\"\\u0001\\u007f\x7f\"", "\"\\u0001\x7f\x7f\"" },
  { "{\"\\u001f\\u0001\":\"a\\u001fb\"}", NULL },
  { "{\"a\\u0062\":\"c\"}", "{\"ab\":\"c\"}" },
};

static void
test_parse_valid (gconstpointer test_data)
{
  const RoundTripCase *c = test_data;
  gsize i = (gsize) (c - round_trip_cases);
  const char *expected = c->output != NULL ? c->output : c->input;
  g_autoptr(GError) error = NULL;
  g_autoptr(JsonNode) node = NULL;
  g_autoptr(JsonNode) again = NULL;
  g_autofree char *data = NULL;
  g_autofree char *data_again = NULL;
  gsize length = 0;

  g_test_message ("case %" G_GSIZE_FORMAT ": %s", i, c->input);

  node = bd_json_parse (c->input, -1, &error);
  g_assert_no_error (error);
  g_assert_nonnull (node);

  data = bd_json_to_data (node, &length);
  g_assert_cmpstr (data, ==, expected);
  g_assert_cmpuint (length, ==, strlen (expected));

  /* What we write, we read back the same. */
  again = bd_json_parse (data, (gssize) length, &error);
  g_assert_no_error (error);
  data_again = bd_json_to_data (again, NULL);
  g_assert_cmpstr (data_again, ==, data);
}

static void
test_parse_values (void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(JsonNode) node = NULL;
  JsonArray *array;
  JsonObject *object;

  node = bd_json_parse ("[9223372036854775807, -9223372036854775808, 3.0, 1e2, -0,"
                        " \"x\", true, null, {\"k\": [1]}]", -1, &error);
  g_assert_no_error (error);
  g_assert_true (JSON_NODE_HOLDS_ARRAY (node));
  array = json_node_get_array (node);
  g_assert_cmpuint (json_array_get_length (array), ==, 9);

  g_assert_cmpint (json_node_get_value_type (json_array_get_element (array, 0)), ==,
                   G_TYPE_INT64);
  g_assert_cmpint (json_array_get_int_element (array, 0), ==, G_MAXINT64);
  g_assert_cmpint (json_array_get_int_element (array, 1), ==, G_MININT64);

  /* Numbers with a fraction or an exponent are doubles, even if whole. */
  g_assert_cmpint (json_node_get_value_type (json_array_get_element (array, 2)), ==,
                   G_TYPE_DOUBLE);
  g_assert_cmpfloat (json_array_get_double_element (array, 2), ==, 3.0);
  g_assert_cmpint (json_node_get_value_type (json_array_get_element (array, 3)), ==,
                   G_TYPE_DOUBLE);
  g_assert_cmpfloat (json_array_get_double_element (array, 3), ==, 100.0);
  g_assert_cmpint (json_node_get_value_type (json_array_get_element (array, 4)), ==,
                   G_TYPE_INT64);
  g_assert_cmpint (json_array_get_int_element (array, 4), ==, 0);

  g_assert_cmpstr (json_array_get_string_element (array, 5), ==, "x");
  g_assert_true (json_array_get_boolean_element (array, 6));
  g_assert_true (json_array_get_null_element (array, 7));
  object = json_array_get_object_element (array, 8);
  g_assert_cmpuint (json_array_get_length (json_object_get_array_member (object, "k")), ==, 1);
}

/* Trees built by other code (JsonBuilder) are written as valid JSON too. */
static void
test_write (void)
{
  g_autoptr(JsonBuilder) builder = json_builder_new ();
  g_autoptr(JsonNode) root = NULL;
  g_autoptr(JsonNode) again = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *data = NULL;
  gsize length = 0;

  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "name\x1f");
  json_builder_add_string_value (builder, "a\x1f\"\\\n\xc3\xa9");
  json_builder_set_member_name (builder, "list");
  json_builder_begin_array (builder);
  json_builder_add_int_value (builder, G_MININT64);
  json_builder_add_double_value (builder, 5e50);
  json_builder_add_double_value (builder, 2.0);
  json_builder_add_double_value (builder, NAN);
  json_builder_add_boolean_value (builder, FALSE);
  json_builder_add_null_value (builder);
  json_builder_end_array (builder);
  json_builder_end_object (builder);
  root = json_builder_get_root (builder);

  data = bd_json_to_data (root, &length);
  g_assert_cmpstr (data, ==,
                   "{\"name\\u001f\":\"a\\u001f\\\"\\\\\\n\xc3\xa9\","
                   "\"list\":[-9223372036854775808,5e+50,2.0,null,false,null]}");
  g_assert_cmpuint (length, ==, strlen (data));

  again = bd_json_parse (data, (gssize) length, &error);
  g_assert_no_error (error);
  g_assert_nonnull (again);
}

/* A length-bounded document is read up to its length and no further. */
static void
test_parse_length (void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(JsonNode) node = NULL;
  g_autoptr(JsonNode) node2 = NULL;
  g_autoptr(JsonNode) node3 = NULL;
  g_autofree char *data = NULL;

  node = bd_json_parse ("[1]garbage", 3, &error);
  g_assert_no_error (error);
  data = bd_json_to_data (node, NULL);
  g_assert_cmpstr (data, ==, "[1]");

  node2 = bd_json_parse ("\"ab\"", 3, &error);
  g_assert_null (node2);
  assert_invalid (error, NULL, "line 1, column 1: unterminated string");
  g_clear_error (&error);

  node3 = bd_json_parse ("12345", 2, &error);
  g_assert_no_error (error);
  g_assert_cmpint (json_node_get_int (node3), ==, 12);

  g_assert_null (bd_json_parse (NULL, 0, &error));
  assert_invalid (error, NULL, "unexpected end of input");
}

/*
 * Parser: malformed documents
 */

typedef struct
{
  const char *input;
  gsize       length;     /* 0: NUL-terminated */
  const char *path;       /* NULL: the top level */
  const char *message;    /* a piece of the English message */
} InvalidCase;

static const InvalidCase invalid_cases[] = {
  /* Duplicate keys name the duplicate. */
  { "{\"a\":1,\"a\":2}", 0, "a", "line 1, column 8: duplicate key" },
  { "{\"subscriptions\":[{},{},{},{\"quantity\":1,\"quantity\":2}]}", 0,
    "subscriptions[3].quantity", "line 1, column 42: duplicate key" },
  { "{\"a\":{\"b\":1,\"c\":{},\"b\":1}}", 0, "a.b", "duplicate key" },
  { "{\"a\":1,\"\\u0061\":2}", 0, "a", "duplicate key" },
  { "{\"\xc3\xa9\":1,\"\xc3\xa9\":2}", 0, "\xc3\xa9", "line 1, column 8: duplicate key" },

  /* Structure */
  { "[1,2,]", 0, "[2]", "line 1, column 6: expected a value" },
  { "{\"a\":1,}", 0, NULL, "line 1, column 8: expected a key in double quotes" },
  { "[1 2]", 0, NULL, "line 1, column 4: expected “,” or “]”" },
  { "{\"a\":1 \"b\":2}", 0, NULL, "expected “,” or “}”" },
  { "{\"a\" 1}", 0, "a", "expected “:”" },
  { "{1:2}", 0, NULL, "expected a key in double quotes" },
  { "{'a':1}", 0, NULL, "expected a key in double quotes" },
  { "['a']", 0, "[0]", "expected a value" },
  { "[1,,2]", 0, "[1]", "expected a value" },
  { "{\"a\":1", 0, NULL, "line 1, column 7: unexpected end of input" },
  { "[1,2", 0, NULL, "unexpected end of input" },
  { "{\"a\":", 0, "a", "unexpected end of input" },
  { "{\"a\":[{\"b\":", 0, "a[0].b", "unexpected end of input" },
  { "{} x", 0, NULL, "line 1, column 4: unexpected text after the value" },
  { "[1]]", 0, NULL, "unexpected text after the value" },
  { "\"a\" \"b\"", 0, NULL, "unexpected text after the value" },
  { "", 0, NULL, "line 1, column 1: unexpected end of input" },
  { " \n\t\r ", 0, NULL, "line 2, column 4: unexpected end of input" },
  { "tru", 0, NULL, "expected a value" },
  { "nul", 0, NULL, "expected a value" },
  { "True", 0, NULL, "expected a value" },
  { "undefined", 0, NULL, "expected a value" },
  { "{\n  \"a\": [\n    1,\n    x\n  ]\n}", 0, "a[1]", "line 4, column 5: expected a value" },

  /* Strings */
  { "\"abc", 0, NULL, "line 1, column 1: unterminated string" },
  { "[\"\\", 0, "[0]", "unterminated string" },
  { "[\"\\x41\"]", 0, "[0]", "line 1, column 3: invalid escape sequence" },
  { "\"\\a\"", 0, NULL, "invalid escape sequence" },
  { "\"\\u12\"", 0, NULL, "invalid escape sequence" },
  { "\"\\uZZZZ\"", 0, NULL, "invalid escape sequence" },
  { "\"\\U0041\"", 0, NULL, "invalid escape sequence" },
  { "{\"k\":\"\\ud800\"}", 0, "k", "unpaired surrogate" },
  { "\"\\ud800x\"", 0, NULL, "unpaired surrogate" },
  { "\"\\udc00\\ud800\"", 0, NULL, "unpaired surrogate" },
  { "\"\\ud800\\u0041\"", 0, NULL, "unpaired surrogate" },
  { "\"\\ud800\\ud800\"", 0, NULL, "unpaired surrogate" },
  { "\"\\ud800\\u", 0, NULL, "unpaired surrogate" },
  { "{\"k\":\"a\\u0000b\"}", 0, "k", "line 1, column 8: “\\u0000” is not supported" },
  { "\"a\tb\"", 0, NULL, "line 1, column 3: control characters must be escaped" },
  { "\"a\nb\"", 0, NULL, "control characters must be escaped" },
  { "\"\x1f\"", 0, NULL, "control characters must be escaped" },

  /* Encoding */
  { "\"\xff\"", 0, NULL, "line 1, column 2: not valid UTF-8" },
  { "[\"\xc3\"]", 0, "[0]", "not valid UTF-8" },
  { "\"\xc0\xaf\"", 0, NULL, "not valid UTF-8" },        /* overlong "/" */
  { "\"\xed\xa0\x80\"", 0, NULL, "not valid UTF-8" },    /* a surrogate */
  { "\"\xf4\x90\x80\x80\"", 0, NULL, "not valid UTF-8" }, /* past U+10FFFF */
  { "[\xff]", 0, "[0]", "not valid UTF-8" },
  { "\xc3\xa9", 0, NULL, "expected a value" },
  { "\xef\xbb\xbf{}", 0, NULL, "line 1, column 1: a byte order mark is not allowed" },
  { "{\"a\":\"\xc3\xa9\xc3\xa9\", x}", 0, NULL, "line 1, column 12: expected a key" },

  /* Embedded NUL bytes */
  { "[1]\0", 4, NULL, "line 1, column 4: unexpected NUL byte" },
  { "[\0]", 3, "[0]", "unexpected NUL byte" },
  { "\"a\0b\"", 5, NULL, "line 1, column 3: unexpected NUL byte" },
  { "\0", 1, NULL, "unexpected NUL byte" },

  /* Numbers */
  { "01", 0, NULL, "line 1, column 2: invalid number" },
  { "[-01]", 0, "[0]", "invalid number" },
  { "00", 0, NULL, "invalid number" },
  { "+1", 0, NULL, "expected a value" },
  { ".5", 0, NULL, "expected a value" },
  { "1.", 0, NULL, "line 1, column 3: invalid number" },
  { "1.e5", 0, NULL, "invalid number" },
  { "1e", 0, NULL, "invalid number" },
  { "1e+", 0, NULL, "invalid number" },
  { "-", 0, NULL, "invalid number" },
  { "- 1", 0, NULL, "invalid number" },
  { "NaN", 0, NULL, "expected a value" },
  { "Infinity", 0, NULL, "expected a value" },
  { "-Infinity", 0, NULL, "invalid number" },
  { "0x10", 0, NULL, "unexpected text after the value" },
  { "1e999", 0, NULL, "line 1, column 1: number out of range" },
  { "[-1e999]", 0, "[0]", "number out of range" },
  { "{\"n\":9223372036854775808}", 0, "n", "line 1, column 6: number out of range" },
  { "-9223372036854775809", 0, NULL, "number out of range" },
  { "123456789012345678901234567890", 0, NULL, "number out of range" },
};

static void
test_parse_invalid (gconstpointer test_data)
{
  const InvalidCase *c = test_data;
  gsize i = (gsize) (c - invalid_cases);
  gssize length = c->length > 0 ? (gssize) c->length : -1;
  g_autoptr(GError) error = NULL;
  g_autoptr(JsonNode) node = NULL;
  g_autofree char *shown = g_strescape (c->input, NULL);

  g_test_message ("case %" G_GSIZE_FORMAT ": %s", i, shown);

  node = bd_json_parse (c->input, length, &error);
  g_assert_null (node);
  assert_invalid (error, c->path, c->message);

  /* Without a GError, failing is enough. */
  g_assert_null (bd_json_parse (c->input, length, NULL));
}

static char *
make_nested (const char *open,
             const char *close,
             guint       depth)
{
  GString *str = g_string_new (NULL);

  for (guint i = 0; i < depth; i++)
    g_string_append (str, open);
  g_string_append (str, "1");
  for (guint i = 0; i < depth; i++)
    g_string_append (str, close);

  return g_string_free (str, FALSE);
}

static void
test_parse_depth (void)
{
  g_autofree char *arrays_ok = make_nested ("[", "]", BD_JSON_MAX_DEPTH);
  g_autofree char *arrays_deep = make_nested ("[", "]", BD_JSON_MAX_DEPTH + 1);
  g_autofree char *objects_ok = make_nested ("{\"a\":", "}", BD_JSON_MAX_DEPTH);
  g_autofree char *objects_deep = make_nested ("{\"a\":", "}", BD_JSON_MAX_DEPTH + 1);
  g_autofree char *many = g_strnfill (100000, '[');
  g_autoptr(GString) array_path = g_string_new (NULL);
  g_autoptr(GString) object_path = g_string_new (NULL);
  g_autoptr(GError) error = NULL;
  g_autoptr(JsonNode) node = NULL;

  for (guint i = 0; i < BD_JSON_MAX_DEPTH; i++)
    {
      g_string_append (array_path, "[0]");
      g_string_append (object_path, i == 0 ? "a" : ".a");
    }

  node = bd_json_parse (arrays_ok, -1, &error);
  g_assert_no_error (error);
  g_assert_nonnull (node);
  g_clear_pointer (&node, json_node_unref);

  node = bd_json_parse (objects_ok, -1, &error);
  g_assert_no_error (error);
  g_assert_nonnull (node);
  g_clear_pointer (&node, json_node_unref);

  g_assert_null (bd_json_parse (arrays_deep, -1, &error));
  assert_invalid (error, array_path->str, "line 1, column 65: nested more than 64 levels deep");
  g_clear_error (&error);

  g_assert_null (bd_json_parse (objects_deep, -1, &error));
  assert_invalid (error, object_path->str, "nested more than 64 levels deep");
  g_clear_error (&error);

  g_assert_null (bd_json_parse (many, -1, &error));
  assert_invalid (error, array_path->str, "nested more than 64 levels deep");
}

/* Large inputs stay linear: a long string, a long array and a wide object. */
static void
test_parse_large (void)
{
  g_autoptr(GString) str = g_string_new ("\"");
  g_autoptr(GString) array = g_string_new ("[");
  g_autoptr(GString) object = g_string_new ("{");
  g_autoptr(GError) error = NULL;
  g_autoptr(JsonNode) node1 = NULL;
  g_autoptr(JsonNode) node2 = NULL;
  g_autoptr(JsonNode) node3 = NULL;

  for (guint i = 0; i < 200000; i++)
    g_string_append (str, i % 2 ? "\xc3\xa9" : "\\n");
  g_string_append_c (str, '"');

  for (guint i = 0; i < 100000; i++)
    g_string_append_printf (array, "%s%u", i > 0 ? "," : "", i);
  g_string_append_c (array, ']');

  for (guint i = 0; i < 50000; i++)
    g_string_append_printf (object, "%s\"k%u\":%u", i > 0 ? "," : "", i, i);
  g_string_append_c (object, '}');

  node1 = bd_json_parse (str->str, (gssize) str->len, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (strlen (json_node_get_string (node1)), ==, 300000);

  node2 = bd_json_parse (array->str, (gssize) array->len, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (json_array_get_length (json_node_get_array (node2)), ==, 100000);

  node3 = bd_json_parse (object->str, (gssize) object->len, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (json_object_get_size (json_node_get_object (node3)), ==, 50000);
}

/*
 * Paths
 */

typedef struct
{
  const char *parent;
  const char *key;       /* NULL: bd_json_path_index () */
  guint       index;
  const char *expected;
} PathCase;

static const PathCase path_cases[] = {
  { NULL, "tenant", 0, "tenant" },
  { "", "tenant", 0, "tenant" },
  { "tenant", "currency", 0, "tenant.currency" },
  { "subscriptions[3]", "quantity", 0, "subscriptions[3].quantity" },
  { NULL, NULL, 3, "[3]" },
  { "", NULL, 0, "[0]" },
  { "subscriptions", NULL, 0, "subscriptions[0]" },
  { "a[1]", NULL, 2, "a[1][2]" },
};

static void
test_paths (gconstpointer test_data)
{
  const PathCase *c = test_data;
  g_autofree char *path = NULL;

  if (c->key != NULL)
    path = bd_json_path_member (c->parent, c->key);
  else
    path = bd_json_path_index (c->parent, c->index);

  g_assert_cmpstr (path, ==, c->expected);
}

/*
 * Readers
 */

static JsonNode *
parse_or_die (const char *data)
{
  g_autoptr(GError) error = NULL;
  JsonNode *node = bd_json_parse (data, -1, &error);

  g_assert_no_error (error);
  return node;
}

static const char *reader_document =
  "{\"s\":\"abc\",\"e\":\"\",\"n\":null,\"i\":10,\"quantity\":\"10\",\"d\":3.0,"
  "\"x\":1e2,\"big\":100001,\"b\":true,\"t\":\"2026-11-03T00:00:00Z\",\"r\":\"now-3d\","
  "\"bad\":\"yesterday\",\"a\":[1],\"o\":{\"x\":1}}";

#define PARENT "subscriptions[3]"

static void
test_read_string (void)
{
  g_autoptr(JsonNode) root = parse_or_die (reader_document);
  JsonObject *object = json_node_get_object (root);
  g_autoptr(GError) error = NULL;
  const char *value;

  value = "preset";
  g_assert_true (bd_json_read_string (object, PARENT, "s", BD_JSON_REQUIRED, &value, &error));
  g_assert_no_error (error);
  g_assert_cmpstr (value, ==, "abc");

  /* Absent */
  value = "preset";
  g_assert_true (bd_json_read_string (object, PARENT, "zz", BD_JSON_OPTIONAL, &value, &error));
  g_assert_cmpstr (value, ==, "preset");
  g_assert_false (bd_json_read_string (object, PARENT, "zz", BD_JSON_REQUIRED, &value, &error));
  assert_invalid (error, PARENT ".zz", "this key is required");
  g_clear_error (&error);
  g_assert_false (bd_json_read_string (object, NULL, "zz", BD_JSON_REQUIRED, &value, &error));
  assert_invalid (error, "zz", "this key is required");
  g_clear_error (&error);

  /* Null */
  value = "preset";
  g_assert_true (bd_json_read_string (object, PARENT, "n", BD_JSON_NULLABLE, &value, &error));
  g_assert_null (value);
  value = "preset";
  g_assert_true (bd_json_read_string (object, PARENT, "n",
                                      BD_JSON_REQUIRED | BD_JSON_NULLABLE, &value, &error));
  g_assert_null (value);
  g_assert_false (bd_json_read_string (object, PARENT, "n", BD_JSON_REQUIRED, &value, &error));
  assert_invalid (error, PARENT ".n", "expected a string");
  g_clear_error (&error);

  /* Wrong type */
  g_assert_false (bd_json_read_string (object, PARENT, "i", BD_JSON_OPTIONAL, &value, &error));
  assert_invalid (error, PARENT ".i", "expected a string");
  g_clear_error (&error);
  g_assert_false (bd_json_read_string (object, PARENT, "a", BD_JSON_OPTIONAL, &value, &error));
  assert_invalid (error, PARENT ".a", "expected a string");
  g_clear_error (&error);

  /* Empty */
  g_assert_true (bd_json_read_string (object, PARENT, "e", BD_JSON_OPTIONAL, &value, &error));
  g_assert_cmpstr (value, ==, "");
  g_assert_false (bd_json_read_string (object, PARENT, "e", BD_JSON_NON_EMPTY, &value, &error));
  assert_invalid (error, PARENT ".e", "must not be empty");
}

static void
test_read_int (void)
{
  g_autoptr(JsonNode) root = parse_or_die (reader_document);
  JsonObject *object = json_node_get_object (root);
  g_autoptr(GError) error = NULL;
  gint64 value;

  value = -1;
  g_assert_true (bd_json_read_int (object, PARENT, "i", BD_JSON_REQUIRED, 1, 100000,
                                   &value, &error));
  g_assert_no_error (error);
  g_assert_cmpint (value, ==, 10);

  /* Absent and null leave the value alone. */
  value = 42;
  g_assert_true (bd_json_read_int (object, PARENT, "zz", BD_JSON_OPTIONAL, 1, 100000,
                                   &value, &error));
  g_assert_true (bd_json_read_int (object, PARENT, "n", BD_JSON_NULLABLE, 1, 100000,
                                   &value, &error));
  g_assert_no_error (error);
  g_assert_cmpint (value, ==, 42);

  g_assert_false (bd_json_read_int (object, PARENT, "zz", BD_JSON_REQUIRED, 1, 100000,
                                    &value, &error));
  assert_invalid (error, PARENT ".zz", "this key is required");
  g_clear_error (&error);

  g_assert_false (bd_json_read_int (object, PARENT, "n", BD_JSON_OPTIONAL, 1, 100000,
                                    &value, &error));
  assert_invalid (error, PARENT ".n", "expected an integer");
  g_clear_error (&error);

  /* A string, whole doubles and a boolean are not integers. */
  g_assert_false (bd_json_read_int (object, PARENT, "quantity", BD_JSON_REQUIRED, 1, 100000,
                                    &value, &error));
  assert_invalid (error, "subscriptions[3].quantity", "integer");
  g_clear_error (&error);
  g_assert_false (bd_json_read_int (object, PARENT, "d", BD_JSON_REQUIRED, 1, 100000,
                                    &value, &error));
  assert_invalid (error, PARENT ".d", "expected an integer");
  g_clear_error (&error);
  g_assert_false (bd_json_read_int (object, PARENT, "x", BD_JSON_REQUIRED, 1, 100000,
                                    &value, &error));
  assert_invalid (error, PARENT ".x", "expected an integer");
  g_clear_error (&error);
  g_assert_false (bd_json_read_int (object, PARENT, "b", BD_JSON_REQUIRED, 1, 100000,
                                    &value, &error));
  assert_invalid (error, PARENT ".b", "expected an integer");
  g_clear_error (&error);

  /* Range, inclusive */
  g_assert_false (bd_json_read_int (object, PARENT, "big", BD_JSON_REQUIRED, 1, 100000,
                                    &value, &error));
  assert_invalid (error, PARENT ".big", "must be from 1 to 100000");
  g_clear_error (&error);
  g_assert_false (bd_json_read_int (object, PARENT, "i", BD_JSON_REQUIRED, 11, 20,
                                    &value, &error));
  assert_invalid (error, PARENT ".i", "must be from 11 to 20");
  g_clear_error (&error);
  g_assert_true (bd_json_read_int (object, PARENT, "big", BD_JSON_REQUIRED, 100001, 100001,
                                   &value, &error));
  g_assert_cmpint (value, ==, 100001);
  g_assert_true (bd_json_read_int (object, PARENT, "i", BD_JSON_REQUIRED, G_MININT64,
                                   G_MAXINT64, &value, &error));
  g_assert_no_error (error);
  g_assert_cmpint (value, ==, 10);
}

static void
test_read_bool (void)
{
  g_autoptr(JsonNode) root = parse_or_die (reader_document);
  JsonObject *object = json_node_get_object (root);
  g_autoptr(GError) error = NULL;
  gboolean value;

  value = FALSE;
  g_assert_true (bd_json_read_bool (object, PARENT, "b", BD_JSON_REQUIRED, &value, &error));
  g_assert_no_error (error);
  g_assert_true (value);

  value = FALSE;
  g_assert_true (bd_json_read_bool (object, PARENT, "zz", BD_JSON_OPTIONAL, &value, &error));
  g_assert_true (bd_json_read_bool (object, PARENT, "n", BD_JSON_NULLABLE, &value, &error));
  g_assert_no_error (error);
  g_assert_false (value);

  g_assert_false (bd_json_read_bool (object, PARENT, "zz", BD_JSON_REQUIRED, &value, &error));
  assert_invalid (error, PARENT ".zz", "this key is required");
  g_clear_error (&error);
  g_assert_false (bd_json_read_bool (object, PARENT, "n", BD_JSON_OPTIONAL, &value, &error));
  assert_invalid (error, PARENT ".n", "expected true or false");
  g_clear_error (&error);
  g_assert_false (bd_json_read_bool (object, PARENT, "i", BD_JSON_OPTIONAL, &value, &error));
  assert_invalid (error, PARENT ".i", "expected true or false");
  g_clear_error (&error);
  g_assert_false (bd_json_read_bool (object, PARENT, "s", BD_JSON_OPTIONAL, &value, &error));
  assert_invalid (error, PARENT ".s", "expected true or false");
}

static void
test_read_time (void)
{
  g_autoptr(JsonNode) root = parse_or_die (reader_document);
  JsonObject *object = json_node_get_object (root);
  g_autoptr(GError) error = NULL;
  gint64 value;

  value = 0;
  g_assert_true (bd_json_read_time (object, PARENT, "t", BD_JSON_REQUIRED, 0, &value, &error));
  g_assert_no_error (error);
  g_assert_cmpint (value, ==, TEST_TIME);

  g_assert_true (bd_json_read_time (object, PARENT, "r", BD_JSON_RELATIVE, TEST_TIME,
                                    &value, &error));
  g_assert_no_error (error);
  g_assert_cmpint (value, ==, TEST_TIME - 3 * 86400);

  /* Absent and null leave the value alone. */
  value = 7;
  g_assert_true (bd_json_read_time (object, PARENT, "zz", BD_JSON_OPTIONAL, 0, &value, &error));
  g_assert_true (bd_json_read_time (object, PARENT, "n", BD_JSON_REQUIRED | BD_JSON_NULLABLE,
                                    0, &value, &error));
  g_assert_no_error (error);
  g_assert_cmpint (value, ==, 7);

  g_assert_false (bd_json_read_time (object, PARENT, "zz", BD_JSON_REQUIRED, 0,
                                     &value, &error));
  assert_invalid (error, PARENT ".zz", "this key is required");
  g_clear_error (&error);

  /* Relative times only when asked for. */
  g_assert_false (bd_json_read_time (object, PARENT, "r", BD_JSON_OPTIONAL, TEST_TIME,
                                     &value, &error));
  assert_invalid (error, PARENT ".r", "not a valid time");
  g_clear_error (&error);

  g_assert_false (bd_json_read_time (object, PARENT, "bad", BD_JSON_RELATIVE, TEST_TIME,
                                     &value, &error));
  assert_invalid (error, PARENT ".bad", "now-3d");
  g_clear_error (&error);
  g_assert_false (bd_json_read_time (object, PARENT, "bad", BD_JSON_OPTIONAL, 0,
                                     &value, &error));
  assert_invalid (error, PARENT ".bad", "2026-11-03T00:00:00Z");
  g_clear_error (&error);

  /* Not a string */
  g_assert_false (bd_json_read_time (object, PARENT, "i", BD_JSON_OPTIONAL, 0, &value, &error));
  assert_invalid (error, PARENT ".i", "not a valid time");
  g_clear_error (&error);
  g_assert_false (bd_json_read_time (object, PARENT, "n", BD_JSON_OPTIONAL, 0, &value, &error));
  assert_invalid (error, PARENT ".n", "not a valid time");
  g_clear_error (&error);

  g_assert_cmpint (value, ==, 7);
}

static void
test_read_array (void)
{
  g_autoptr(JsonNode) root = parse_or_die (reader_document);
  JsonObject *object = json_node_get_object (root);
  g_autoptr(GError) error = NULL;
  g_autoptr(JsonArray) preset = json_array_new ();
  JsonArray *value;

  value = NULL;
  g_assert_true (bd_json_read_array (object, PARENT, "a", BD_JSON_REQUIRED, &value, &error));
  g_assert_no_error (error);
  g_assert_cmpuint (json_array_get_length (value), ==, 1);

  /* Absent leaves the value alone; a nullable null clears it. */
  value = preset;
  g_assert_true (bd_json_read_array (object, PARENT, "zz", BD_JSON_OPTIONAL, &value, &error));
  g_assert_true (value == preset);
  g_assert_true (bd_json_read_array (object, PARENT, "n", BD_JSON_NULLABLE, &value, &error));
  g_assert_no_error (error);
  g_assert_null (value);

  g_assert_false (bd_json_read_array (object, PARENT, "zz", BD_JSON_REQUIRED, &value, &error));
  assert_invalid (error, PARENT ".zz", "this key is required");
  g_clear_error (&error);
  g_assert_false (bd_json_read_array (object, PARENT, "n", BD_JSON_OPTIONAL, &value, &error));
  assert_invalid (error, PARENT ".n", "expected an array");
  g_clear_error (&error);
  g_assert_false (bd_json_read_array (object, PARENT, "o", BD_JSON_OPTIONAL, &value, &error));
  assert_invalid (error, PARENT ".o", "expected an array");
}

static void
test_read_object (void)
{
  g_autoptr(JsonNode) root = parse_or_die (reader_document);
  JsonObject *object = json_node_get_object (root);
  g_autoptr(GError) error = NULL;
  const char * const x_keys[] = { "w", "x", NULL };
  const char * const y_keys[] = { "y", NULL };
  JsonObject *value;

  value = NULL;
  g_assert_true (bd_json_read_object (object, PARENT, "o", BD_JSON_REQUIRED, x_keys,
                                      &value, &error));
  g_assert_no_error (error);
  g_assert_cmpint (json_object_get_int_member (value, "x"), ==, 1);

  value = NULL;
  g_assert_true (bd_json_read_object (object, PARENT, "o", BD_JSON_REQUIRED, NULL,
                                      &value, &error));
  g_assert_nonnull (value);

  g_assert_true (bd_json_read_object (object, PARENT, "zz", BD_JSON_OPTIONAL, NULL,
                                      &value, &error));
  g_assert_nonnull (value);
  g_assert_true (bd_json_read_object (object, PARENT, "n", BD_JSON_NULLABLE, NULL,
                                      &value, &error));
  g_assert_no_error (error);
  g_assert_null (value);

  g_assert_false (bd_json_read_object (object, PARENT, "o", BD_JSON_REQUIRED, y_keys,
                                       &value, &error));
  assert_invalid (error, PARENT ".o.x", "unknown key");
  g_clear_error (&error);
  g_assert_false (bd_json_read_object (object, PARENT, "zz", BD_JSON_REQUIRED, NULL,
                                       &value, &error));
  assert_invalid (error, PARENT ".zz", "this key is required");
  g_clear_error (&error);
  g_assert_false (bd_json_read_object (object, PARENT, "a", BD_JSON_OPTIONAL, NULL,
                                       &value, &error));
  assert_invalid (error, PARENT ".a", "expected an object");
  g_clear_error (&error);
  g_assert_false (bd_json_read_object (object, NULL, "n", BD_JSON_OPTIONAL, NULL,
                                       &value, &error));
  assert_invalid (error, "n", "expected an object");
}

static void
test_expect (void)
{
  g_autoptr(JsonNode) root = parse_or_die ("{\"tenant\":{\"id\":\"t1\",\"currency\":\"DKK\","
                                           "\"extra\":1},\"list\":[\"w\",2]}");
  const char * const tenant_keys[] = { "id", "currency", NULL };
  const char * const root_keys[] = { "tenant", "list", NULL };
  JsonObject *object;
  JsonNode *tenant;
  JsonArray *list;
  g_autoptr(GError) error = NULL;

  object = bd_json_expect_object (root, NULL, root_keys, &error);
  g_assert_no_error (error);
  g_assert_nonnull (object);
  g_assert_nonnull (bd_json_expect_object (root, "", NULL, &error));

  g_assert_null (bd_json_expect_object (root, NULL, tenant_keys, &error));
  assert_invalid (error, "tenant", "unknown key");
  g_clear_error (&error);

  tenant = json_object_get_member (object, "tenant");
  g_assert_null (bd_json_expect_object (tenant, "tenant", tenant_keys, &error));
  assert_invalid (error, "tenant.extra", "unknown key");
  g_clear_error (&error);

  list = json_object_get_array_member (object, "list");
  g_assert_null (bd_json_expect_object (json_object_get_member (object, "list"), "list",
                                        NULL, &error));
  assert_invalid (error, "list", "expected an object");
  g_clear_error (&error);
  g_assert_null (bd_json_expect_object (NULL, NULL, NULL, &error));
  assert_invalid (error, NULL, "expected an object");
  g_clear_error (&error);

  g_assert_cmpstr (bd_json_expect_string (json_array_get_element (list, 0), "list[0]", &error),
                   ==, "w");
  g_assert_no_error (error);
  g_assert_null (bd_json_expect_string (json_array_get_element (list, 1), "list[1]", &error));
  assert_invalid (error, "list[1]", "expected a string");
  g_clear_error (&error);
  g_assert_null (bd_json_expect_string (tenant, "tenant", &error));
  assert_invalid (error, "tenant", "expected a string");
}

static void
test_unknown_value (void)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *long_value = g_strnfill (1000, 'a');
  g_autofree char *long_unicode = NULL;
  GString *str = g_string_new (NULL);

  for (guint i = 0; i < 100; i++)
    g_string_append (str, "\xc3\xa9");
  long_unicode = g_string_free (str, FALSE);

  bd_json_set_unknown_value (&error, "status", "pending");
  assert_invalid (error, "status", "unknown value “pending”");
  g_clear_error (&error);

  bd_json_set_unknown_value (&error, "status", "a\nb\"c\\");
  assert_invalid (error, "status", "unknown value “a\\nb\\\"c\\\\”");
  g_clear_error (&error);

  bd_json_set_unknown_value (&error, "status", "\xc3\xa9t\xc3\xa9");
  assert_invalid (error, "status", "unknown value “\xc3\xa9t\xc3\xa9”");
  g_clear_error (&error);

  /* Not UTF-8: escaped byte by byte. */
  bd_json_set_unknown_value (&error, NULL, "\xff");
  assert_invalid (error, NULL, "unknown value “\\377”");
  g_assert_true (g_utf8_validate (error->message, -1, NULL));
  g_clear_error (&error);

  bd_json_set_unknown_value (&error, "status", long_value);
  assert_invalid (error, "status", "“aaaaaaaa");
  g_assert_nonnull (strstr (error->message, "a…”"));
  g_assert_cmpuint (strlen (error->message), <, 120);
  g_clear_error (&error);

  bd_json_set_unknown_value (&error, "status", long_unicode);
  g_assert_true (g_utf8_validate (error->message, -1, NULL));
  g_assert_nonnull (strstr (error->message, "\xc3\xa9…”"));
  g_assert_cmpuint (g_utf8_strlen (error->message, -1), <, 120);
}

/*
 * One test case per table row
 */

/* A test name for a document: escaped, NUL bytes too (@length 0: up to the
 * first NUL), cut to 40 characters.
 */
static char *
input_name (const char *input,
            gsize       length)
{
  g_autoptr(GString) name = g_string_new (NULL);
  gsize n = length > 0 ? length : strlen (input);

  for (gsize i = 0; i < n; i++)
    {
      char byte[2] = { input[i], '\0' };
      g_autofree char *escaped = byte[0] != '\0' ? g_strescape (byte, NULL) : g_strdup ("\\000");

      g_string_append (name, escaped);
    }

  if (name->len == 0)
    g_string_append (name, "(empty)");
  else if (name->len > 40)
    g_string_truncate (name, 40);

  return g_string_free (g_steal_pointer (&name), FALSE);
}

/* A test name for a path case: the call it makes. */
static char *
path_case_name (const PathCase *c)
{
  const char *parent = c->parent == NULL ? "NULL" : c->parent[0] == '\0' ? "\"\"" : c->parent;

  if (c->key != NULL)
    return g_strdup_printf ("member (%s, %s)", parent, c->key);

  return g_strdup_printf ("index (%s, %u)", parent, c->index);
}

int
main (int   argc,
      char *argv[])
{
  g_autoptr(GHashTable) paths = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);

  g_test_init (&argc, &argv, NULL);

  for (gsize i = 0; i < G_N_ELEMENTS (round_trip_cases); i++)
    {
      g_autofree char *name = input_name (round_trip_cases[i].input, 0);

      bd_test_add_row (paths, "/json/parse/valid", name, &round_trip_cases[i], test_parse_valid);
    }
  g_test_add_func ("/json/parse/values", test_parse_values);
  g_test_add_func ("/json/parse/length", test_parse_length);
  g_test_add_func ("/json/write", test_write);
  for (gsize i = 0; i < G_N_ELEMENTS (invalid_cases); i++)
    {
      g_autofree char *name = input_name (invalid_cases[i].input, invalid_cases[i].length);

      bd_test_add_row (paths, "/json/parse/invalid", name, &invalid_cases[i], test_parse_invalid);
    }
  g_test_add_func ("/json/parse/depth", test_parse_depth);
  g_test_add_func ("/json/parse/large", test_parse_large);
  for (gsize i = 0; i < G_N_ELEMENTS (path_cases); i++)
    {
      g_autofree char *name = path_case_name (&path_cases[i]);

      bd_test_add_row (paths, "/json/paths", name, &path_cases[i], test_paths);
    }
  g_test_add_func ("/json/read/string", test_read_string);
  g_test_add_func ("/json/read/int", test_read_int);
  g_test_add_func ("/json/read/bool", test_read_bool);
  g_test_add_func ("/json/read/time", test_read_time);
  g_test_add_func ("/json/read/array", test_read_array);
  g_test_add_func ("/json/read/object", test_read_object);
  g_test_add_func ("/json/expect", test_expect);
  g_test_add_func ("/json/unknown-value", test_unknown_value);

  return g_test_run ();
}
