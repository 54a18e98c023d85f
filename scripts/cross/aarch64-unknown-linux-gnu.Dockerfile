# cross's image for aarch64-unknown-linux-gnu, plus what llama-cpp-sys-2 needs: CMake, and libclang for
# bindgen (host packages), with bindgen pointed at the target's sysroot.
ARG CROSS_BASE_IMAGE
FROM $CROSS_BASE_IMAGE
RUN apt-get update \
 && apt-get install --assume-yes --no-install-recommends cmake clang libclang-dev \
 && rm -rf /var/lib/apt/lists/*
ENV BINDGEN_EXTRA_CLANG_ARGS_aarch64_unknown_linux_gnu="--sysroot=/usr/aarch64-linux-gnu -I/usr/aarch64-linux-gnu/include" \
    GGML_NATIVE=OFF
