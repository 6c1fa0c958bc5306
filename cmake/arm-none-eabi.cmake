# Toolchain file: bare-metal Cortex-M4 (Thumb-2), newlib, no OS.
# Used by `make cross` (GBA_FIRMWARE=ON builds libgba with the portable
# crypto backend, libgpl and libgbaue only; no OpenSSL, no programs).
#
# GBA_FLOAT_ABI selects the procedure-call standard, which must match the
# firmware the libraries are linked into (docs/firmware-integration.md):
#   soft    no FPU instructions, soft-float calls (Cortex-M4 without FPU)
#   softfp  FPv4-SP instructions allowed, soft-float calls
#   hard    FPv4-SP, floats in VFP registers (the usual Cortex-M4F firmware)
# The library code itself uses no floating point; the choice only decides
# which firmware (and which newlib multilib) it can be linked with.
set(CMAKE_SYSTEM_NAME Generic)
set(CMAKE_SYSTEM_PROCESSOR arm)
set(CMAKE_C_COMPILER arm-none-eabi-gcc)
set(CMAKE_AR arm-none-eabi-ar)
set(CMAKE_RANLIB arm-none-eabi-ranlib)
set(GBA_FLOAT_ABI soft CACHE STRING "Cortex-M4 float ABI: soft, softfp or hard")
set_property(CACHE GBA_FLOAT_ABI PROPERTY STRINGS soft softfp hard)
if(GBA_FLOAT_ABI STREQUAL "soft")
  set(GBA_FPU_FLAGS "-mfloat-abi=soft")
elseif(GBA_FLOAT_ABI STREQUAL "softfp" OR GBA_FLOAT_ABI STREQUAL "hard")
  set(GBA_FPU_FLAGS "-mfloat-abi=${GBA_FLOAT_ABI} -mfpu=fpv4-sp-d16")
else()
  message(FATAL_ERROR "GBA_FLOAT_ABI must be soft, softfp or hard")
endif()
# try_compile cannot link without a board's startup code and linker script
set(CMAKE_TRY_COMPILE_TARGET_TYPE STATIC_LIBRARY)
set(CMAKE_C_FLAGS_INIT "-mcpu=cortex-m4 -mthumb ${GBA_FPU_FLAGS} -ffunction-sections -fdata-sections")
set(CMAKE_C_FLAGS_MINSIZEREL_INIT "-Os -DNDEBUG")
# the C library's system layer is the image's choice (nosys for the
# footprint probe, rdimon semihosting for the QEMU example)
set(CMAKE_EXE_LINKER_FLAGS_INIT "-specs=nano.specs -Wl,--gc-sections")
set(CMAKE_FIND_ROOT_PATH_MODE_PROGRAM NEVER)
set(CMAKE_FIND_ROOT_PATH_MODE_LIBRARY ONLY)
set(CMAKE_FIND_ROOT_PATH_MODE_INCLUDE ONLY)
