# Installation: programs, libraries (static and shared), public headers,
# pkg-config files and the CMake package gbapush (docs/install.md).
#
#   <prefix>/bin            gba-bsfctl gba-ue gba-scs gbatool
#   <prefix>/sbin           gba-bsf (a daemon)
#   <prefix>/<libdir>       libgbapush{,-gpl,-ue,-scs}.a and .so.<soversion>
#   <prefix>/include/gbapush/{gba,gpl,gbaue,scs}/*.h
#   <prefix>/<libdir>/pkgconfig/gbapush{,-gpl,-ue,-scs}.pc
#   <prefix>/<libdir>/cmake/gbapush/  find_package(gbapush) ->
#                           gbapush::gba gbapush::gpl gbapush::ue gbapush::scs
#
# The installed files are named libgbapush* (not libgba/libgpl, too generic
# for /usr/lib).  In the build tree the static targets keep their names
# (gba, gpl, gbaue, scsclient); the shared ones are *_shared twins built
# from the same source lists with hidden visibility: only the functions
# marked GBA_EXPORT (gba/err.h, the one export macro of all the libraries)
# in the public headers are exported.
include(GNUInstallDirs)
include(CMakePackageConfigHelpers)

set(GBAPUSH_SOVERSION 0) # 0.x: the ABI may change with every minor version

# gbapush_shared_twin(<static> <shared> <output-name> <export-name>)
function(gbapush_shared_twin static shared outname expname)
  get_target_property(dir ${static} SOURCE_DIR)
  get_target_property(defs ${static} COMPILE_DEFINITIONS)
  gbapush_target_sources(${static} abs)
  add_library(${shared} SHARED ${abs})
  target_include_directories(${shared}
    PUBLIC $<BUILD_INTERFACE:${dir}/include>
           $<INSTALL_INTERFACE:${CMAKE_INSTALL_INCLUDEDIR}/gbapush>
    PRIVATE ${dir}/src)
  if(defs)
    target_compile_definitions(${shared} PRIVATE ${defs})
  endif()
  set_target_properties(${shared} PROPERTIES
    OUTPUT_NAME ${outname}
    EXPORT_NAME ${expname}
    VERSION ${PROJECT_VERSION}
    SOVERSION ${GBAPUSH_SOVERSION}
    C_VISIBILITY_PRESET hidden
    VISIBILITY_INLINES_HIDDEN ON)
  # every symbol resolved at link time: a library calling a function
  # another one does not export fails here, not in the user's program
  target_link_options(${shared} PRIVATE -Wl,--no-undefined)
endfunction()

gbapush_shared_twin(gba gba_shared gbapush gba)
pkg_check_modules(GBA_UTF8PROC REQUIRED IMPORTED_TARGET libutf8proc)
target_link_libraries(gba_shared PRIVATE OpenSSL::Crypto
  PkgConfig::GBA_UTF8PROC)
gbapush_shared_twin(gpl gpl_shared gbapush-gpl gpl)
target_link_libraries(gpl_shared PUBLIC gba_shared)
gbapush_shared_twin(gbaue gbaue_shared gbapush-ue ue)
target_link_libraries(gbaue_shared PUBLIC gpl_shared gba_shared)
gbapush_shared_twin(scsclient scsclient_shared gbapush-scs scs)
# its source list carries common/host/text.c (hidden symbols): its header
target_include_directories(scsclient_shared PRIVATE ${GBA_TEXT_INCLUDE})
# pkg_check_modules' imported targets are local to scs/: look them up here
pkg_check_modules(SCS_CURL REQUIRED IMPORTED_TARGET libcurl)
pkg_check_modules(SCS_JANSSON REQUIRED IMPORTED_TARGET jansson)
target_link_libraries(scsclient_shared PUBLIC gpl_shared gba_shared
  PRIVATE PkgConfig::SCS_CURL PkgConfig::SCS_JANSSON)

# ---- programs ----
set(GBAPUSH_PROGRAMS gba-ue gba-scs gbatool)
if(TARGET gba-bsfctl)
  list(APPEND GBAPUSH_PROGRAMS gba-bsfctl)
endif()
install(TARGETS ${GBAPUSH_PROGRAMS} RUNTIME DESTINATION ${CMAKE_INSTALL_BINDIR})
if(TARGET gba-bsf)
  install(TARGETS gba-bsf RUNTIME DESTINATION ${CMAKE_INSTALL_SBINDIR})
endif()
# the Zh server (docs/diameter.md); gba-hss-test (fault injection) is
# for the tests only and never installed
if(TARGET gba-hss)
  install(TARGETS gba-hss RUNTIME DESTINATION ${CMAKE_INSTALL_SBINDIR})
endif()

# ---- bash completion: one copy per program (bash-completion loads the
# file named after the command) ----
foreach(p gba-bsf gba-bsfctl gba-ue gba-scs gbatool)
  install(FILES ${PROJECT_SOURCE_DIR}/scripts/completion/gbapush.bash
    DESTINATION ${CMAKE_INSTALL_DATADIR}/bash-completion/completions
    RENAME ${p})
endforeach()

# ---- shared libraries and the CMake package ----
install(TARGETS gba_shared gpl_shared gbaue_shared scsclient_shared
  EXPORT gbapushTargets
  LIBRARY DESTINATION ${CMAKE_INSTALL_LIBDIR}
    NAMELINK_COMPONENT dev
  INCLUDES DESTINATION ${CMAKE_INSTALL_INCLUDEDIR}/gbapush)
install(EXPORT gbapushTargets NAMESPACE gbapush::
  FILE gbapushTargets.cmake
  DESTINATION ${CMAKE_INSTALL_LIBDIR}/cmake/gbapush COMPONENT dev)
configure_package_config_file(cmake/gbapushConfig.cmake.in
  ${CMAKE_CURRENT_BINARY_DIR}/gbapushConfig.cmake
  INSTALL_DESTINATION ${CMAKE_INSTALL_LIBDIR}/cmake/gbapush)
write_basic_package_version_file(
  ${CMAKE_CURRENT_BINARY_DIR}/gbapushConfigVersion.cmake
  COMPATIBILITY SameMinorVersion)
install(FILES ${CMAKE_CURRENT_BINARY_DIR}/gbapushConfig.cmake
              ${CMAKE_CURRENT_BINARY_DIR}/gbapushConfigVersion.cmake
  DESTINATION ${CMAKE_INSTALL_LIBDIR}/cmake/gbapush COMPONENT dev)

# ---- static libraries, under the installed names ----
foreach(pair gba:gbapush gpl:gbapush-gpl gbaue:gbapush-ue scsclient:gbapush-scs)
  string(REPLACE ":" ";" pair ${pair})
  list(GET pair 0 tgt)
  list(GET pair 1 out)
  install(FILES $<TARGET_FILE:${tgt}> DESTINATION ${CMAKE_INSTALL_LIBDIR}
          RENAME lib${out}.a COMPONENT dev)
endforeach()

# ---- public headers: <prefix>/include/gbapush/<component>/ ----
foreach(dir common/include/gba gpl/include/gpl ue-agent/include/gbaue
        scs/include/scs)
  install(DIRECTORY ${PROJECT_SOURCE_DIR}/${dir}
    DESTINATION ${CMAKE_INSTALL_INCLUDEDIR}/gbapush COMPONENT dev
    FILES_MATCHING PATTERN "*.h")
endforeach()

# ---- pkg-config: relocatable (prefix from ${pcfiledir}) ----
set(GBAPUSH_PCDIR ${CMAKE_INSTALL_LIBDIR}/pkgconfig)
file(RELATIVE_PATH GBAPUSH_PC_TO_PREFIX /p/${GBAPUSH_PCDIR} /p)
string(REGEX REPLACE "/$" "" GBAPUSH_PC_TO_PREFIX "${GBAPUSH_PC_TO_PREFIX}")
foreach(pc gbapush gbapush-gpl gbapush-ue gbapush-scs)
  configure_file(cmake/pkgconfig/${pc}.pc.in
    ${CMAKE_CURRENT_BINARY_DIR}/pkgconfig/${pc}.pc @ONLY)
  install(FILES ${CMAKE_CURRENT_BINARY_DIR}/pkgconfig/${pc}.pc
    DESTINATION ${GBAPUSH_PCDIR} COMPONENT dev)
endforeach()

# ---- man pages: docs/man/*.scd -> roff with scdoc at build time ----
option(GBA_MAN "Build and install the man pages (needs scdoc)" ON)
if(GBA_MAN)
  find_program(SCDOC scdoc)
  if(NOT SCDOC)
    message(WARNING "scdoc not found: man pages are not built "
                    "(scripts/install-deps.sh installs it; -DGBA_MAN=OFF "
                    "silences this)")
  else()
    # one per line: page.section
    set(GBAPUSH_MAN_PAGES
      gba-bsf.8
      gba-bsf.ini.5
      gba-bsfctl.8
      gba-hss.8
      gba-scs.1
      gba-ue.1
      gbatool.1
    )
    set(man_out "")
    foreach(page ${GBAPUSH_MAN_PAGES})
      set(src ${PROJECT_SOURCE_DIR}/docs/man/${page}.scd)
      set(out ${CMAKE_CURRENT_BINARY_DIR}/man/${page})
      add_custom_command(OUTPUT ${out}
        COMMAND ${CMAKE_COMMAND} -E make_directory ${CMAKE_CURRENT_BINARY_DIR}/man
        COMMAND ${SCDOC} < ${src} > ${out}
        DEPENDS ${src}
        COMMENT "scdoc ${page}"
        VERBATIM)
      list(APPEND man_out ${out})
      string(REGEX REPLACE "^.*\\.([0-9])$" "\\1" sect ${page})
      install(FILES ${out} DESTINATION ${CMAKE_INSTALL_MANDIR}/man${sect})
    endforeach()
    add_custom_target(man ALL DEPENDS ${man_out})
  endif()
endif()
