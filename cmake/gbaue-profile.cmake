# UE agent memory profiles for firmware builds (GBA_FIRMWARE=ON):
#   -DGBAUE_PROFILE=default|small   (empty: the header defaults, as on hosts)
# One table; docs/firmware-integration.md "Profiles" gives what each
# receives and what it costs (measured by make test-firmware).  The
# defines apply to every library (the same value everywhere is required:
# the sizes shape structures shared between libgba, libgpl and libgbaue).
set(GBAUE_PROFILE "" CACHE STRING "UE agent memory profile: default, small or empty")
set_property(CACHE GBAUE_PROFILE PROPERTY STRINGS "" default small)
if(GBAUE_PROFILE STREQUAL "default")
  # any GPI the BSF emits (512-octet GPI + envelope + WSP header: at most
  # 5 concatenated SMS), triggers up to 512 octets, two messages in
  # reassembly at once, four NAF SAs
  set(GBAUE_PROFILE_DEFINES GBA_SMS_REASM_SLOTS=2 GBA_SMS_REASM_MAX_SEGS=5
      GBAUE_TRIGGER_MAX=512 GBAUE_SA_SLOTS=4 GBAUE_RAND_HISTORY=8
      GBAUE_NAF_ALLOW_MAX=2)
elseif(GBAUE_PROFILE STREQUAL "small")
  # a GPI of up to two SMS, a 100-octet trigger, one message in
  # reassembly, one NAF SA
  set(GBAUE_PROFILE_DEFINES GBA_SMS_REASM_SLOTS=1 GBA_SMS_REASM_MAX_SEGS=2
      GBAUE_TRIGGER_MAX=100 GBAUE_SA_SLOTS=1 GBAUE_RAND_HISTORY=1
      GBAUE_NAF_ALLOW_MAX=1)
elseif(NOT GBAUE_PROFILE STREQUAL "")
  message(FATAL_ERROR "GBAUE_PROFILE must be default, small or empty")
endif()
if(GBAUE_PROFILE_DEFINES)
  add_compile_definitions(${GBAUE_PROFILE_DEFINES})
endif()
