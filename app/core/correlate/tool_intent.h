// SPDX-License-Identifier: GPL-2.0-or-later
#pragma once
/**
 * @brief What a tool call asks the machine to do, read from its name and
 * arguments: shell command text, the files and hosts it names.
 *
 * Agent tools differ (Claude `Bash {command}`, Gemini `run_shell_command
 * {command}`, Codex `exec_command {cmd}` or `shell {command: [argv]}`,
 * `Write/Edit {file_path}`, `WebFetch {url}`...). Rather than a table per
 * agent, well-known argument keys are read first and every other string value
 * is scanned for absolute paths and URLs, so an unknown tool still yields
 * what it names. Limits: 64 command texts, 256 paths, 64 hosts per call;
 * JSON nesting beyond 8 levels is not walked.
 */
#include <string>
#include <vector>

#include "llm/llm_exchange.h"
#include "shell_words.h"

namespace agentsight::correlate {

struct PathRef {
    std::string path;       ///< as named: absolute, "~/x", or relative
    bool write = false;     ///< the call means to create/modify it
    double strength = 1.0;  ///< 1 named by a path argument; less when guessed from command text
    std::string source;     ///< "file_path", "command", "redirect" ... (for reasons)
};

struct HostRef {
    std::string host;       ///< lower-case name or IP literal, no brackets
    uint16_t port = 0;      ///< 0 when not given
    std::string source;     ///< "url", "command"
};

struct ToolIntent {
    enum class Category { Shell, FileWrite, FileRead, Fetch, Other };
    Category category = Category::Other;
    std::string toolName;
    std::vector<std::string> commandTexts;  ///< raw shell text (for runner matching)
    std::vector<SimpleCommand> commands;    ///< parsed from commandTexts
    std::vector<PathRef> paths;
    std::vector<HostRef> hosts;
    std::string workdir;    ///< "workdir"/"cwd"/"dir_path" argument, "" when not given
};

ToolIntent readToolIntent(const llm::ToolCall &call);
const char *categoryName(ToolIntent::Category c);

/// "https://Example.com:8443/x" -> {"example.com", 8443}; nullopt-like empty host when not a URL.
HostRef hostOfUrl(const std::string &url);

} // namespace agentsight::correlate
