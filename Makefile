# gbapush - top-level wrapper around CMake.  See README.md.
#   make demo   build and run the end-to-end demonstration (STORE=postgresql:
#               the same on a throwaway PostgreSQL cluster; KEEP=1 keeps it up)
#   make deb    Debian packages into build-deb/ (debian/, debhelper)
#   make golden-update  refresh tests/golden/*.ok from $(BUILD) (tests/README.md)
#   make test   build and run every test (normal build, then ASan/UBSan,
#               then the fuzz smoke runs when clang is available), and build
#               once more with CMAKE_BUILD_TYPE=Release (-O3-only warnings)
BUILD      ?= build
ASAN_BUILD ?= build-asan
FUZZ_BUILD ?= build-fuzz
CROSS_BUILD ?= build-cross
FW_BUILD   ?= build-fw
DEB_OUT    ?= build-deb
O3_BUILD   ?= build-o3
JOBS       ?= $(shell nproc 2>/dev/null || echo 2)
CMAKE_FLAGS ?=

.PHONY: all deps build golden-update test test-release test-asan test-fuzz test-cross test-o3 test-deb deb cross-build test-firmware demo bench bench-bsf bench-bsf-pg cross clean

all: build

deps:
	@scripts/install-deps.sh

$(BUILD)/CMakeCache.txt:
	cmake -S . -B $(BUILD) -DCMAKE_BUILD_TYPE=RelWithDebInfo -DGBA_WERROR=ON $(CMAKE_FLAGS)

build: deps $(BUILD)/CMakeCache.txt
	cmake --build $(BUILD) -j $(JOBS)

test-release: build
	cd $(BUILD) && ctest --output-on-failure -j $(JOBS) -LE fuzz

test-asan: deps
	cmake -S . -B $(ASAN_BUILD) -DCMAKE_BUILD_TYPE=Debug -DGBA_WERROR=ON -DGBA_SANITIZE=ON $(CMAKE_FLAGS)
	cmake --build $(ASAN_BUILD) -j $(JOBS)
	cd $(ASAN_BUILD) && ASAN_OPTIONS=detect_leaks=1:abort_on_error=1 \
		UBSAN_OPTIONS=print_stacktrace=1:halt_on_error=1 \
		ctest --output-on-failure -j $(JOBS) -LE fuzz

test-fuzz: deps
	@if [ -f tests/fuzz/CMakeLists.txt ]; then \
		CC=clang cmake -S . -B $(FUZZ_BUILD) -DCMAKE_BUILD_TYPE=Debug -DGBA_WERROR=ON -DGBA_FUZZ=ON $(CMAKE_FLAGS) && \
		cmake --build $(FUZZ_BUILD) -j $(JOBS) && \
		cd $(FUZZ_BUILD) && ctest --output-on-failure -j $(JOBS) -L fuzz; \
	else echo "no fuzz targets yet"; fi

# Cortex-M4 build of the UE libraries (portable crypto, no OpenSSL), in
# two float ABIs: $(CROSS_BUILD) soft float (Cortex-M4 without FPU) and
# $(CROSS_BUILD)-hard hard float with FPv4-SP (Cortex-M4F); each links the
# footprint probe image (docs/firmware-integration.md says which to pick).
# `make cross` installs the toolchain (gcc-arm-none-eabi, newlib) first;
# `make test` runs the build only when arm-none-eabi-gcc is already there.
cross:
	@scripts/install-deps.sh gcc-arm-none-eabi libnewlib-arm-none-eabi
	@$(MAKE) --no-print-directory cross-build

cross-build:
	cmake -S . -B $(CROSS_BUILD) -DCMAKE_TOOLCHAIN_FILE=cmake/arm-none-eabi.cmake \
		-DCMAKE_BUILD_TYPE=MinSizeRel -DGBA_FIRMWARE=ON -DGBA_WERROR=ON -DGBA_FLOAT_ABI=soft
	cmake --build $(CROSS_BUILD) -j $(JOBS)
	@scripts/cross_report.sh $(CROSS_BUILD)
	cmake -S . -B $(CROSS_BUILD)-hard -DCMAKE_TOOLCHAIN_FILE=cmake/arm-none-eabi.cmake \
		-DCMAKE_BUILD_TYPE=MinSizeRel -DGBA_FIRMWARE=ON -DGBA_WERROR=ON -DGBA_FLOAT_ABI=hard
	cmake --build $(CROSS_BUILD)-hard -j $(JOBS)
	@scripts/cross_report.sh $(CROSS_BUILD)-hard

# The UE agent running on a Cortex-M4 under QEMU (mps2-an386): builds the
# example of ue-agent/examples/qemu-mps2 in four variants, compares the
# events with the golden files, reports instructions per operation and the
# memory of the two profiles; ends with FIRMWARE OK.
test-firmware:
	@scripts/install-deps.sh gcc-arm-none-eabi libnewlib-arm-none-eabi qemu-system-arm python3
	@BUILD=$(BUILD) FW_BUILD=$(FW_BUILD) JOBS=$(JOBS) ue-agent/examples/qemu-mps2/run.sh

test-cross:
	@if command -v arm-none-eabi-gcc >/dev/null 2>&1; then \
		$(MAKE) --no-print-directory cross-build; \
	else echo "test-cross: arm-none-eabi-gcc not installed, Cortex-M4 build skipped (make cross installs it)"; fi

# A plain Release build (-O3, what a packager gets from
# `cmake -DCMAKE_BUILD_TYPE=Release`) with -Werror: some warnings
# (-Wformat-truncation, -Wstringop-*) only appear at -O3.  Built, not run.
test-o3: deps
	cmake -S . -B $(O3_BUILD) -DCMAKE_BUILD_TYPE=Release -DGBA_WERROR=ON $(CMAKE_FLAGS)
	cmake --build $(O3_BUILD) -j $(JOBS)

# Debian packages (debian/, debhelper): built from a temporary copy of the
# tree, the .debs land in $(DEB_OUT)/.  test-deb also checks them
# (contents, lintian, systemd-analyze verify): scripts/deb-check.sh.
DEB_TOOLS = debhelper dpkg-dev fakeroot lintian scdoc systemd
deb:
	@scripts/install-deps.sh $(DEB_TOOLS)
	@scripts/deb-build.sh $(DEB_OUT)

test-deb: deb
	@scripts/deb-check.sh $(DEB_OUT)

test: test-release test-o3 test-asan test-fuzz test-firmware test-cross test-deb

demo: build
	@scripts/demo.sh $(if $(KEEP),--keep) $(if $(STORE),--store $(STORE)) $(if $(HSS),--hss $(HSS)) $(BUILD)

# after an intended output change of gbatool / gba-ue / gba-scs
golden-update: build
	@BUILD_DIR=$(abspath $(BUILD)) tests/golden/update.sh

bench: build
	@if [ -x $(BUILD)/bench/gba-bench ]; then $(BUILD)/bench/gba-bench; else echo "no benchmark built"; fi

# gba-bsf against its targets, 1 000 and 1 000 000 subscribers (about 3 min)
bench-bsf: build
	@bench/bsf_bench.sh $(BUILD)

bench-bsf-pg: build
	@bench/bsf_pg_bench.sh $(BUILD)

clean:
	rm -rf $(BUILD) $(ASAN_BUILD) $(FUZZ_BUILD) $(CROSS_BUILD) $(CROSS_BUILD)-hard \
		$(FW_BUILD)-default $(FW_BUILD)-small $(FW_BUILD)-soft $(FW_BUILD)-tables $(FW_BUILD)-list \
		$(O3_BUILD) $(DEB_OUT)
