// Native jobs: run a C++ kernel over a byte range on libuv's thread pool (napi_async_work through
// Napi::AsyncWorker) and resolve a Promise with [digest, queuedAt, startedAt, finishedAt, threadId].
// Timestamps use CLOCK_MONOTONIC nanoseconds, the clock behind process.hrtime.bigint().
#include <sys/syscall.h>
#include <unistd.h>

#include <atomic>
#include <cstring>

#include "common.h"
#include "kernels.h"

namespace weft {
namespace {

using Kernel = std::vector<uint8_t> (*)(const uint8_t*, size_t);

struct KernelEntry {
  const char* name;
  Kernel run;
};

constexpr KernelEntry kKernels[] = {{"sha256", Sha256}, {"fnv1a64", Fnv1a64}};

Napi::ArrayBuffer ToArrayBuffer(Napi::Env env, const std::vector<uint8_t>& bytes) {
  Napi::ArrayBuffer out = Napi::ArrayBuffer::New(env, bytes.size());
  if (!bytes.empty()) std::memcpy(out.Data(), bytes.data(), bytes.size());
  return out;
}

std::atomic<int> inFlight{0};
std::atomic<int> maxInFlight{0};

class JobWorker : public Napi::AsyncWorker {
 public:
  JobWorker(Napi::Env env, Kernel kernel, Napi::Object view, const uint8_t* data, size_t length)
      : Napi::AsyncWorker(env, "weft:nativeJob"),
        deferred_(Napi::Promise::Deferred::New(env)),
        view_(Napi::Persistent(view)),
        kernel_(kernel),
        data_(data),
        length_(length),
        queuedAt_(MonotonicNs()) {}

  Napi::Promise Promise() const { return deferred_.Promise(); }

  void Execute() override {
    int now = inFlight.fetch_add(1) + 1;
    int seen = maxInFlight.load();
    while (now > seen && !maxInFlight.compare_exchange_weak(seen, now)) {
    }
    startedAt_ = MonotonicNs();
    thread_ = static_cast<long>(syscall(SYS_gettid));
    result_ = kernel_(data_, length_);
    finishedAt_ = MonotonicNs();
    inFlight.fetch_sub(1);
  }

  void OnOK() override {
    Napi::Env env = Env();
    Napi::Array out = Napi::Array::New(env, 5);
    out.Set(0u, ToArrayBuffer(env, result_));
    out.Set(1u, Napi::BigInt::New(env, queuedAt_));
    out.Set(2u, Napi::BigInt::New(env, startedAt_));
    out.Set(3u, Napi::BigInt::New(env, finishedAt_));
    out.Set(4u, Napi::Number::New(env, static_cast<double>(thread_)));
    deferred_.Resolve(out);
  }

  void OnError(const Napi::Error& error) override { deferred_.Reject(error.Value()); }

 private:
  Napi::Promise::Deferred deferred_;
  Napi::ObjectReference view_;  // keeps the input alive while a pool thread reads it
  Kernel kernel_;
  const uint8_t* data_;
  size_t length_;
  uint64_t queuedAt_;
  uint64_t startedAt_ = 0;
  uint64_t finishedAt_ = 0;
  long thread_ = 0;
  std::vector<uint8_t> result_;
};

struct Bytes {
  const uint8_t* data;
  size_t length;
};

// info[1] must be a Uint8Array (the JavaScript layer turns every accepted input into one).
Bytes BytesArg(const Napi::CallbackInfo& info) {
  napi_typedarray_type type;
  size_t length;
  void* data;
  if (info.Length() < 2 || !info[1].IsTypedArray() ||
      napi_get_typedarray_info(info.Env(), info[1], &type, &length, &data, nullptr, nullptr) != napi_ok ||
      type != napi_uint8_array) {
    throw Napi::TypeError::New(info.Env(), "data must be a Uint8Array");
  }
  return {static_cast<const uint8_t*>(data), length};
}

// info[0] must name a kernel of kKernels.
Kernel KernelArg(const Napi::CallbackInfo& info) {
  if (info.Length() < 1 || !info[0].IsString()) throw Napi::TypeError::New(info.Env(), "kernel name must be a string");
  std::string name = info[0].As<Napi::String>().Utf8Value();
  for (const auto& entry : kKernels) {
    if (name == entry.name) return entry.run;
  }
  throw Napi::TypeError::New(info.Env(), "unknown kernel " + name);
}

// runJob(kernelName, uint8Array): queues the kernel on the libuv pool; returns a Promise.
Napi::Value RunJob(const Napi::CallbackInfo& info) {
  Napi::Env env = info.Env();
  Kernel kernel = KernelArg(info);
  Bytes bytes = BytesArg(info);
  auto* worker = new JobWorker(env, kernel, info[1].As<Napi::Object>(), bytes.data, bytes.length);
  Napi::Promise promise = worker->Promise();
  worker->Queue();
  return promise;
}

// runSync(kernelName, uint8Array): the same kernel on the calling thread; returns the digest.
Napi::Value RunSync(const Napi::CallbackInfo& info) {
  Napi::Env env = info.Env();
  Kernel kernel = KernelArg(info);
  Bytes bytes = BytesArg(info);
  return ToArrayBuffer(env, kernel(bytes.data, bytes.length));
}

Napi::Value Stats(const Napi::CallbackInfo& info) {
  Napi::Env env = info.Env();
  Napi::Object out = Napi::Object::New(env);
  out.Set("inFlight", inFlight.load());
  out.Set("maxInFlight", maxInFlight.load());
  if (info.Length() > 0 && info[0].ToBoolean()) maxInFlight.store(inFlight.load());
  return out;
}

}  // namespace

void InitJobs(Napi::Env env, Napi::Object exports) {
  Napi::Array names = Napi::Array::New(env);
  uint32_t i = 0;
  for (const auto& entry : kKernels) names.Set(i++, Napi::String::New(env, entry.name));
  exports.Set("kernels", names);
  exports.Set("runJob", Napi::Function::New(env, RunJob, "runJob"));
  exports.Set("runSync", Napi::Function::New(env, RunSync, "runSync"));
  exports.Set("jobStats", Napi::Function::New(env, Stats, "jobStats"));
}

}  // namespace weft
