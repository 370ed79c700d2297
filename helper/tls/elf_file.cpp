// SPDX-License-Identifier: GPL-2.0-or-later
#include "elf_file.h"

#include <cerrno>
#include <cstring>
#include <fcntl.h>
#include <gelf.h>
#include <libelf.h>
#include <set>
#include <string_view>
#include <unistd.h>

namespace agentsight::helper {

namespace {

bool libelfReady()
{
    /* elf_version must be called once before any other libelf call. */
    static const bool ok = elf_version(EV_CURRENT) != EV_NONE;
    return ok;
}

std::string_view baseName(const char *symbol)
{
    std::string_view name(symbol);
    /* .symtab may keep the version: "SSL_read@@OPENSSL_3.0.0". */
    if (auto at = name.find('@'); at != std::string_view::npos)
        name = name.substr(0, at);
    return name;
}

/* Scan one symbol table section, filling `found` for wanted names not yet
 * found. Globals win over weak/local duplicates within the same table. */
void scanSymbols(Elf *elf, Elf_Scn *scn, const GElf_Shdr &shdr,
                 const std::set<std::string, std::less<>> &wanted,
                 std::map<std::string, uint64_t> &found)
{
    Elf_Data *data = elf_getdata(scn, nullptr);
    if (!data || shdr.sh_entsize == 0)
        return;
    const size_t count = shdr.sh_size / shdr.sh_entsize;
    std::map<std::string, uint64_t> weak;
    for (size_t i = 0; i < count; ++i) {
        GElf_Sym sym;
        if (!gelf_getsym(data, static_cast<int>(i), &sym))
            break;
        if (GELF_ST_TYPE(sym.st_info) != STT_FUNC || sym.st_shndx == SHN_UNDEF || sym.st_value == 0)
            continue;
        const char *raw = elf_strptr(elf, shdr.sh_link, sym.st_name);
        if (!raw)
            continue;
        const std::string_view name = baseName(raw);
        auto it = wanted.find(name);
        if (it == wanted.end() || found.count(*it))
            continue;
        if (GELF_ST_BIND(sym.st_info) == STB_GLOBAL)
            found.emplace(*it, sym.st_value);
        else
            weak.emplace(*it, sym.st_value);
    }
    for (auto &[name, addr] : weak)
        found.emplace(name, addr); /* no-op where a global was found */
}

} // namespace

std::unique_ptr<ElfFile> ElfFile::open(const std::string &path, int *error)
{
    int dummy = 0;
    int &err = error ? *error : dummy;
    err = 0;
    if (!libelfReady()) {
        err = -ENOSYS;
        return nullptr;
    }
    const int fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC);
    if (fd < 0) {
        err = -errno;
        return nullptr;
    }
    std::unique_ptr<ElfFile> f(new ElfFile);
    f->m_fd = fd;
    /* READ_MMAP: pages are faulted in only where libelf looks. */
    f->m_elf = elf_begin(fd, ELF_C_READ_MMAP, nullptr);
    if (!f->m_elf || elf_kind(f->m_elf) != ELF_K_ELF || gelf_getclass(f->m_elf) != ELFCLASS64) {
        err = -ENOEXEC;
        return nullptr;
    }
    GElf_Ehdr ehdr;
    if (!gelf_getehdr(f->m_elf, &ehdr) || (ehdr.e_type != ET_EXEC && ehdr.e_type != ET_DYN)) {
        err = -ENOEXEC;
        return nullptr;
    }
    size_t phnum = 0;
    if (elf_getphdrnum(f->m_elf, &phnum) != 0) {
        err = -ENOEXEC;
        return nullptr;
    }
    for (size_t i = 0; i < phnum; ++i) {
        GElf_Phdr ph;
        if (!gelf_getphdr(f->m_elf, static_cast<int>(i), &ph))
            continue;
        if (ph.p_type == PT_INTERP)
            f->m_hasInterp = true;
        if (ph.p_type == PT_LOAD && ph.p_filesz > 0)
            f->m_loads.push_back({ph.p_vaddr, ph.p_filesz, ph.p_offset});
    }
    if (f->m_loads.empty()) {
        err = -ENOEXEC;
        return nullptr;
    }
    return f;
}

ElfFile::~ElfFile()
{
    if (m_elf)
        elf_end(m_elf);
    if (m_fd >= 0)
        ::close(m_fd);
}

std::map<std::string, uint64_t> ElfFile::findFunctions(const std::vector<std::string> &names) const
{
    std::map<std::string, uint64_t> found;
    const std::set<std::string, std::less<>> wanted(names.begin(), names.end());
    /* .dynsym first: it is what the dynamic linker would bind, and it
     * survives strip. .symtab adds internal (static-linked, unstripped) ones. */
    for (const Elf64_Word type : {SHT_DYNSYM, SHT_SYMTAB}) {
        Elf_Scn *scn = nullptr;
        while ((scn = elf_nextscn(m_elf, scn)) != nullptr) {
            GElf_Shdr shdr;
            if (gelf_getshdr(scn, &shdr) && shdr.sh_type == type)
                scanSymbols(m_elf, scn, shdr, wanted, found);
        }
        if (found.size() == wanted.size())
            break;
    }
    return found;
}

std::optional<uint64_t> ElfFile::fileOffsetOf(uint64_t vaddr) const
{
    for (const Segment &s : m_loads) {
        if (vaddr >= s.vaddr && vaddr - s.vaddr < s.fileSize)
            return vaddr - s.vaddr + s.offset;
    }
    return std::nullopt;
}

namespace {

/* Calls fn(tag, string) for every string-valued dynamic entry. */
template<typename Fn>
void forEachDynamicString(Elf *elf, Fn fn)
{
    Elf_Scn *scn = nullptr;
    while ((scn = elf_nextscn(elf, scn)) != nullptr) {
        GElf_Shdr shdr;
        if (!gelf_getshdr(scn, &shdr) || shdr.sh_type != SHT_DYNAMIC || shdr.sh_entsize == 0)
            continue;
        Elf_Data *data = elf_getdata(scn, nullptr);
        if (!data)
            return;
        const size_t count = shdr.sh_size / shdr.sh_entsize;
        for (size_t i = 0; i < count; ++i) {
            GElf_Dyn dyn;
            if (!gelf_getdyn(data, static_cast<int>(i), &dyn) || dyn.d_tag == DT_NULL)
                break;
            if (dyn.d_tag != DT_NEEDED && dyn.d_tag != DT_RUNPATH && dyn.d_tag != DT_RPATH)
                continue;
            if (const char *s = elf_strptr(elf, shdr.sh_link, dyn.d_un.d_val))
                fn(dyn.d_tag, s);
        }
        return;
    }
}

} // namespace

std::vector<std::string> ElfFile::neededLibraries() const
{
    std::vector<std::string> out;
    forEachDynamicString(m_elf, [&](int64_t tag, const char *s) {
        if (tag == DT_NEEDED)
            out.emplace_back(s);
    });
    return out;
}

std::string ElfFile::runPath() const
{
    std::string runpath, rpath;
    forEachDynamicString(m_elf, [&](int64_t tag, const char *s) {
        if (tag == DT_RUNPATH)
            runpath = s;
        else if (tag == DT_RPATH)
            rpath = s;
    });
    /* ld.so ignores DT_RPATH when DT_RUNPATH is present. */
    return runpath.empty() ? rpath : runpath;
}

} // namespace agentsight::helper
