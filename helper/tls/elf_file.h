// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * elf_file.h - a read-only view of one ELF binary (libelf), for finding
 * where to put uprobes.
 *
 * Only what probe placement needs: function symbols, the PT_LOAD map from
 * virtual address to file offset (libbpf attaches uprobes at FILE offsets),
 * the dynamic section's DT_NEEDED / DT_RUNPATH. The file is mapped, not read:
 * node is ~100 MB and only its symbol tables are touched.
 *
 * Usage (also how a unit test calls it):
 *     int err = 0;
 *     auto elf = agentsight::helper::ElfFile::open("/usr/lib/x86_64-linux-gnu/libssl.so.3", &err);
 *     auto syms = elf->findFunctions({"SSL_read", "SSL_write"});   // name -> vaddr
 *     auto off = elf->fileOffsetOf(syms["SSL_read"]);                // -> file offset
 */
#ifndef AGENTSIGHT_HELPER_TLS_ELF_FILE_H
#define AGENTSIGHT_HELPER_TLS_ELF_FILE_H

#include <cstdint>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <vector>

typedef struct Elf Elf;

namespace agentsight::helper {

class ElfFile
{
public:
    /* Opens and validates `path` (ELF64, ET_EXEC or ET_DYN). Returns null
     * and sets *error to -errno (-ENOEXEC for "not a usable ELF"). */
    static std::unique_ptr<ElfFile> open(const std::string &path, int *error);
    ~ElfFile();
    ElfFile(const ElfFile &) = delete;
    ElfFile &operator=(const ElfFile &) = delete;

    /* Defined function symbols (STT_FUNC, not SHN_UNDEF) among `names`, from
     * .dynsym first, then .symtab. Versioned .symtab names ("f@@V") match
     * their base name. Result: name -> virtual address. An import (SHN_UNDEF,
     * e.g. curl's SSL_read) is not a definition and is never returned. */
    std::map<std::string, uint64_t> findFunctions(const std::vector<std::string> &names) const;

    /* Virtual address -> file offset through the PT_LOAD program headers;
     * nullopt when no file-backed segment covers it (e.g. .bss). */
    std::optional<uint64_t> fileOffsetOf(uint64_t vaddr) const;

    /* DT_NEEDED sonames and DT_RUNPATH/DT_RPATH (":"-separated, unexpanded). */
    std::vector<std::string> neededLibraries() const;
    std::string runPath() const;
    /* True when the binary names a program interpreter (dynamically linked). */
    bool hasInterpreter() const { return m_hasInterp; }

    /* For strategies that need more (sections, disassembly): the libelf
     * handle and the open fd stay valid for this object's lifetime. */
    Elf *elf() const { return m_elf; }
    int fd() const { return m_fd; }

private:
    ElfFile() = default;
    struct Segment
    {
        uint64_t vaddr;
        uint64_t fileSize;
        uint64_t offset;
    };
    int m_fd = -1;
    Elf *m_elf = nullptr;
    bool m_hasInterp = false;
    std::vector<Segment> m_loads;
};

} // namespace agentsight::helper

#endif
