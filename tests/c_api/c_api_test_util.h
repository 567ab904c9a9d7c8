/* Minimal C test harness shared by the C API tests (pure C11). */
#ifndef IDPHOTO_C_API_TEST_UTIL_H
#define IDPHOTO_C_API_TEST_UTIL_H

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static int g_failures = 0;
static int g_checks = 0;

#define EXPECT(cond)                                                     \
  do {                                                                   \
    ++g_checks;                                                          \
    if (!(cond)) {                                                       \
      ++g_failures;                                                      \
      fprintf(stderr, "%s:%d: FAILED: %s\n", __FILE__, __LINE__, #cond); \
    }                                                                    \
  } while (0)

#define EXPECT_STR(a, b) EXPECT((a) != NULL && strcmp((a), (b)) == 0)

static inline int finish(const char *name) {
  printf("%s: %d checks, %d failed\n", name, g_checks, g_failures);
  return g_failures ? 1 : 0;
}

/* Reads a whole file; NULL if it cannot be read. Caller frees. */
static inline uint8_t *read_all(const char *path, size_t *size) {
  FILE *f = fopen(path, "rb");
  uint8_t *buf = NULL;
  long n;
  *size = 0;
  if (!f) return NULL;
  if (fseek(f, 0, SEEK_END) != 0 || (n = ftell(f)) < 0 || fseek(f, 0, SEEK_SET) != 0) {
    fclose(f);
    return NULL;
  }
  buf = (uint8_t *)malloc((size_t)n + 1);
  if (buf && fread(buf, 1, (size_t)n, f) != (size_t)n) {
    free(buf);
    buf = NULL;
  }
  fclose(f);
  if (buf) *size = (size_t)n;
  return buf;
}

/* Length of a report JSON without its trailing "timing_ms" member (the only non-deterministic part;
 * it is the last key of the object). */
static inline size_t json_len_without_timing(const char *json) {
  const char *t = strstr(json, ",\"timing_ms\":");
  return t ? (size_t)(t - json) : strlen(json);
}

#endif
