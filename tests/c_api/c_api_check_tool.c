/* idphoto_c_check [--profile ID|FILE.json] FILE...: prints each file's report JSON (one line per file)
 * through the C API; the identity test compares it with the CLI's and Python's output. */
#include <idphoto/idphoto.h>

#include "c_api_test_util.h"

int main(int argc, char **argv) {
  idphoto_engine *engine = NULL;
  idphoto_profile *profile = NULL;
  int i = 1, rc = 0;
  if (argc > 2 && strcmp(argv[1], "--profile") == 0) {
    const char *p = argv[2];
    size_t n = strlen(p);
    idphoto_status s;
    if (n > 5 && strcmp(p + n - 5, ".json") == 0) {
      size_t size = 0;
      uint8_t *text = read_all(p, &size);
      s = text ? idphoto_profile_load_json((const char *)text, size, &profile) : IDPHOTO_ERR_IO;
      free(text);
    } else {
      s = idphoto_profile_get(p, &profile);
    }
    if (s != IDPHOTO_OK) {
      fprintf(stderr, "profile: %s: %s\n", idphoto_status_name(s), idphoto_last_error());
      return 2;
    }
    i = 3;
  }
  if (idphoto_engine_create(NULL, &engine) != IDPHOTO_OK) {
    fprintf(stderr, "engine: %s\n", idphoto_last_error());
    return 2;
  }
  for (; i < argc; ++i) {
    size_t size = 0;
    uint8_t *bytes = read_all(argv[i], &size);
    idphoto_report *r = NULL;
    if (!bytes) {
      fprintf(stderr, "%s: cannot read\n", argv[i]);
      rc = 3;
      continue;
    }
    if (idphoto_photo_check(engine, bytes, size, profile, argv[i], &r) == IDPHOTO_OK) {
      printf("%s\n", idphoto_report_json(r));
    } else {
      fprintf(stderr, "%s: %s\n", argv[i], idphoto_last_error());
      rc = 4;
    }
    idphoto_report_free(r);
    free(bytes);
  }
  idphoto_profile_free(profile);
  idphoto_engine_free(engine);
  return rc;
}
