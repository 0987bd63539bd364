// Keeps the prebuilt addon loadable on glibc 2.17 (CentOS/RHEL 7, Amazon Linux 2, Debian 11, Ubuntu 20.04).
// The linker redirects the calls below to these definitions (`-Wl,--wrap=<symbol>` in binding.gyp), so the
// binary references no glibc symbol version newer than 2.17 however new the glibc it was built against;
// `node scripts/build-addon.cjs --check` (and native's tests) verify that on the committed prebuilds.
//
// - statx: GLIBC_2.28. Called here as the raw system call; kernels before 4.11 (CentOS 7 runs 3.10) have
//   no statx, so ENOSYS falls back to fstatat, filling the fields weft reads (device, inode, size).
// - memcpy: on x86-64, GLIBC_2.14 (glibc 2.14 changed its overlap behaviour). memmove is GLIBC_2.2.5 and
//   does the same for non-overlapping copies, which is all memcpy may be asked for.
// The prebuilds link libstdc++ statically (an old system's is too old for C++17 code), and that copy was
// compiled against this machine's glibc, so it also asks for:
// - pthread_create/join/detach/once, __pthread_key_create: GLIBC_2.34 (libpthread merged into libc). The
//   same functions under their original version (GLIBC_2.2.5 on x86-64, GLIBC_2.17 on arm64) are bound
//   with `.symver`; on old systems they are found in libpthread, which Node itself links.
// - __libc_single_threaded: GLIBC_2.32. Answered "no" (Node always runs several threads), as for the
//   addon's own code in compat/sys/single_threaded.h.
// - getentropy (GLIBC_2.25), arc4random (GLIBC_2.36), for std::random_device: the getrandom system call,
//   or /dev/urandom on kernels before 3.17.
#include <errno.h>
#include <stdint.h>
#include <fcntl.h>
#include <pthread.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/sysmacros.h>
#include <unistd.h>

#if defined(__x86_64__)
#define WEFT_GLIBC_BASE "GLIBC_2.2.5"
#elif defined(__aarch64__)
#define WEFT_GLIBC_BASE "GLIBC_2.17"
#else
#error "prebuilds are made for x86-64 and arm64; name the first glibc symbol version of this architecture"
#endif
#if !defined(__LP64__)
#error "the fstatat fallback below assumes the kernel's 64-bit struct stat (x86-64, arm64)"
#endif

extern "C" {

int __wrap_statx(int dirfd, const char* path, int flags, unsigned int mask, struct statx* out) {
  long rc = syscall(SYS_statx, dirfd, path, flags, mask, out);
  if (rc == 0 || errno != ENOSYS) return static_cast<int>(rc);
  struct stat st;
  rc = syscall(SYS_newfstatat, dirfd, path, &st, flags);
  if (rc != 0) return static_cast<int>(rc);
  memset(out, 0, sizeof *out);
  out->stx_mask = STATX_BASIC_STATS;
  out->stx_ino = st.st_ino;
  out->stx_size = static_cast<uint64_t>(st.st_size);
  out->stx_dev_major = major(st.st_dev);
  out->stx_dev_minor = minor(st.st_dev);
  out->stx_mode = static_cast<uint16_t>(st.st_mode);
  return 0;
}

void* __wrap_memcpy(void* dest, const void* src, size_t n) { return memmove(dest, src, n); }

int weft_base_pthread_create(pthread_t*, const pthread_attr_t*, void* (*)(void*), void*);
int weft_base_pthread_join(pthread_t, void**);
int weft_base_pthread_detach(pthread_t);
int weft_base_pthread_once(pthread_once_t*, void (*)(void));
int weft_base_pthread_key_create(pthread_key_t*, void (*)(void*));
__asm__(".symver weft_base_pthread_create, pthread_create@" WEFT_GLIBC_BASE);
__asm__(".symver weft_base_pthread_join, pthread_join@" WEFT_GLIBC_BASE);
__asm__(".symver weft_base_pthread_detach, pthread_detach@" WEFT_GLIBC_BASE);
__asm__(".symver weft_base_pthread_once, pthread_once@" WEFT_GLIBC_BASE);
__asm__(".symver weft_base_pthread_key_create, __pthread_key_create@" WEFT_GLIBC_BASE);

int __wrap_pthread_create(pthread_t* t, const pthread_attr_t* a, void* (*fn)(void*), void* arg) {
  return weft_base_pthread_create(t, a, fn, arg);
}
int __wrap_pthread_join(pthread_t t, void** result) { return weft_base_pthread_join(t, result); }
int __wrap_pthread_detach(pthread_t t) { return weft_base_pthread_detach(t); }
int __wrap_pthread_once(pthread_once_t* once, void (*fn)(void)) { return weft_base_pthread_once(once, fn); }
int __wrap___pthread_key_create(pthread_key_t* key, void (*destructor)(void*)) {
  return weft_base_pthread_key_create(key, destructor);
}

char __wrap___libc_single_threaded = 0;

int __wrap_getentropy(void* buffer, size_t length) {
  if (length > 256) {
    errno = EIO;
    return -1;
  }
  auto* out = static_cast<unsigned char*>(buffer);
  size_t done = 0;
  while (done < length) {
    long n = syscall(SYS_getrandom, out + done, length - done, 0);
    if (n > 0) {
      done += static_cast<size_t>(n);
    } else if (n < 0 && errno == EINTR) {
      continue;
    } else if (n < 0 && errno == ENOSYS) {
      int fd = open("/dev/urandom", O_RDONLY | O_CLOEXEC);
      if (fd < 0) return -1;
      while (done < length) {
        ssize_t r = read(fd, out + done, length - done);
        if (r > 0) {
          done += static_cast<size_t>(r);
        } else if (!(r < 0 && errno == EINTR)) {
          close(fd);
          errno = EIO;
          return -1;
        }
      }
      close(fd);
    } else {
      return -1;
    }
  }
  return 0;
}

uint32_t __wrap_arc4random(void) {
  uint32_t value = 0;
  if (__wrap_getentropy(&value, sizeof value) != 0) abort();  // as glibc's arc4random: it cannot fail
  return value;
}

}  // extern "C"
