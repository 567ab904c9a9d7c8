/* The C interface between libidphoto and idphoto-hog-avx2.so (hog_module.cpp): dlib's HOG face
   detector compiled for AVX2 + FMA, loaded at run time by face_models.cpp when the CPU has them.
   Only these symbols cross; each side keeps its own copies of dlib's templates. */
#ifndef IDPHOTO_HOG_MODULE_ABI_H
#define IDPHOTO_HOG_MODULE_ABI_H

#include <stddef.h>

#define IDPHOTO_HOG_MODULE_ABI 3

#ifdef __cplusplus
extern "C" {
#endif

/* IDPHOTO_HOG_MODULE_ABI of the module. */
int idphoto_hog_abi(void);
/* A detector from dlib's serialisation of a frontal_face_detector; null when it cannot be read. One
   detector serves one thread at a time (it keeps scratch buffers). */
void* idphoto_hog_create(const char* serialized, size_t bytes);
/* Detections in an 8-bit grey image (rows × cols, step bytes per row), adjust_threshold 0, down to
   min_relative times the widest face's width (hog_scan.hpp: detect_down_to; 0 = every level), on up to
   `threads` threads (1 = the caller's only): up to max of them as (left, top, width, height, confidence)
   in out. Returns how many there are (more than
   max: call again with room for all), or -1 on failure. */
int idphoto_hog_detect(void* detector, const unsigned char* grey, long rows, long cols, long step,
                       double min_relative, int threads, double* out, int max);
void idphoto_hog_destroy(void* detector);

#ifdef __cplusplus
}
#endif

#endif
