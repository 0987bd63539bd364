{
  "targets": [
    {
      "target_name": "weft_native",
      "sources": [
        "src/native/addon.cc",
        "src/native/shm.cc",
        "src/native/futex.cc",
        "src/native/jobs.cc",
        "src/native/kernels.cc"
      ],
      "include_dirs": ["src/native/compat", "<!(node -p \"require('node-addon-api').include_dir\")"],
      "defines": ["NAPI_VERSION=8", "NODE_ADDON_API_DISABLE_DEPRECATED", "NAPI_CPP_EXCEPTIONS"],
      "cflags!": ["-fno-exceptions"],
      "cflags_cc!": ["-fno-exceptions"],
      "cflags_cc": ["-std=c++17", "-O2", "-fexceptions"],
      "conditions": [
        ["OS=='linux'", {
          "ldflags": ["-Wl,-z,now", "-Wl,-z,nodelete"]
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
