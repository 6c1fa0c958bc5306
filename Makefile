# gbapush - top-level wrapper around CMake.  See README.md.
#   make demo   build and run the end-to-end demonstration
#   make test   build and run every test (normal build, then ASan/UBSan,
#               then the fuzz smoke runs when clang is available)
BUILD      ?= build
ASAN_BUILD ?= build-asan
FUZZ_BUILD ?= build-fuzz
JOBS       ?= $(shell nproc 2>/dev/null || echo 2)
CMAKE_FLAGS ?=

.PHONY: all deps build test test-release test-asan test-fuzz demo bench cross clean

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
		CC=clang cmake -S . -B $(FUZZ_BUILD) -DCMAKE_BUILD_TYPE=Debug -DGBA_WERROR=ON -DGBA_FUZZ=ON -DGBA_BUILD_BSF=OFF $(CMAKE_FLAGS) && \
		cmake --build $(FUZZ_BUILD) -j $(JOBS) && \
		cd $(FUZZ_BUILD) && ctest --output-on-failure -j $(JOBS) -L fuzz; \
	else echo "no fuzz targets yet"; fi

test: test-release test-asan test-fuzz

demo: build
	@scripts/demo.sh $(BUILD)

bench: build
	@if [ -x $(BUILD)/bench/gba-bench ]; then $(BUILD)/bench/gba-bench; else echo "no benchmark built"; fi

clean:
	rm -rf $(BUILD) $(ASAN_BUILD) $(FUZZ_BUILD)
