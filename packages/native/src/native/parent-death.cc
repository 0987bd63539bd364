// exitWithParent(parentPid): the kernel ends this process (SIGKILL) when the thread that started it ends, even
// while its main thread runs a task: Linux's PR_SET_PDEATHSIG. A process-pool child uses it instead of a watcher
// thread that polls for its parent. Elsewhere (and on a kernel that refuses it) it returns false.
#if defined(__linux__)
#include <signal.h>
#include <sys/prctl.h>
#include <unistd.h>
#endif

#include "common.h"

namespace weft {

static Napi::Value ExitWithParent(const Napi::CallbackInfo& info) {
  Napi::Env env = info.Env();
  if (info.Length() < 1 || !info[0].IsNumber()) {
    throw Napi::TypeError::New(env, "exitWithParent(parentPid): parentPid must be a number");
  }
#if defined(__linux__)
  const auto parent = static_cast<pid_t>(info[0].As<Napi::Number>().Int64Value());
  if (prctl(PR_SET_PDEATHSIG, SIGKILL) != 0) return Napi::Boolean::New(env, false);
  // The parent may have died before the call: this process was re-parented then, and no signal will come.
  if (getppid() != parent) kill(getpid(), SIGKILL);
  return Napi::Boolean::New(env, true);
#else
  return Napi::Boolean::New(env, false);
#endif
}

void InitParentDeath(Napi::Env env, Napi::Object exports) {
  exports.Set("exitWithParent", Napi::Function::New(env, ExitWithParent, "exitWithParent"));
}

}  // namespace weft
