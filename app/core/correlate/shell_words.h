// SPDX-License-Identifier: GPL-2.0-or-later
#pragma once
/**
 * @brief Split tool command text ("cat /etc/hostname && ls /tmp") into
 * simple commands with their words, the way a POSIX shell would at a glance.
 *
 * Not a shell: no expansion, no here-docs, no functions. Quotes and
 * backslashes are removed, command separators (; & && || | newline, "(",
 * ")", "$(", backticks, "{", "}") start a new command, leading VAR=value
 * words and wrappers (sudo, env, timeout N, nohup, xargs, ...) are skipped so
 * `program` is what will be exec'd, and redirection targets are kept apart.
 * Caps: 4096 words, 256 commands; the rest is ignored (good enough for
 * matching, which is all this is for).
 */
#include <string>
#include <string_view>
#include <vector>

namespace agentsight::correlate {

struct SimpleCommand {
    std::string program;            ///< as written: "ls", "/usr/bin/env", "./build.sh"
    std::vector<std::string> args;  ///< words after the program, unquoted
    std::vector<std::string> writes; ///< targets of > >> >| &> redirections
    std::vector<std::string> reads;  ///< targets of < redirections
};

std::vector<SimpleCommand> splitCommands(std::string_view text);

/// "/usr/bin/ls" -> "ls"
std::string_view baseName(std::string_view path);

} // namespace agentsight::correlate
