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

#include <uv.h>

#include <atomic>
#include <cerrno>
#include <climits>
#include <cmath>
#include <ctime>
#include <memory>
#include <mutex>
#include <system_error>
#include <thread>
#include <unordered_set>
#include <vector>

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

// ---- async waits ----------------------------------------------------------------------------------
//
// An async wait sleeps on a thread of its own, not on libuv's pool: Node waits for every pending
// napi_async_work before it runs any clean-up hook of a worker that is being torn down, so a wait nobody
// wakes would make `worker.terminate()` (and the process) hang for ever, and each pending wait would take one
// of the 4 pool threads that fs and dns need. Per environment (main thread or worker), an EnvWaits owns a
// uv_async_t on that thread's loop through which finished waits are resolved, ref'd while a wait is pending
// (a pending wait keeps the event loop alive, as Atomics.waitAsync does). An async clean-up hook wakes every
// sleeping thread when the environment goes away; they then end without touching it.

// A sleeping thread re-checks for cancellation this often (covers a wake that races with falling asleep).
constexpr uint64_t kSliceNs = 500ull * 1000000ull;

struct EnvWaits;

struct AsyncWait {
  int32_t* address;
  int32_t expected;
  uint64_t deadline;  // 0 = forever
  std::atomic<bool> cancelled{false};
  int result = kOk;
  napi_deferred deferred = nullptr;
  napi_ref keep = nullptr;  // the Int32Array: keeps the memory mapped while a thread sleeps on it
  std::shared_ptr<EnvWaits> owner;
};

struct EnvWaits {
  napi_env env = nullptr;
  uv_async_t async;
  napi_async_context context = nullptr;
  napi_async_cleanup_hook_handle hook = nullptr;
  std::mutex mutex;
  std::unordered_set<AsyncWait*> sleeping;
  std::vector<AsyncWait*> finished;  // to resolve on the environment's thread
  bool closing = false;
  std::shared_ptr<EnvWaits> self;  // alive until the handle is closed (threads hold their own reference)
};

void Sleep(AsyncWait* w) {
  for (;;) {
    if (w->cancelled.load()) {
      w->result = kOk;
      break;
    }
    uint64_t slice = MonotonicNs() + kSliceNs;
    uint64_t until = w->deadline != 0 && w->deadline < slice ? w->deadline : slice;
    int r = WaitOn(w->address, w->expected, until);
    if (r == kTimedOut && (w->deadline == 0 || MonotonicNs() < w->deadline)) continue;  // a slice ended
    w->result = r;
    break;
  }
  std::shared_ptr<EnvWaits> owner = w->owner;
  std::lock_guard<std::mutex> guard(owner->mutex);
  owner->sleeping.erase(w);
  if (owner->closing) {
    delete w;  // the environment is gone, and its promise and reference with it
    return;
  }
  owner->finished.push_back(w);
  uv_async_send(&owner->async);
}

// On the environment's thread: settles the finished waits' promises (microtasks run as the scope closes).
void OnFinished(uv_async_t* handle) {
  EnvWaits* o = static_cast<EnvWaits*>(handle->data);
  std::vector<AsyncWait*> batch;
  bool idle;
  {
    std::lock_guard<std::mutex> guard(o->mutex);
    batch.swap(o->finished);
    idle = o->sleeping.empty();
  }
  if (idle) uv_unref(reinterpret_cast<uv_handle_t*>(&o->async));
  if (batch.empty()) return;
  napi_env env = o->env;
  napi_handle_scope handles;
  napi_open_handle_scope(env, &handles);
  napi_value resource;
  napi_create_object(env, &resource);
  napi_callback_scope scope;
  napi_open_callback_scope(env, resource, o->context, &scope);
  for (AsyncWait* w : batch) {
    napi_value value;
    napi_create_int32(env, w->result, &value);
    napi_resolve_deferred(env, w->deferred, value);
    napi_delete_reference(env, w->keep);
    delete w;
  }
  napi_close_callback_scope(env, scope);
  napi_close_handle_scope(env, handles);
}

void OnEnvCleanup(napi_async_cleanup_hook_handle handle, void* arg) {
  EnvWaits* o = static_cast<EnvWaits*>(arg);
  {
    std::lock_guard<std::mutex> guard(o->mutex);
    o->closing = true;
    for (AsyncWait* w : o->sleeping) {
      w->cancelled.store(true);
#ifdef __linux__
      syscall(SYS_futex, w->address, FUTEX_WAKE, INT_MAX, nullptr, nullptr, 0);  // a spurious wake for others
#endif
    }
    for (AsyncWait* w : o->finished) delete w;
    o->finished.clear();
  }
  (void)handle;
  uv_close(reinterpret_cast<uv_handle_t*>(&o->async), [](uv_handle_t* h) {
    EnvWaits* done = static_cast<EnvWaits*>(h->data);
    napi_remove_async_cleanup_hook(done->hook);
    done->self.reset();  // may free it: keep this last
  });
}

EnvWaits* WaitsOf(Napi::Env env) {
  void* data = nullptr;
  if (napi_get_instance_data(env, &data) == napi_ok && data != nullptr) return static_cast<EnvWaits*>(data);
  uv_loop_t* loop = nullptr;
  if (napi_get_uv_event_loop(env, &loop) != napi_ok) throw Napi::Error::New(env, "futexWaitAsync: no event loop");
  auto o = std::make_shared<EnvWaits>();
  o->env = env;
  o->self = o;
  uv_async_init(loop, &o->async, OnFinished);
  o->async.data = o.get();
  uv_unref(reinterpret_cast<uv_handle_t*>(&o->async));
  napi_value name;
  napi_create_string_utf8(env, "weft:futexWaitAsync", NAPI_AUTO_LENGTH, &name);
  napi_async_init(env, nullptr, name, &o->context);
  napi_add_async_cleanup_hook(env, OnEnvCleanup, o.get(), &o->hook);
  napi_set_instance_data(env, o.get(), nullptr, nullptr);
  return o.get();
}

// waitAsync(i32, index, expected, timeoutMs): the same wait on a thread of its own; returns a Promise.
Napi::Value WaitAsync(const Napi::CallbackInfo& info) {
  Napi::Env env = info.Env();
  int32_t* address = SlotAddress(info);
  int32_t expected = ExpectedArg(info);
  uint64_t deadline = DeadlineArg(info, 3);
  EnvWaits* o = WaitsOf(env);
  auto* w = new AsyncWait();
  w->address = address;
  w->expected = expected;
  w->deadline = deadline;
  w->owner = o->self;
  napi_value promise;
  napi_create_promise(env, &w->deferred, &promise);
  napi_create_reference(env, info[0], 1, &w->keep);
  {
    std::lock_guard<std::mutex> guard(o->mutex);
    o->sleeping.insert(w);
  }
  try {
    std::thread(Sleep, w).detach();
    // Only a wait that sleeps keeps the loop alive. (Refs after the thread starts are safe: its finish is
    // handled by OnFinished on this very thread, which runs after this function and unrefs once idle.)
    uv_ref(reinterpret_cast<uv_handle_t*>(&o->async));
  } catch (const std::system_error& e) {
    {
      std::lock_guard<std::mutex> guard(o->mutex);
      o->sleeping.erase(w);
    }
    napi_delete_reference(env, w->keep);
    napi_value error = Napi::Error::New(env, std::string("futexWaitAsync: cannot start a thread: ") + e.what()).Value();
    napi_reject_deferred(env, w->deferred, error);
    delete w;
  }
  return Napi::Value(env, promise);
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
