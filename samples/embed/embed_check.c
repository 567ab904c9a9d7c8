/* Embedding idphoto from C: check a photo against a profile and print the verdict and findings JSON.
 * Build against an installed idphoto:  cc embed_check.c $(pkg-config --cflags --libs idphoto)
 * Run:  ./a.out photo.jpg [profile-id]                               Exit: 0 pass, 1 fail, 3 error. */
#include <idphoto/idphoto.h>
#include <stdio.h>
#include <stdlib.h>

int main(int argc, char **argv) {
  idphoto_engine *engine = NULL;
  idphoto_profile *profile = NULL;
  idphoto_report *report = NULL;
  unsigned char *bytes;
  long size;
  int verdict;
  FILE *f;
  if (argc < 2) {
    fprintf(stderr, "usage: %s PHOTO [PROFILE]\n", argv[0]);
    return 2;
  }
  if (idphoto_version_number() / 10000 != IDPHOTO_VERSION_MAJOR) {
    fprintf(stderr, "libidphoto %s does not match this header\n", idphoto_version_string());
    return 2;
  }
  f = fopen(argv[1], "rb");
  if (!f || fseek(f, 0, SEEK_END) != 0 || (size = ftell(f)) < 0 || fseek(f, 0, SEEK_SET) != 0) {
    fprintf(stderr, "cannot read %s\n", argv[1]);
    return 3;
  }
  bytes = malloc((size_t)size + 1);
  if (!bytes || fread(bytes, 1, (size_t)size, f) != (size_t)size) return 3;
  fclose(f);

  /* Create the engine once (it loads the models) and share it between threads. */
  if (idphoto_engine_create(NULL, &engine) != IDPHOTO_OK ||
      idphoto_profile_get(argc > 2 ? argv[2] : "cn-1inch", &profile) != IDPHOTO_OK) {
    fprintf(stderr, "idphoto: %s\n", idphoto_last_error());
    return 2;
  }
  if (idphoto_photo_check(engine, bytes, (size_t)size, profile, argv[1], &report) != IDPHOTO_OK) {
    fprintf(stderr, "idphoto: %s\n", idphoto_last_error());
    return 4;
  }
  verdict = idphoto_report_verdict(report);
  printf("libidphoto %s: %s\n%s\n", idphoto_version_string(),
         verdict == IDPHOTO_VERDICT_PASS ? "pass" : verdict == IDPHOTO_VERDICT_FAIL ? "fail" : "error",
         idphoto_report_json(report));
  idphoto_report_free(report);
  idphoto_profile_free(profile);
  idphoto_engine_free(engine);
  free(bytes);
  return verdict == IDPHOTO_VERDICT_PASS ? 0 : verdict == IDPHOTO_VERDICT_FAIL ? 1 : 3;
}
