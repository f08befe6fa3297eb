# Thin wrapper around CMake. Every target first installs missing Debian packages (installer/deps.sh).
#   make run    build and start the GUI (first run opens the set-up screen)
#   make test   build and run every test under a private D-Bus + gnome-keyring + Xvfb
#   make bench  build and run the benchmarks
#   make deb    build the .deb package
#   make asan   build and test with AddressSanitizer + UndefinedBehaviorSanitizer
#   make fuzz   fuzz the otpauth/Base32/recovery-code parsers with libFuzzer (clang++), FUZZ_SECONDS long
#   make format apply clang-format
BUILD_DIR ?= build
PRESET    ?= default
JOBS      ?= 2
FUZZ_SECONDS ?= 60

.PHONY: all deps configure build run test bench deb asan fuzz format clean

all: build

deps:
	@bash installer/deps.sh

configure: deps
	@cmake --preset $(PRESET) >/dev/null

build: configure
	@cmake --build --preset $(PRESET) -j $(JOBS)

run: build
	./$(BUILD_DIR)/app/gatehouse/gatehouse $(ARGS)

test: build
	tests/support/with-services.sh ctest --test-dir $(BUILD_DIR) --output-on-failure -j $(JOBS)

bench: build
	@bash installer/deps.sh --bench
	tests/support/with-services.sh bench/run.sh $(BUILD_DIR)

deb: build
	cd $(BUILD_DIR) && cpack -G DEB

asan:
	$(MAKE) test PRESET=asan BUILD_DIR=build-asan

fuzz: deps
	tests/fuzz/run.sh $(FUZZ_SECONDS) build-fuzz

format:
	@git ls-files '*.cpp' '*.h' | xargs clang-format -i

clean:
	rm -rf build build-asan build-fuzz
