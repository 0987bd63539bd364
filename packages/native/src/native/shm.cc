// Process-shared memory: a file in /dev/shm, mmap'ed, exposed to JavaScript as a SharedArrayBuffer.
//
// Node 20's Node-API cannot create a SharedArrayBuffer over external memory (napi_create_external_arraybuffer
// makes a plain, non-shared ArrayBuffer, which Atomics.wait rejects and postMessage copies). So this file,
// and only this file, uses three V8 calls from <v8.h> (shipped with Node's headers): SharedArrayBuffer::NewBackingStore with a deleter
// that munmaps the region, SharedArrayBuffer::New, and Isolate::GetCurrent. The resulting v8::Local is
// handed back as a napi_value (Node-API's own representation of a Local). The mapping lives as long as any
// SharedArrayBuffer over it (in this thread, in worker threads it was posted to), then V8 runs the deleter.
//
// The deleter is code of this library, and V8 may run it late: when the last SharedArrayBuffer over the
// mapping goes, which can be during the teardown of a worker's isolate, after Node has already dlclose'd
// the addons that worker loaded. The library is therefore linked with `-z nodelete` (binding.gyp): the
// dynamic loader never unmaps it, so a deleter can never outlive its code, whichever thread loaded the
// addon first and in whatever order threads end. (The alternative, no C++ deleter at all, does not exist
// for SharedArrayBuffers on Node 20; and dlopen'ing ourselves with RTLD_NODELETE would do the same as the
// linker flag with more code and a dependency on dlopen@GLIBC_2.34 when built on a new glibc.)
//
// Segments are opened with open(2) on /dev/shm/<name> (what glibc's shm_open does on Linux) rather than
// shm_open itself: since glibc 2.34 shm_open/shm_unlink live in libc under a new symbol version, and a
// prebuild linked against them would refuse to load on older distributions. statx (glibc 2.28) replaces
// fstat for the same reason (fstat64@GLIBC_2.33).
//
// Ownership: every segment this process creates is recorded in a process-wide registry (any thread, any
// copy of the JavaScript module). Its name is unlinked when the creator closes it, when the creator's
// mapping is gone from every thread (the deleter), or at process exit (atexit), whichever comes first, and
// only while the name still denotes the very segment that was created (device and inode are compared), so a
// segment re-created under the same name by someone else is never removed by mistake.
#include <v8.h>

#include <fcntl.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <unistd.h>

#include <cerrno>
#include <cstdio>
#include <cstdlib>
#include <memory>
#include <mutex>
#include <string>
#include <unordered_map>

#include "common.h"

namespace weft {
namespace {

const char kDir[] = "/dev/shm/";

// Which segment a name denoted when it was opened: device and inode of the file.
struct Identity {
  uint64_t dev = 0;
  uint64_t ino = 0;
  bool operator==(const Identity& o) const { return dev == o.dev && ino == o.ino; }
};

// The string JavaScript compares to tell segments apart ("<dev>:<ino>").
std::string KeyOf(const Identity& id) { return std::to_string(id.dev) + ":" + std::to_string(id.ino); }

bool StatFd(int fd, Identity* id, uint64_t* size) {
  struct statx stx;
  if (statx(fd, "", AT_EMPTY_PATH, STATX_INO | STATX_SIZE, &stx) != 0) return false;
  id->dev = (static_cast<uint64_t>(stx.stx_dev_major) << 32) | stx.stx_dev_minor;
  id->ino = stx.stx_ino;
  if (size != nullptr) *size = stx.stx_size;
  return true;
}

bool StatPath(const std::string& path, Identity* id) {
  struct statx stx;
  if (statx(AT_FDCWD, path.c_str(), AT_SYMLINK_NOFOLLOW, STATX_INO, &stx) != 0) return false;
  id->dev = (static_cast<uint64_t>(stx.stx_dev_major) << 32) | stx.stx_dev_minor;
  id->ino = stx.stx_ino;
  return true;
}

// Names created by this process and not unlinked yet. Allocated once and never freed: a deleter may run
// during exit, after static destructors, and must still find a valid (if empty) registry.
struct Registry {
  std::mutex mutex;
  std::unordered_map<std::string, Identity> owned;  // path -> identity
};

Registry& Owned() {
  static Registry* registry = new Registry();
  return *registry;
}

// Unlinks `path` if it still denotes `id`. (Between the stat and the unlink another process could swap the
// file; names are random and mode 0600, so only a deliberate same-user race can hit that window.)
bool UnlinkIfSame(const std::string& path, const Identity& id) {
  Identity now;
  if (!StatPath(path, &now) || !(now == id)) return false;
  return unlink(path.c_str()) == 0;
}

// Forgets `path` as owned by this process and unlinks it if it is still the recorded segment.
bool ReleaseOwned(const std::string& path, const Identity* expected) {
  Registry& r = Owned();
  std::lock_guard<std::mutex> guard(r.mutex);
  auto it = r.owned.find(path);
  if (it == r.owned.end()) return false;
  if (expected != nullptr && !(it->second == *expected)) return false;
  Identity id = it->second;
  r.owned.erase(it);
  return UnlinkIfSame(path, id);
}

void UnlinkAllOwned() {
  Registry& r = Owned();
  std::lock_guard<std::mutex> guard(r.mutex);
  for (const auto& entry : r.owned) UnlinkIfSame(entry.first, entry.second);
  r.owned.clear();
}

void RecordOwned(const std::string& path, const Identity& id) {
  // (A function-local static rather than std::call_once, which needs pthread_once@GLIBC_2.34.)
  static const bool hooked = std::atexit(UnlinkAllOwned) == 0;
  (void)hooked;
  Registry& r = Owned();
  std::lock_guard<std::mutex> guard(r.mutex);
  r.owned[path] = id;
}

// What the deleter needs: the creator's mapping also releases the name it created.
struct Mapping {
  bool owner;
  std::string path;
  Identity id;
};

void UnmapDeleter(void* data, size_t length, void* deleter_data) {
  munmap(data, length);
  std::unique_ptr<Mapping> mapping(static_cast<Mapping*>(deleter_data));
  if (mapping->owner) ReleaseOwned(mapping->path, &mapping->id);
}

// [SharedArrayBuffer, key]
Napi::Value WrapMapping(Napi::Env env, void* data, size_t length, std::unique_ptr<Mapping> mapping) {
  std::string key = KeyOf(mapping->id);
  v8::Isolate* isolate = v8::Isolate::GetCurrent();
  std::shared_ptr<v8::BackingStore> store =
      v8::SharedArrayBuffer::NewBackingStore(data, length, UnmapDeleter, mapping.release());
  v8::Local<v8::SharedArrayBuffer> sab = v8::SharedArrayBuffer::New(isolate, std::move(store));
  Napi::Array out = Napi::Array::New(env, 2);
  out.Set(0u, Napi::Value(env, reinterpret_cast<napi_value>(*sab)));
  out.Set(1u, Napi::String::New(env, key));
  return out;
}

// Returns "/dev/shm/<name>" for a validated name.
std::string PathArg(const Napi::CallbackInfo& info) {
  if (info.Length() < 1 || !info[0].IsString()) throw Napi::TypeError::New(info.Env(), "name must be a string");
  std::string name = info[0].As<Napi::String>().Utf8Value();
  // The JavaScript layer validates names; this is a second line of defence against path characters.
  if (name.empty() || name.size() > 250 || name.find('/') != std::string::npos || name == "." || name == "..") {
    throw Napi::TypeError::New(info.Env(), "invalid shared memory name");
  }
  return kDir + name;
}

// "/dev/shm/x" -> "/x", the name as users know it from shm_open, for messages.
std::string Shown(const std::string& path) { return path.substr(sizeof(kDir) - 2); }

// create(name, byteLength): a new segment (O_EXCL), mode 0600, space reserved up front.
Napi::Value Create(const Napi::CallbackInfo& info) {
  Napi::Env env = info.Env();
  std::string path = PathArg(info);
  if (info.Length() < 2 || !info[1].IsNumber()) throw Napi::TypeError::New(env, "byteLength must be a number");
  double requested = info[1].As<Napi::Number>().DoubleValue();
  if (!(requested >= 1) || requested > 9007199254740991.0) throw Napi::RangeError::New(env, "invalid byteLength");
  size_t length = static_cast<size_t>(requested);
  std::string what = "cannot create shared memory " + Shown(path);

  int fd = open(path.c_str(), O_CREAT | O_EXCL | O_RDWR | O_CLOEXEC | O_NOFOLLOW, S_IRUSR | S_IWUSR);
  if (fd < 0) ThrowErrno(env, "open", errno, what);
  auto fail = [&](const char* syscall, int err) {
    close(fd);
    unlink(path.c_str());
    ThrowErrno(env, syscall, err, what);
  };
  // The umask can only remove bits; fchmod makes the mode exactly 0600 whatever the umask.
  if (fchmod(fd, S_IRUSR | S_IWUSR) != 0) fail("fchmod", errno);
  if (ftruncate(fd, static_cast<off_t>(length)) != 0) fail("ftruncate", errno);
  // Reserve the pages now: on a full /dev/shm this fails with ENOSPC here instead of SIGBUS on first touch.
  int rc = posix_fallocate(fd, 0, static_cast<off_t>(length));
  if (rc != 0 && rc != EOPNOTSUPP && rc != EINVAL) fail("posix_fallocate", rc);
  auto mapping = std::make_unique<Mapping>();
  mapping->owner = true;
  mapping->path = path;
  if (!StatFd(fd, &mapping->id, nullptr)) fail("statx", errno);
  void* data = mmap(nullptr, length, PROT_READ | PROT_WRITE, MAP_SHARED, fd, 0);
  if (data == MAP_FAILED) fail("mmap", errno);
  close(fd);
  RecordOwned(path, mapping->id);
  return WrapMapping(env, data, length, std::move(mapping));
}

// attach(name, knownKey?): maps the segment the name denotes now; its size comes from the segment itself.
// When that segment is the one whose key the caller already holds a mapping of, returns null instead.
Napi::Value Attach(const Napi::CallbackInfo& info) {
  Napi::Env env = info.Env();
  std::string path = PathArg(info);
  std::string known = info.Length() > 1 && info[1].IsString() ? info[1].As<Napi::String>().Utf8Value() : "";
  std::string what = "cannot attach shared memory " + Shown(path);
  int fd = open(path.c_str(), O_RDWR | O_CLOEXEC | O_NOFOLLOW);
  if (fd < 0) ThrowErrno(env, "open", errno, what);
  auto mapping = std::make_unique<Mapping>();
  mapping->owner = false;
  uint64_t size = 0;
  if (!StatFd(fd, &mapping->id, &size)) {
    int err = errno;
    close(fd);
    ThrowErrno(env, "statx", err, what);
  }
  if (!known.empty() && KeyOf(mapping->id) == known) {
    close(fd);
    return env.Null();
  }
  if (size == 0) {
    close(fd);
    ThrowErrno(env, "statx", EINVAL, what + " (segment is empty)");
  }
  size_t length = static_cast<size_t>(size);
  void* data = mmap(nullptr, length, PROT_READ | PROT_WRITE, MAP_SHARED, fd, 0);
  int err = errno;
  close(fd);
  if (data == MAP_FAILED) ThrowErrno(env, "mmap", err, what);
  return WrapMapping(env, data, length, std::move(mapping));
}

// createUnnamed(byteLength): process-shared memory with no name at all (memfd_create), for a child process
// that inherits the descriptor (e.g. through child_process stdio). Returns [SharedArrayBuffer, fd]; the fd
// is close-on-exec (only a child given it explicitly gets it) and the caller closes it once it is passed on.
// Nothing can ever be left in /dev/shm: the memory goes when the last mapping and descriptor go, however
// the processes end.
Napi::Value CreateUnnamed(const Napi::CallbackInfo& info) {
  Napi::Env env = info.Env();
  if (info.Length() < 1 || !info[0].IsNumber()) throw Napi::TypeError::New(env, "byteLength must be a number");
  double requested = info[0].As<Napi::Number>().DoubleValue();
  if (!(requested >= 1) || requested > 9007199254740991.0) throw Napi::RangeError::New(env, "invalid byteLength");
  size_t length = static_cast<size_t>(requested);
  const std::string what = "cannot create unnamed shared memory";
  // The raw system call: memfd_create() would add a dependency on glibc 2.27's symbol for nothing.
  int fd = static_cast<int>(syscall(SYS_memfd_create, "weft", MFD_CLOEXEC));
  if (fd < 0) ThrowErrno(env, "memfd_create", errno, what);
  auto fail = [&](const char* syscall, int err) {
    close(fd);
    ThrowErrno(env, syscall, err, what);
  };
  if (ftruncate(fd, static_cast<off_t>(length)) != 0) fail("ftruncate", errno);
  int rc = posix_fallocate(fd, 0, static_cast<off_t>(length));
  if (rc != 0 && rc != EOPNOTSUPP && rc != EINVAL) fail("posix_fallocate", rc);
  auto mapping = std::make_unique<Mapping>();
  mapping->owner = false;
  if (!StatFd(fd, &mapping->id, nullptr)) fail("statx", errno);
  void* data = mmap(nullptr, length, PROT_READ | PROT_WRITE, MAP_SHARED, fd, 0);
  if (data == MAP_FAILED) fail("mmap", errno);
  Napi::Array out = WrapMapping(env, data, length, std::move(mapping)).As<Napi::Array>();
  out.Set(1u, Napi::Number::New(env, fd));
  return out;
}

// mapFd(fd): maps the memory behind an inherited descriptor (from createUnnamed); the caller closes the fd.
Napi::Value MapFd(const Napi::CallbackInfo& info) {
  Napi::Env env = info.Env();
  if (info.Length() < 1 || !info[0].IsNumber()) throw Napi::TypeError::New(env, "fd must be a number");
  int fd = info[0].As<Napi::Number>().Int32Value();
  const std::string what = "cannot map inherited shared memory (fd " + std::to_string(fd) + ")";
  auto mapping = std::make_unique<Mapping>();
  mapping->owner = false;
  uint64_t size = 0;
  if (!StatFd(fd, &mapping->id, &size)) ThrowErrno(env, "statx", errno, what);
  if (size == 0) ThrowErrno(env, "statx", EINVAL, what + " (it is empty)");
  void* data = mmap(nullptr, static_cast<size_t>(size), PROT_READ | PROT_WRITE, MAP_SHARED, fd, 0);
  if (data == MAP_FAILED) ThrowErrno(env, "mmap", errno, what);
  return WrapMapping(env, data, static_cast<size_t>(size), std::move(mapping)).As<Napi::Array>().Get(0u);
}

// unlink(name): removes the name whatever it denotes (existing mappings stay valid). Returns false if it
// was already gone.
Napi::Value Unlink(const Napi::CallbackInfo& info) {
  Napi::Env env = info.Env();
  std::string path = PathArg(info);
  {
    Registry& r = Owned();
    std::lock_guard<std::mutex> guard(r.mutex);
    r.owned.erase(path);
  }
  if (unlink(path.c_str()) == 0) return Napi::Boolean::New(env, true);
  if (errno == ENOENT) return Napi::Boolean::New(env, false);
  ThrowErrno(env, "unlink", errno, "cannot unlink shared memory " + Shown(path));
}

// unlinkIfSame(name, key): removes the name only while it still denotes the segment with that key.
// Returns whether it did.
Napi::Value UnlinkSame(const Napi::CallbackInfo& info) {
  Napi::Env env = info.Env();
  std::string path = PathArg(info);
  if (info.Length() < 2 || !info[1].IsString()) throw Napi::TypeError::New(env, "key must be a string");
  std::string key = info[1].As<Napi::String>().Utf8Value();
  Identity now;
  if (!StatPath(path, &now) || KeyOf(now) != key) return Napi::Boolean::New(env, false);
  if (ReleaseOwned(path, &now)) return Napi::Boolean::New(env, true);
  return Napi::Boolean::New(env, UnlinkIfSame(path, now));
}

// owned(): the names this process created and has not unlinked yet (for tests and diagnostics).
Napi::Value OwnedNames(const Napi::CallbackInfo& info) {
  Napi::Env env = info.Env();
  Registry& r = Owned();
  std::lock_guard<std::mutex> guard(r.mutex);
  Napi::Array out = Napi::Array::New(env, r.owned.size());
  uint32_t i = 0;
  for (const auto& entry : r.owned) out.Set(i++, Napi::String::New(env, entry.first.substr(sizeof(kDir) - 1)));
  return out;
}

}  // namespace

void InitSharedMemory(Napi::Env env, Napi::Object exports) {
  exports.Set("shmCreate", Napi::Function::New(env, Create, "shmCreate"));
  exports.Set("shmAttach", Napi::Function::New(env, Attach, "shmAttach"));
  exports.Set("shmUnlink", Napi::Function::New(env, Unlink, "shmUnlink"));
  exports.Set("shmUnlinkIfSame", Napi::Function::New(env, UnlinkSame, "shmUnlinkIfSame"));
  exports.Set("shmCreateUnnamed", Napi::Function::New(env, CreateUnnamed, "shmCreateUnnamed"));
  exports.Set("shmMapFd", Napi::Function::New(env, MapFd, "shmMapFd"));
  exports.Set("shmOwned", Napi::Function::New(env, OwnedNames, "shmOwned"));
}

}  // namespace weft
