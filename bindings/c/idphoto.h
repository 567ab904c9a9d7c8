/* idphoto C API: audit ID photos for registration portals. Pure C11; stable ABI (docs/c_api.md).
 *
 * Conventions:
 * - Functions returning idphoto_status return IDPHOTO_OK (0) or an error code; on error the out
 *   pointer is set to NULL and idphoto_last_error() describes the failure on this thread.
 * - Input buffers are borrowed for the duration of the call only.
 * - Handles (engine, profile, report) are owned by the caller and freed with their *_free function;
 *   freeing NULL is a no-op. Strings returned by accessors are owned by the handle and stay valid
 *   until the handle is freed. Strings returned by index functions are static.
 * - An engine and a profile are immutable after creation and may be shared between threads. */
#ifndef IDPHOTO_IDPHOTO_H
#define IDPHOTO_IDPHOTO_H

#include <stddef.h>
#include <stdint.h>

#if defined(_WIN32)
#define IDPHOTO_C_API
#else
#define IDPHOTO_C_API __attribute__((visibility("default")))
#endif

#ifdef __cplusplus
extern "C" {
#endif

#ifndef IDPHOTO_VERSION_MAJOR
#define IDPHOTO_VERSION_MAJOR 0
#define IDPHOTO_VERSION_MINOR 1
#define IDPHOTO_VERSION_PATCH 0
#define IDPHOTO_VERSION_STRING "0.1.0"
#endif
/* MAJOR*10000 + MINOR*100 + PATCH; equals idphoto_version_number() of a matching library. */
#ifndef IDPHOTO_VERSION_NUMBER
#define IDPHOTO_VERSION_NUMBER \
  (IDPHOTO_VERSION_MAJOR * 10000 + IDPHOTO_VERSION_MINOR * 100 + IDPHOTO_VERSION_PATCH)
#endif

/* Status codes. Values are stable and only ever appended to; 1..9 equal the report JSON's
 * "error.code" names (idphoto_status_name). */
typedef int32_t idphoto_status;
#define IDPHOTO_OK 0
#define IDPHOTO_ERR_UNREADABLE 1         /* truncated, corrupt or empty input */
#define IDPHOTO_ERR_UNSUPPORTED_FORMAT 2 /* a format the core does not decode */
#define IDPHOTO_ERR_LIMIT_EXCEEDED 3     /* bytes, pixels or dimensions beyond the engine's limits */
#define IDPHOTO_ERR_BAD_PROFILE 4        /* profile JSON invalid, unknown id, or wrong kind */
#define IDPHOTO_ERR_MODEL_MISSING 5      /* landmark model file absent */
#define IDPHOTO_ERR_MODEL_CORRUPT 6      /* landmark model file unreadable */
#define IDPHOTO_ERR_INVALID_ARGUMENT 7   /* NULL where a value is required, bad options, ... */
#define IDPHOTO_ERR_INTERNAL 8
#define IDPHOTO_ERR_IO 9                 /* reading or writing a file failed */
#define IDPHOTO_ERR_NO_MEMORY 10
#define IDPHOTO_ERR_NOT_AVAILABLE 11     /* the operation is not built into this library */

/* Report verdicts (idphoto_report_verdict). */
#define IDPHOTO_VERDICT_PASS 0
#define IDPHOTO_VERDICT_FAIL 1
#define IDPHOTO_VERDICT_ERROR 2

typedef struct idphoto_engine idphoto_engine;
typedef struct idphoto_profile idphoto_profile;
typedef struct idphoto_report idphoto_report;

/* ---- version and errors ---- */
IDPHOTO_C_API uint32_t idphoto_version_number(void);
IDPHOTO_C_API const char *idphoto_version_string(void); /* static, e.g. "0.1.0" */
/* Static name of a status ("ok", "unreadable", ...); "unknown" for a value this library lacks. */
IDPHOTO_C_API const char *idphoto_status_name(idphoto_status status);
/* Message of the last failing call on this thread ("" if none); valid until this thread's next call. */
IDPHOTO_C_API const char *idphoto_last_error(void);
/* Status of the last call on this thread that returns idphoto_status. */
IDPHOTO_C_API idphoto_status idphoto_last_status(void);

/* ---- engine ---- */
/* options_json: NULL or "" for defaults, else an object with any of
 * {"model_dir": str, "threads": int >= 1 (threads one call may use: 2 or more converts the photo to
 * CIELAB and scans pyramid levels beside the face search, and a fix judges the source beside its
 * rendering; the same results; default 1, all on the caller's thread), "limits": {"max_bytes": int, "max_pixels": int,
 *  "max_dimension": int, "max_jpeg_scans": int, "time_cap_ms": number}}. Unknown keys are an error.
 * Loads the models (slow: create once, share between threads). */
IDPHOTO_C_API idphoto_status idphoto_engine_create(const char *options_json, idphoto_engine **out);
IDPHOTO_C_API void idphoto_engine_free(idphoto_engine *engine);
/* The effective options (model dir resolved) as JSON; owned by the engine. NULL if engine is NULL. */
IDPHOTO_C_API const char *idphoto_engine_options_json(const idphoto_engine *engine);
/* The loaded models as a JSON array (name, path, bytes, licence, provided_by); owned by the engine. */
IDPHOTO_C_API const char *idphoto_engine_models_json(const idphoto_engine *engine);

/* ---- profiles ---- */
IDPHOTO_C_API size_t idphoto_profile_builtin_count(void);
IDPHOTO_C_API const char *idphoto_profile_builtin_id(size_t index); /* static; NULL out of range */
/* Default profile id of a kind ("photo" -> "cn-1inch", "signature" -> "cn-signature"); static;
 * NULL for another kind. */
IDPHOTO_C_API const char *idphoto_profile_default_id(const char *kind);
IDPHOTO_C_API idphoto_status idphoto_profile_get(const char *id, idphoto_profile **out);
/* json: size bytes of UTF-8 (not necessarily NUL-terminated); may "extends" a built-in profile.
 * Oversized (> 1 MiB) or deeply nested text is refused with IDPHOTO_ERR_BAD_PROFILE before parsing. */
IDPHOTO_C_API idphoto_status idphoto_profile_load_json(const char *json, size_t size,
                                                       idphoto_profile **out);
IDPHOTO_C_API void idphoto_profile_free(idphoto_profile *profile);
IDPHOTO_C_API const char *idphoto_profile_id(const idphoto_profile *profile);   /* owned by handle */
IDPHOTO_C_API const char *idphoto_profile_kind(const idphoto_profile *profile); /* "photo" | "signature" */
IDPHOTO_C_API const char *idphoto_profile_json(const idphoto_profile *profile); /* merged, pretty */

/* ---- check registry ---- */
IDPHOTO_C_API size_t idphoto_check_count(void);
/* Static strings; NULL when index is out of range. lang: "en" or "zh-CN" (NULL means "en"). */
IDPHOTO_C_API const char *idphoto_check_id(size_t index);
IDPHOTO_C_API const char *idphoto_check_kind(size_t index);
IDPHOTO_C_API const char *idphoto_check_title(size_t index, const char *lang);
IDPHOTO_C_API const char *idphoto_check_clause(size_t index);
/* The whole registry as a JSON array of {id, kind, title: {zh-CN, en}, clause}; static. */
IDPHOTO_C_API const char *idphoto_checks_json(void);

/* ---- photo check ---- */
/* Judges data[0..size) as uploaded. profile NULL: the default photo profile. input_name (NULL: "")
 * is echoed in the report's "input" only. A file that cannot be judged still gives IDPHOTO_OK and a
 * report whose verdict is IDPHOTO_VERDICT_ERROR; a signature profile is IDPHOTO_ERR_BAD_PROFILE. */
IDPHOTO_C_API idphoto_status idphoto_photo_check(const idphoto_engine *engine, const uint8_t *data,
                                                 size_t size, const idphoto_profile *profile,
                                                 const char *input_name, idphoto_report **out);

/* ---- photo fix ---- */
/* Crops, levels, resamples, optionally replaces the background and encodes data into a photo that
 * meets profile (NULL: the default photo profile), then re-checks it. options_json: NULL or an object
 * {"background": "keep" | "white" | "blue" | "red" | "#rrggbb", "output_name": str (echoed as
 * "output"), "format": "jpeg" | "png" (absent: JPEG when the profile allows it)}. A format the
 * profile does not accept gives IDPHOTO_OK and a report with verdict error whose error is
 * IDPHOTO_ERR_INVALID_ARGUMENT, decided before decoding. The report JSON is the CLI's `fix --json` object ("before", "after", "output", "fix");
 * the verdict is pass only when an output exists and its re-check passes; the new file's bytes are
 * idphoto_report_output (none when the fix was refused). */
IDPHOTO_C_API idphoto_status idphoto_photo_fix(const idphoto_engine *engine, const uint8_t *data,
                                               size_t size, const idphoto_profile *profile,
                                               const char *input_name, const char *options_json,
                                               idphoto_report **out);

/* ---- signature check and clean ---- */
/* Judges a signature image data[0..size) as uploaded. profile NULL: the default signature profile
 * (cn-signature). Conventions as idphoto_photo_check: a file that cannot be judged gives IDPHOTO_OK
 * and a report whose verdict is IDPHOTO_VERDICT_ERROR; a photo profile is IDPHOTO_ERR_BAD_PROFILE.
 * The report JSON is the CLI's `signature check --json` line ("kind": "signature"). */
IDPHOTO_C_API idphoto_status idphoto_signature_check(const idphoto_engine *engine,
                                                     const uint8_t *data, size_t size,
                                                     const idphoto_profile *profile,
                                                     const char *input_name, idphoto_report **out);

/* Turns a photographed or scanned signature into black ink on white, centred on the profile's
 * canvas and encoded per profile, then re-checks it. options_json: NULL or an object
 * {"rotate": 0 | 90 | 180 | 270 (a forced clockwise turn; absent: detected), "transparent": bool
 * (PNG with transparent paper), "deskew": bool (straighten a baseline tilted by 1° to 14.5°),
 * "format": "jpeg" | "png" (absent: JPEG when the profile allows it, PNG when transparent)}.
 * Transparent paper or a format the profile does not accept (transparent under the JPEG-only
 * cn-signature) gives IDPHOTO_OK and a report with verdict error whose error is
 * IDPHOTO_ERR_INVALID_ARGUMENT, decided before decoding. The
 * report JSON is the CLI's `signature clean --json` object
 * ("before", "after", "output", "clean"); the verdict is pass only when an output was made and its
 * re-check passes; the made file's bytes are idphoto_report_output (present whenever one was made,
 * even when its re-check fails: the CLI writes it only on pass). */
IDPHOTO_C_API idphoto_status idphoto_signature_clean(const idphoto_engine *engine,
                                                     const uint8_t *data, size_t size,
                                                     const idphoto_profile *profile,
                                                     const char *input_name,
                                                     const char *options_json,
                                                     idphoto_report **out);

/* ---- reports ---- */
IDPHOTO_C_API void idphoto_report_free(idphoto_report *report);
/* Report JSON (CONTRACTS.md schema_version 1, one line, identical to the CLI's --json). */
IDPHOTO_C_API const char *idphoto_report_json(const idphoto_report *report);
/* IDPHOTO_VERDICT_*; -1 if report is NULL. */
IDPHOTO_C_API int32_t idphoto_report_verdict(const idphoto_report *report);
/* The report's error code (IDPHOTO_OK when it has none or report is NULL); for a fix, the source's. */
IDPHOTO_C_API idphoto_status idphoto_report_error(const idphoto_report *report);
/* Output file bytes of a fix or clean (NULL and *size = 0 when there are none); owned by the report. */
IDPHOTO_C_API const uint8_t *idphoto_report_output(const idphoto_report *report, size_t *size);

#ifdef __cplusplus
}
#endif

#endif /* IDPHOTO_IDPHOTO_H */
