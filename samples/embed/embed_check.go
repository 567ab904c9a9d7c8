// Embedding idphoto from Go (cgo over the C API): check a photo against a profile and print the
// verdict and the report JSON.
//
// Build against an installed idphoto (pkg-config must find idphoto.pc):
//
//	go build -o embed_check_go embed_check.go
//	./embed_check_go photo.jpg [profile-id]      Exit: 0 pass, 1 fail, 3 error.
//
// Two rules for Go callers: create the Engine once and share it between goroutines (it is immutable
// and thread-safe), and read idphoto_last_error on the same OS thread as the call that failed (it is
// thread-local in C, and a goroutine may move between threads: lock it for the call, as call() does).
package main

/*
#cgo pkg-config: idphoto
#include <stdlib.h>
#include <idphoto/idphoto.h>
*/
import "C"

import (
	"errors"
	"fmt"
	"os"
	"runtime"
	"unsafe"
)

// Engine owns an idphoto_engine; Close frees it.
type Engine struct{ e *C.idphoto_engine }

// Error carries the C status code and message.
type Error struct {
	Status  int
	Message string
}

func (e *Error) Error() string { return fmt.Sprintf("idphoto: %s (status %d)", e.Message, e.Status) }

// call runs f on a locked OS thread so that a failure's message is read from the thread that set it.
func call(f func() C.idphoto_status) error {
	runtime.LockOSThread()
	defer runtime.UnlockOSThread()
	if s := f(); s != C.IDPHOTO_OK {
		return &Error{Status: int(s), Message: C.GoString(C.idphoto_last_error())}
	}
	return nil
}

// NewEngine loads the models (slow: do it once). options is the C API's JSON, "" for defaults.
func NewEngine(options string) (*Engine, error) {
	var e *C.idphoto_engine
	copts := C.CString(options)
	defer C.free(unsafe.Pointer(copts))
	if err := call(func() C.idphoto_status { return C.idphoto_engine_create(copts, &e) }); err != nil {
		return nil, err
	}
	return &Engine{e: e}, nil
}

func (en *Engine) Close() { C.idphoto_engine_free(en.e) }

// CheckPhoto judges the bytes of an uploaded photo; it returns the verdict and the report JSON.
func (en *Engine) CheckPhoto(data []byte, profileID, name string) (string, string, error) {
	if len(data) == 0 {
		return "", "", errors.New("idphoto: empty input")
	}
	var profile *C.idphoto_profile
	cid := C.CString(profileID)
	defer C.free(unsafe.Pointer(cid))
	if err := call(func() C.idphoto_status { return C.idphoto_profile_get(cid, &profile) }); err != nil {
		return "", "", err
	}
	defer C.idphoto_profile_free(profile)

	cname := C.CString(name)
	defer C.free(unsafe.Pointer(cname))
	var report *C.idphoto_report
	// The library reads the Go slice during the call only and keeps no pointer to it (cgo's rule).
	err := call(func() C.idphoto_status {
		return C.idphoto_photo_check(en.e, (*C.uint8_t)(unsafe.Pointer(&data[0])), C.size_t(len(data)), profile, cname, &report)
	})
	if err != nil {
		return "", "", err
	}
	defer C.idphoto_report_free(report)
	verdict := "error"
	switch C.idphoto_report_verdict(report) {
	case C.IDPHOTO_VERDICT_PASS:
		verdict = "pass"
	case C.IDPHOTO_VERDICT_FAIL:
		verdict = "fail"
	}
	return verdict, C.GoString(C.idphoto_report_json(report)), nil
}

func main() {
	if len(os.Args) < 2 {
		fmt.Fprintf(os.Stderr, "usage: %s PHOTO [PROFILE]\n", os.Args[0])
		os.Exit(2)
	}
	profile := "cn-1inch"
	if len(os.Args) > 2 {
		profile = os.Args[2]
	}
	data, err := os.ReadFile(os.Args[1])
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(3)
	}
	engine, err := NewEngine("")
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(2)
	}
	verdict, report, err := engine.CheckPhoto(data, profile, os.Args[1])
	engine.Close() // os.Exit runs no deferred calls
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(4)
	}
	fmt.Printf("libidphoto %s: %s\n%s\n", C.GoString(C.idphoto_version_string()), verdict, report)
	code := map[string]int{"pass": 0, "fail": 1}[verdict]
	if verdict == "error" {
		code = 3
	}
	os.Exit(code)
}
