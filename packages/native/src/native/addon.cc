// Module entry: registers shared memory, futex, native-job and parent-death functions.
#include <cerrno>
#include <cstring>
#include <ctime>

#include "common.h"

namespace weft {

uint64_t MonotonicNs() {
  timespec ts;
  clock_gettime(CLOCK_MONOTONIC, &ts);
  return static_cast<uint64_t>(ts.tv_sec) * 1000000000ull + static_cast<uint64_t>(ts.tv_nsec);
}

void ThrowErrno(Napi::Env env, const char* syscall, int err, const std::string& what) {
  Napi::Error error = Napi::Error::New(env, what + ": " + std::strerror(err));
  error.Set("syscall", Napi::String::New(env, syscall));
  error.Set("errno", Napi::Number::New(env, err));
  const char* code = nullptr;
  switch (err) {
    case ENOENT: code = "ENOENT"; break;
    case EEXIST: code = "EEXIST"; break;
    case EACCES: code = "EACCES"; break;
    case ENOSPC: code = "ENOSPC"; break;
    case ENOMEM: code = "ENOMEM"; break;
    case EINVAL: code = "EINVAL"; break;
    case EMFILE: code = "EMFILE"; break;
    case ENAMETOOLONG: code = "ENAMETOOLONG"; break;
    case EBADF: code = "EBADF"; break;
    case ENODEV: code = "ENODEV"; break;
    default: code = "EUNKNOWN"; break;
  }
  error.Set("code", Napi::String::New(env, code));
  throw error;
}

}  // namespace weft

static Napi::Object Init(Napi::Env env, Napi::Object exports) {
  weft::InitSharedMemory(env, exports);
  weft::InitFutex(env, exports);
  weft::InitJobs(env, exports);
  weft::InitParentDeath(env, exports);
  exports.Set("monotonicNs", Napi::Function::New(env, [](const Napi::CallbackInfo& info) -> Napi::Value {
    return Napi::BigInt::New(info.Env(), weft::MonotonicNs());
  }));
  return exports;
}

NODE_API_MODULE(weft_native, Init)
