// Process-shared futex wait/wake on an Int32Array slot. FUTEX_PRIVATE_FLAG is deliberately NOT used: on a
// MAP_SHARED mapping the kernel then keys the futex by (inode, offset), so a wake in one process reaches a
// waiter in another. On private memory (an ordinary SharedArrayBuffer) it still works within the process.
//
// Results: 0 = "ok" (woken, possibly spuriously: callers re-check their state), 1 = "not-equal",
// 2 = "timed-out". Timeouts are in milliseconds; NaN or +Infinity waits forever, negative means 0.
#include "common.h"

#ifdef __linux__
#include <linux/futex.h>
#include <sys/syscall.h>
#include <unistd.h>
#endif

#include <cerrno>
#include <climits>
#include <cmath>
#include <ctime>

namespace weft {
namespace {

constexpr int kOk = 0;
constexpr int kNotEqual = 1;
constexpr int kTimedOut = 2;


// Reads (i32, index) arguments and returns the slot address, validating type and bounds.
int32_t* SlotAddress(const Napi::CallbackInfo& info) {
  Napi::Env env = info.Env();
  if (info.Length() < 2 || !info[0].IsTypedArray()) {
    throw Napi::TypeError::New(env, "expected an Int32Array over shared memory");
  }
  napi_typedarray_type type;
  size_t length;
  void* data;
  napi_status status = napi_get_typedarray_info(env, info[0], &type, &length, &data, nullptr, nullptr);
  if (status != napi_ok || type != napi_int32_array) {
    throw Napi::TypeError::New(env, "expected an Int32Array over shared memory");
  }
  if (!info[1].IsNumber()) throw Napi::TypeError::New(env, "index must be a number");
  double index = info[1].As<Napi::Number>().DoubleValue();
  if (!(index >= 0) || index >= static_cast<double>(length) || std::floor(index) != index) {
    throw Napi::RangeError::New(env, "index is out of range of the Int32Array");
  }
  return static_cast<int32_t*>(data) + static_cast<size_t>(index);
}

int32_t ExpectedArg(const Napi::CallbackInfo& info) {
  if (info.Length() < 3 || !info[2].IsNumber()) throw Napi::TypeError::New(info.Env(), "expected must be a number");
  return info[2].As<Napi::Number>().Int32Value();
}

// Absolute CLOCK_MONOTONIC deadline in ns, or 0 for "forever".
uint64_t DeadlineArg(const Napi::CallbackInfo& info, size_t at) {
  if (info.Length() <= at || info[at].IsUndefined()) return 0;
  if (!info[at].IsNumber()) throw Napi::TypeError::New(info.Env(), "timeout must be a number of milliseconds");
  double ms = info[at].As<Napi::Number>().DoubleValue();
  if (std::isnan(ms) || ms == INFINITY) return 0;
  if (ms < 0) ms = 0;
  if (ms > 1e12) return 0;  // ~31 years: treat as forever
  return MonotonicNs() + static_cast<uint64_t>(ms * 1e6) + 1;
}

int WaitOn(int32_t* address, int32_t expected, uint64_t deadline) {
#ifdef __linux__
  for (;;) {
    timespec abs;
    timespec* timeout = nullptr;
    if (deadline != 0) {
      abs.tv_sec = static_cast<time_t>(deadline / 1000000000ull);
      abs.tv_nsec = static_cast<long>(deadline % 1000000000ull);
      timeout = &abs;
    }
    // FUTEX_WAIT_BITSET takes an absolute CLOCK_MONOTONIC deadline, so EINTR retries need no arithmetic.
    long rc = syscall(SYS_futex, address, FUTEX_WAIT_BITSET, expected, timeout, nullptr, FUTEX_BITSET_MATCH_ANY);
    if (rc == 0) return kOk;
    if (errno == EAGAIN) return kNotEqual;
    if (errno == ETIMEDOUT) return kTimedOut;
    if (errno == EINTR) continue;
    return kOk;  // EFAULT/EINVAL cannot happen for a validated, mapped address; report a spurious wake.
  }
#else
  (void)address;
  (void)expected;
  (void)deadline;
  return kNotEqual;
#endif
}

Napi::Value Wait(const Napi::CallbackInfo& info) {
  int32_t* address = SlotAddress(info);
  int32_t expected = ExpectedArg(info);
  uint64_t deadline = DeadlineArg(info, 3);
  return Napi::Number::New(info.Env(), WaitOn(address, expected, deadline));
}

class WaitWorker : public Napi::AsyncWorker {
 public:
  WaitWorker(Napi::Env env, Napi::Value array, int32_t* address, int32_t expected, uint64_t deadline)
      : Napi::AsyncWorker(env, "weft:futexWaitAsync"),
        deferred_(Napi::Promise::Deferred::New(env)),
        array_(Napi::Persistent(array.As<Napi::Object>())),
        address_(address),
        expected_(expected),
        deadline_(deadline) {}

  Napi::Promise Promise() const { return deferred_.Promise(); }

  void Execute() override { result_ = WaitOn(address_, expected_, deadline_); }
  void OnOK() override { deferred_.Resolve(Napi::Number::New(Env(), result_)); }
  void OnError(const Napi::Error& error) override { deferred_.Reject(error.Value()); }

 private:
  Napi::Promise::Deferred deferred_;
  Napi::ObjectReference array_;  // keeps the memory mapped while a pool thread sleeps on it
  int32_t* address_;
  int32_t expected_;
  uint64_t deadline_;
  int result_ = kOk;
};

// waitAsync(i32, index, expected, timeoutMs): the same wait on a libuv pool thread; returns a Promise.
Napi::Value WaitAsync(const Napi::CallbackInfo& info) {
  int32_t* address = SlotAddress(info);
  int32_t expected = ExpectedArg(info);
  uint64_t deadline = DeadlineArg(info, 3);
  auto* worker = new WaitWorker(info.Env(), info[0], address, expected, deadline);
  Napi::Promise promise = worker->Promise();
  worker->Queue();
  return promise;
}

// wake(i32, index, count): wakes up to count waiters (any process); returns how many were woken.
Napi::Value Wake(const Napi::CallbackInfo& info) {
  Napi::Env env = info.Env();
  int32_t* address = SlotAddress(info);
  int count = INT_MAX;
  if (info.Length() > 2 && !info[2].IsUndefined()) {
    if (!info[2].IsNumber()) throw Napi::TypeError::New(env, "count must be a number");
    double c = info[2].As<Napi::Number>().DoubleValue();
    if (std::isnan(c) || c < 0) c = 0;
    count = c >= INT_MAX ? INT_MAX : static_cast<int>(c);
  }
#ifdef __linux__
  long rc = syscall(SYS_futex, address, FUTEX_WAKE, count, nullptr, nullptr, 0);
  return Napi::Number::New(env, rc < 0 ? 0 : static_cast<double>(rc));
#else
  (void)address;
  (void)count;
  return Napi::Number::New(env, 0);
#endif
}

}  // namespace

void InitFutex(Napi::Env env, Napi::Object exports) {
  exports.Set("futexWait", Napi::Function::New(env, Wait, "futexWait"));
  exports.Set("futexWaitAsync", Napi::Function::New(env, WaitAsync, "futexWaitAsync"));
  exports.Set("futexWake", Napi::Function::New(env, Wake, "futexWake"));
#ifdef __linux__
  exports.Set("futexSupported", Napi::Boolean::New(env, true));
#else
  exports.Set("futexSupported", Napi::Boolean::New(env, false));
#endif
}

}  // namespace weft
