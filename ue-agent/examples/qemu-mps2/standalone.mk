# standalone.mk - the QEMU example built without CMake, from the generated
# Make fragment docs/firmware/gbaue.mk (what a non-CMake firmware does).
# make test-firmware runs:
#   make -f standalone.mk GBAPUSH_DIR=<tree> OUT=<dir> PDUS_DIR=<dir with fw_pdus.h>
GBAPUSH_DIR ?= ../../..
GBAUE_PROFILE ?= default
OUT ?= out
PDUS_DIR ?= $(OUT)
include $(GBAPUSH_DIR)/docs/firmware/gbaue.mk

CC := arm-none-eabi-gcc
ARCH := -mcpu=cortex-m4 -mthumb -mfloat-abi=hard -mfpu=fpv4-sp-d16
EX := $(GBAPUSH_DIR)/ue-agent/examples/qemu-mps2
CFLAGS := $(ARCH) -Os -ffunction-sections -fdata-sections -Wall -Werror $(GBAUE_CFLAGS) \
	-I$(EX) -I$(PDUS_DIR) -I$(GBAPUSH_DIR)/tests/support
LDFLAGS := $(ARCH) -specs=nano.specs -specs=rdimon.specs -nostartfiles \
	-T$(EX)/mps2_an386.ld -Wl,--gc-sections
SRCS := $(GBAUE_SRCS) $(EX)/startup.c $(EX)/port.c $(EX)/main.c \
	$(GBAPUSH_DIR)/tests/support/gbaue_test_ue.c

$(OUT)/gbaue-qemu-mps2: $(SRCS)
	@mkdir -p $(OUT)
	$(CC) $(CFLAGS) $(SRCS) $(LDFLAGS) -o $@
