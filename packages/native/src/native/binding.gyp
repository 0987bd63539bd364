# Built by scripts/build-addon.cjs (never by an install script: the package has none, see README), which
# runs node-gyp in this directory and copies the result to build/Release/ or prebuilds/<platform>-<arch>/.
{
  "targets": [
    {
      "target_name": "weft_native",
      "sources": [
        "addon.cc",
        "shm.cc",
        "futex.cc",
        "jobs.cc",
        "kernels.cc",
        "parent-death.cc",
        "compat/glibc-2.17.cc"
      ],
      "include_dirs": ["compat", "<!(node -p \"require('node-addon-api').include_dir\")"],
      "defines": ["NAPI_VERSION=8", "NODE_ADDON_API_DISABLE_DEPRECATED", "NAPI_CPP_EXCEPTIONS"],
      "cflags!": ["-fno-exceptions"],
      "cflags_cc!": ["-fno-exceptions"],
      "cflags_cc": ["-std=c++17", "-O2", "-fexceptions", "-fvisibility=hidden", "-fvisibility-inlines-hidden", "-ffile-prefix-map=<(module_root_dir)=."],
      "conditions": [
        ["OS=='linux'", {
          "ldflags": [
            "-Wl,-z,now",
            "-Wl,-z,nodelete",
            "-Wl,--wrap=statx",
            "-Wl,--wrap=memcpy",
            "-Wl,--wrap=pthread_create",
            "-Wl,--wrap=pthread_join",
            "-Wl,--wrap=pthread_detach",
            "-Wl,--wrap=pthread_once",
            "-Wl,--wrap=__pthread_key_create",
            "-Wl,--wrap=__libc_single_threaded",
            "-Wl,--wrap=getentropy",
            "-Wl,--wrap=arc4random",
            "-Wl,--exclude-libs,ALL"
          ]
        }],
        ["OS=='mac'", {
          "xcode_settings": {
            "GCC_ENABLE_CPP_EXCEPTIONS": "YES",
            "CLANG_CXX_LANGUAGE_STANDARD": "c++17"
          }
        }]
      ]
    }
  ]
}
