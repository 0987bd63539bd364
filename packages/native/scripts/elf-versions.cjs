// Reads what a 64-bit little-endian ELF shared object needs from the dynamic loader: the libraries it links
// (DT_NEEDED) and the symbol versions it requires from each (.gnu.version_r), i.e. what `objdump -p` lists
// under "Version References". Used to prove a prebuild loads on glibc 2.17 without objdump on the machine.
"use strict";
const { readFileSync } = require("node:fs");

const SHT_DYNAMIC = 6;
const SHT_GNU_VERNEED = 0x6ffffffe;
const DT_NEEDED = 1;

/**
 * @param {string} file path of a .node (ELF64 LE) file
 * @returns {{ machine: number, needed: string[], versions: Record<string, string[]> }}
 */
function elfRequirements(file) {
  const b = readFileSync(file);
  if (b.readUInt32BE(0) !== 0x7f454c46) throw new Error(`${file} is not an ELF file`);
  if (b[4] !== 2 || b[5] !== 1) throw new Error(`${file} is not a 64-bit little-endian ELF file`);
  const machine = b.readUInt16LE(18);
  const shoff = Number(b.readBigUInt64LE(40));
  const shentsize = b.readUInt16LE(58);
  const shnum = b.readUInt16LE(60);
  const sections = [];
  for (let i = 0; i < shnum; i++) {
    const o = shoff + i * shentsize;
    sections.push({
      type: b.readUInt32LE(o + 4),
      offset: Number(b.readBigUInt64LE(o + 24)),
      size: Number(b.readBigUInt64LE(o + 32)),
      link: b.readUInt32LE(o + 40),
      info: b.readUInt32LE(o + 44),
    });
  }
  const str = (section, at) => {
    const start = sections[section.link].offset + at;
    return b.toString("latin1", start, b.indexOf(0, start));
  };
  const needed = [];
  const versions = {};
  for (const s of sections) {
    if (s.type === SHT_DYNAMIC) {
      for (let o = s.offset; o < s.offset + s.size; o += 16) {
        if (Number(b.readBigInt64LE(o)) === DT_NEEDED) needed.push(str(s, Number(b.readBigUInt64LE(o + 8))));
      }
    } else if (s.type === SHT_GNU_VERNEED) {
      let o = s.offset;
      for (let n = 0; n < s.info; n++) {
        const count = b.readUInt16LE(o + 2);
        const library = str(s, b.readUInt32LE(o + 4));
        versions[library] ??= [];
        let a = o + b.readUInt32LE(o + 8);
        for (let k = 0; k < count; k++) {
          versions[library].push(str(s, b.readUInt32LE(a + 8)));
          a += b.readUInt32LE(a + 12);
        }
        o += b.readUInt32LE(o + 12);
      }
    }
  }
  return { machine, needed, versions };
}

/** "GLIBC_2.17" -> [2, 17] (prefix "GLIBC_"), "GCC_4.2.0" -> [4, 2] (prefix "GCC_"); otherwise null. */
function version(prefix, name) {
  if (!name.startsWith(prefix)) return null;
  const m = /^(\d+)\.(\d+)(?:\.\d+)?$/.exec(name.slice(prefix.length));
  return m ? [Number(m[1]), Number(m[2])] : null;
}
const atMost = (v, max) => v !== null && (v[0] < max[0] || (v[0] === max[0] && v[1] <= max[1]));

/** Libraries every glibc system has; libgcc_s is GCC's unwinder, versions up to GCC 4.8 (RHEL 7). */
const SYSTEM_LIBRARIES = /^(libc|libm|libpthread|libdl|librt|libgcc_s|ld-linux-[\w-]+)\.so\.\d+$/;
const OLDEST_GCC = [4, 8];

/**
 * What would stop `file` from loading on a system whose glibc is `max` (e.g. [2, 17]) and which has no
 * libstdc++ and a libgcc_s as old as GCC 4.8's: each entry names the library or symbol version at fault.
 */
function portabilityProblems(file, max) {
  const { needed, versions } = elfRequirements(file);
  const problems = [];
  for (const lib of needed) {
    if (!SYSTEM_LIBRARIES.test(lib)) problems.push(`links ${lib} (link it statically)`);
  }
  for (const [lib, list] of Object.entries(versions)) {
    for (const v of list) {
      const fits = lib.startsWith("libgcc_s")
        ? atMost(version("GCC_", v), OLDEST_GCC)
        : atMost(version("GLIBC_", v), max);
      if (!fits) problems.push(`needs ${v} from ${lib}`);
    }
  }
  return problems;
}

module.exports = { elfRequirements, portabilityProblems };
