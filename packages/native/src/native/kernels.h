// Pure C++ kernels run by jobs.cc on libuv's thread pool. They touch no JavaScript value, so they may run
// on any thread while the event loop keeps going (the Node equivalent of Py_BEGIN_ALLOW_THREADS).
#pragma once

#include <cstddef>
#include <cstdint>
#include <vector>

namespace weft {

// SHA-256 (FIPS 180-4) digest: 32 bytes.
std::vector<uint8_t> Sha256(const uint8_t* data, size_t length);

// 64-bit FNV-1a: 8 bytes, little-endian.
std::vector<uint8_t> Fnv1a64(const uint8_t* data, size_t length);

}  // namespace weft
