# install(): the shared library (C API), its header, the CLI and its codec module, CMake package and
# pkg-config file.
#   cmake --install build --prefix /usr/local
#   find_package(idphoto) → idphoto::idphoto ; pkg-config --cflags --libs idphoto
include(CMakePackageConfigHelpers)

install(TARGETS idphoto EXPORT idphotoTargets
  LIBRARY DESTINATION ${CMAKE_INSTALL_LIBDIR} COMPONENT runtime NAMELINK_COMPONENT dev)
install(FILES ${PROJECT_SOURCE_DIR}/bindings/c/idphoto.h DESTINATION ${CMAKE_INSTALL_INCLUDEDIR}/idphoto
  COMPONENT dev)
install(FILES ${PROJECT_BINARY_DIR}/idphoto.pc DESTINATION ${CMAKE_INSTALL_LIBDIR}/pkgconfig
  COMPONENT dev)
install(EXPORT idphotoTargets NAMESPACE idphoto:: DESTINATION ${CMAKE_INSTALL_LIBDIR}/cmake/idphoto
  COMPONENT dev)
configure_package_config_file(${PROJECT_SOURCE_DIR}/cmake/idphotoConfig.cmake.in
  ${PROJECT_BINARY_DIR}/idphotoConfig.cmake INSTALL_DESTINATION ${CMAKE_INSTALL_LIBDIR}/cmake/idphoto)
write_basic_package_version_file(${PROJECT_BINARY_DIR}/idphotoConfigVersion.cmake
  COMPATIBILITY SameMajorVersion)
install(FILES ${PROJECT_BINARY_DIR}/idphotoConfig.cmake ${PROJECT_BINARY_DIR}/idphotoConfigVersion.cmake
  DESTINATION ${CMAKE_INSTALL_LIBDIR}/cmake/idphoto COMPONENT dev)

if(TARGET idphoto_cli)
  set_target_properties(idphoto_cli PROPERTIES INSTALL_RPATH "$ORIGIN/../${CMAKE_INSTALL_LIBDIR}")
  install(TARGETS idphoto_cli RUNTIME DESTINATION ${CMAKE_INSTALL_BINDIR} COMPONENT runtime)
  # The codec module the CLI loads on first use (cli/codecs.hpp) from <bindir>/../<libdir>/idphoto.
  # It links only OpenCV from the system paths, so it needs no RPATH.
  install(TARGETS idphoto_codecs LIBRARY DESTINATION ${CMAKE_INSTALL_LIBDIR}/idphoto COMPONENT runtime)
endif()

# The AVX2 face-detector module libidphoto loads from <libdir>/idphoto when the CPU has AVX2 + FMA
# (src/face/face_models.cpp); without it the baseline detector runs.
if(TARGET idphoto_hog_avx2)
  install(TARGETS idphoto_hog_avx2 LIBRARY DESTINATION ${CMAKE_INSTALL_LIBDIR}/idphoto COMPONENT runtime)
endif()
