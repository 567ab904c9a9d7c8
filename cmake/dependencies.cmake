# Every dependency comes from a Debian package (scripts/setup installs them).

# OpenCV: Debian's component packages ship no CMake config (that is in the umbrella libopencv-dev,
# which drags in VTK, Qt and GDAL), so find the pieces directly.
find_path(OPENCV_INCLUDE_DIR opencv2/core.hpp PATH_SUFFIXES opencv4 REQUIRED)
foreach(_m core imgproc calib3d imgcodecs)
  find_library(OPENCV_${_m}_LIBRARY opencv_${_m} REQUIRED)
  add_library(opencv::${_m} SHARED IMPORTED)
  set_target_properties(opencv::${_m} PROPERTIES
    IMPORTED_LOCATION ${OPENCV_${_m}_LIBRARY}
    INTERFACE_INCLUDE_DIRECTORIES ${OPENCV_INCLUDE_DIR})
endforeach()

find_package(dlib REQUIRED CONFIG)
find_package(libjpeg-turbo REQUIRED CONFIG)  # libjpeg-turbo::turbojpeg, libjpeg-turbo::jpeg
find_package(PNG REQUIRED)
find_package(nlohmann_json REQUIRED CONFIG)
find_package(CLI11 REQUIRED CONFIG)
find_path(DOCTEST_INCLUDE_DIR doctest/doctest.h)
find_package(benchmark CONFIG)
