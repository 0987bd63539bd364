// Process-shared memory: shm_open + mmap, exposed to JavaScript as a SharedArrayBuffer.
//
// Node 20's Node-API cannot create a SharedArrayBuffer over external memory (napi_create_external_arraybuffer
// makes a plain, non-shared ArrayBuffer, which Atomics.wait rejects and postMessage copies). So this file,
// and only this file, uses three V8 calls from <v8.h> (shipped with Node's headers): SharedArrayBuffer::NewBackingStore with a deleter
// that munmaps the region, SharedArrayBuffer::New, and Isolate::GetCurrent. The resulting v8::Local is
// handed back as a napi_value (Node-API's own representation of a Local). The mapping lives as long as any
// SharedArrayBuffer over it (in this thread, in worker threads it was posted to), then V8 runs the deleter.
#include <v8.h>

#include <fcntl.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <memory>

#include "common.h"

namespace weft {
namespace {

void UnmapDeleter(void* data, size_t length, void* /*deleter_data*/) { munmap(data, length); }

Napi::Value WrapMapping(Napi::Env env, void* data, size_t length) {
  v8::Isolate* isolate = v8::Isolate::GetCurrent();
  std::shared_ptr<v8::BackingStore> store =
      v8::SharedArrayBuffer::NewBackingStore(data, length, UnmapDeleter, nullptr);
  v8::Local<v8::SharedArrayBuffer> sab = v8::SharedArrayBuffer::New(isolate, std::move(store));
  return Napi::Value(env, reinterpret_cast<napi_value>(*sab));
}

std::string NameArg(const Napi::CallbackInfo& info) {
  if (info.Length() < 1 || !info[0].IsString()) throw Napi::TypeError::New(info.Env(), "name must be a string");
  std::string name = info[0].As<Napi::String>().Utf8Value();
  // The JavaScript layer validates names; this is a second line of defence against path characters.
  if (name.empty() || name.size() > 250 || name.find('/') != std::string::npos || name == "." || name == "..") {
    throw Napi::TypeError::New(info.Env(), "invalid shared memory name");
  }
  return "/" + name;
}

void* MapFd(Napi::Env env, int fd, size_t length, const std::string& what) {
  void* data = mmap(nullptr, length, PROT_READ | PROT_WRITE, MAP_SHARED, fd, 0);
  if (data == MAP_FAILED) {
    int err = errno;
    close(fd);
    ThrowErrno(env, "mmap", err, what);
  }
  return data;
}

// create(name, byteLength): a new segment (O_EXCL), mode 0600, space reserved up front.
Napi::Value Create(const Napi::CallbackInfo& info) {
  Napi::Env env = info.Env();
  std::string name = NameArg(info);
  if (info.Length() < 2 || !info[1].IsNumber()) throw Napi::TypeError::New(env, "byteLength must be a number");
  double requested = info[1].As<Napi::Number>().DoubleValue();
  if (!(requested >= 1) || requested > 9007199254740991.0) throw Napi::RangeError::New(env, "invalid byteLength");
  size_t length = static_cast<size_t>(requested);
  std::string what = "cannot create shared memory " + name;

  int fd = shm_open(name.c_str(), O_CREAT | O_EXCL | O_RDWR | O_CLOEXEC, S_IRUSR | S_IWUSR);
  if (fd < 0) ThrowErrno(env, "shm_open", errno, what);
  auto fail = [&](const char* syscall, int err) {
    close(fd);
    shm_unlink(name.c_str());
    ThrowErrno(env, syscall, err, what);
  };
  // The umask can only remove bits; fchmod makes the mode exactly 0600 whatever the umask.
  if (fchmod(fd, S_IRUSR | S_IWUSR) != 0) fail("fchmod", errno);
  if (ftruncate(fd, static_cast<off_t>(length)) != 0) fail("ftruncate", errno);
  // Reserve the pages now: on a full /dev/shm this fails with ENOSPC here instead of SIGBUS on first touch.
  int rc = posix_fallocate(fd, 0, static_cast<off_t>(length));
  if (rc != 0 && rc != EOPNOTSUPP && rc != EINVAL) fail("posix_fallocate", rc);
  void* data = mmap(nullptr, length, PROT_READ | PROT_WRITE, MAP_SHARED, fd, 0);
  if (data == MAP_FAILED) fail("mmap", errno);
  close(fd);
  return WrapMapping(env, data, length);
}

// attach(name): maps an existing segment; its size comes from the segment itself.
Napi::Value Attach(const Napi::CallbackInfo& info) {
  Napi::Env env = info.Env();
  std::string name = NameArg(info);
  std::string what = "cannot attach shared memory " + name;
  int fd = shm_open(name.c_str(), O_RDWR | O_CLOEXEC, 0);
  if (fd < 0) ThrowErrno(env, "shm_open", errno, what);
  struct stat st;
  if (fstat(fd, &st) != 0) {
    int err = errno;
    close(fd);
    ThrowErrno(env, "fstat", err, what);
  }
  if (st.st_size <= 0) {
    close(fd);
    ThrowErrno(env, "fstat", EINVAL, what + " (segment is empty)");
  }
  size_t length = static_cast<size_t>(st.st_size);
  void* data = MapFd(env, fd, length, what);
  close(fd);
  return WrapMapping(env, data, length);
}

// unlink(name): removes the name (existing mappings stay valid). Returns false if it was already gone.
Napi::Value Unlink(const Napi::CallbackInfo& info) {
  Napi::Env env = info.Env();
  std::string name = NameArg(info);
  if (shm_unlink(name.c_str()) == 0) return Napi::Boolean::New(env, true);
  if (errno == ENOENT) return Napi::Boolean::New(env, false);
  ThrowErrno(env, "shm_unlink", errno, "cannot unlink shared memory " + name);
}

}  // namespace

void InitSharedMemory(Napi::Env env, Napi::Object exports) {
  exports.Set("shmCreate", Napi::Function::New(env, Create, "shmCreate"));
  exports.Set("shmAttach", Napi::Function::New(env, Attach, "shmAttach"));
  exports.Set("shmUnlink", Napi::Function::New(env, Unlink, "shmUnlink"));
}

}  // namespace weft
