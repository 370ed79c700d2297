// SPDX-License-Identifier: GPL-2.0-or-later
#pragma once
/**
 * @brief Lexical path helpers: make a raw syscall path absolute against a
 * cwd or directory, and fold "." / ".." / "//".
 *
 * Lexical only (no filesystem access: the files may be gone, and we run on a
 * different host on replay), so a ".." after a symlink resolves differently
 * from the kernel. Open records already carry the kernel's resolved path;
 * this is for unlink/rename/mkdir/chmod, whose records carry the raw argument.
 */
#include <string>
#include <string_view>

namespace agentsight::model {

/// "a/../b" against "/x" -> "/x/b"; an absolute raw path ignores base; an
/// empty base with a relative raw path returns raw unchanged (unknown cwd).
std::string resolvePath(std::string_view base, std::string_view raw);

/// Fold "." and ".." and repeated '/' of an absolute path.
std::string normalizePath(std::string_view absolute);

} // namespace agentsight::model
