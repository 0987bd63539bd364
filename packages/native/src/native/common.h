// Shared declarations for the @weft/native addon. Each .cc file registers its functions on `exports`.
#pragma once

#include <napi.h>

#include <cstdint>
#include <string>

namespace weft {

// Monotonic clock in nanoseconds, the same clock as process.hrtime.bigint() (libuv uses CLOCK_MONOTONIC).
uint64_t MonotonicNs();

// Throws a JS Error carrying `code` (e.g. "ENOENT") and `syscall`, from errno.
[[noreturn]] void ThrowErrno(Napi::Env env, const char* syscall, int err, const std::string& what);

void InitSharedMemory(Napi::Env env, Napi::Object exports);
void InitFutex(Napi::Env env, Napi::Object exports);
void InitJobs(Napi::Env env, Napi::Object exports);
void InitParentDeath(Napi::Env env, Napi::Object exports);

}  // namespace weft
