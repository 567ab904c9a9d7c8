// Linked into c_api_threads_test only when IDPHOTO_OPENCV_SINGLE_THREAD is ON (the `tsan` preset).
//
// Debian's OpenCV runs parallel_for_ on an uninstrumented TBB pool, and OPENCV_FOR_THREADS_NUM=1 does
// not keep it off that pool (the 2026-11-26 TSan run still saw cv::Mat buffers allocated on a TBB
// worker). cv::setNumThreads(1) makes parallel_for_ run every OpenCV call on the calling thread (and
// sizes the TBB arena to that one thread), so ThreadSanitizer sees all of OpenCV's work on threads the
// test made. (setNumThreads(0) also runs serially, but Debian's TBB backend then still reports the
// arena's full concurrency from getNumThreads(), so 1 is the value that can be asserted.)
// It is set before main() so no idphoto call can start the pool first. The test itself stays C11.
#include <opencv2/core/utility.hpp>

namespace {
const bool opencv_single_threaded = [] {
  cv::setNumThreads(1);
  return cv::getNumThreads() == 1;
}();
}  // namespace

// The test asks this before it starts its threads and fails if OpenCV would still fan out.
extern "C" int idphoto_test_opencv_single_threaded(void) { return opencv_single_threaded ? 1 : 0; }
