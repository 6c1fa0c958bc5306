# gbapush_target_sources(<target> <var>): the source list of a library
# target, as absolute paths, into <var>.  For building the same sources
# again in another configuration (the shared twins of
# cmake/GbapushInstall.cmake, the portable-backend and table-AES test
# programs of tests/CMakeLists.txt) from the one explicit list of each
# library, never a GLOB.
function(gbapush_target_sources tgt var)
  get_target_property(srcs ${tgt} SOURCES)
  get_target_property(dir ${tgt} SOURCE_DIR)
  set(abs "")
  foreach(s ${srcs})
    if(IS_ABSOLUTE ${s})
      list(APPEND abs ${s})
    else()
      list(APPEND abs ${dir}/${s})
    endif()
  endforeach()
  set(${var} ${abs} PARENT_SCOPE)
endfunction()
