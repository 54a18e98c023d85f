# cross's image for armv7-unknown-linux-gnueabihf, plus what llama-cpp-sys-2 needs: CMake, and libclang for
# bindgen (host packages), with bindgen pointed at the target's sysroot.
ARG CROSS_BASE_IMAGE
FROM $CROSS_BASE_IMAGE
RUN apt-get update \
 && apt-get install --assume-yes --no-install-recommends cmake clang libclang-dev \
 && rm -rf /var/lib/apt/lists/*
ENV BINDGEN_EXTRA_CLANG_ARGS_armv7_unknown_linux_gnueabihf="--sysroot=/usr/arm-linux-gnueabihf -I/usr/arm-linux-gnueabihf/include" \
    GGML_NATIVE=OFF
