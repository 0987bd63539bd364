// Stand-in for glibc's <sys/single_threaded.h> (glibc >= 2.32), found first on the include path (binding.gyp).
// libstdc++ reads `__libc_single_threaded` to skip atomic reference counting in a process that has one
// thread; that single variable would make the prebuilt addon refuse to load on glibc < 2.32. Node always
// runs several threads, so answering "not single-threaded" (always atomic, as before glibc 2.32) is exact.
#pragma once
static const char __libc_single_threaded = 0;
