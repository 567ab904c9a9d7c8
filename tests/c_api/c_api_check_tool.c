/* idphoto_c_check [--signature | --clean] [--profile ID|FILE.json] FILE...: prints each file's report
 * JSON (one line per file) through the C API (photo check; --signature: signature check; --clean:
 * signature clean); the identity tests compare it with the CLI's and Python's output. */
#include <idphoto/idphoto.h>

#include "c_api_test_util.h"

int main(int argc, char **argv) {
  idphoto_engine *engine = NULL;
  idphoto_profile *profile = NULL;
  int i = 1, rc = 0, op = 0; /* 0 photo check, 1 signature check, 2 signature clean */
  if (argc > 1 && strcmp(argv[1], "--signature") == 0) op = 1, i = 2;
  else if (argc > 1 && strcmp(argv[1], "--clean") == 0) op = 2, i = 2;
  if (argc > i + 1 && strcmp(argv[i], "--profile") == 0) {
    const char *p = argv[i + 1];
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
    i += 2;
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
    idphoto_status s = op == 0   ? idphoto_photo_check(engine, bytes, size, profile, argv[i], &r)
                       : op == 1 ? idphoto_signature_check(engine, bytes, size, profile, argv[i], &r)
                                 : idphoto_signature_clean(engine, bytes, size, profile, argv[i], NULL, &r);
    if (s == IDPHOTO_OK) {
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
