// SPDX-License-Identifier: GPL-2.0-or-later
#include "tool_intent.h"

#include <algorithm>
#include <array>

#include <QJsonArray>
#include <QJsonDocument>

namespace agentsight::correlate {
namespace {

constexpr std::size_t kMaxCommandTexts = 64;
constexpr std::size_t kMaxPaths = 256;
constexpr std::size_t kMaxHosts = 64;
constexpr int kMaxDepth = 8;

template <std::size_t N>
bool oneOf(const std::string &s, const std::array<std::string_view, N> &names)
{
    return std::find(names.begin(), names.end(), s) != names.end();
}

constexpr std::array<std::string_view, 5> kCommandKeys = {"command", "cmd", "commands", "script", "shell_command"};
constexpr std::array<std::string_view, 16> kPathKeys = {
    "file_path", "path", "filePath", "absolute_path", "notebook_path", "filename", "file", "target_file",
    "source", "destination", "old_path", "new_path", "target", "dir", "directory", "paths"};
constexpr std::array<std::string_view, 4> kWorkdirKeys = {"workdir", "cwd", "dir_path", "working_directory"};
constexpr std::array<std::string_view, 5> kUrlKeys = {"url", "uri", "href", "endpoint", "urls"};
constexpr std::array<std::string_view, 10> kWriteTools = {"Write", "Edit", "MultiEdit", "NotebookEdit", "write_file",
                                                         "replace", "edit_file", "create_file", "apply_patch", "edit"};
constexpr std::array<std::string_view, 10> kReadTools = {"Read", "read_file", "read_many_files", "Glob", "Grep", "LS",
                                                        "list_directory", "glob", "search_file_content", "view"};
constexpr std::array<std::string_view, 6> kFetchTools = {"WebFetch", "web_fetch", "fetch", "http_request", "curl", "fetch_url"};
constexpr std::array<std::string_view, 12> kNetPrograms = {"curl", "wget", "ping", "nc", "ncat", "ssh",
                                                          "scp", "dig", "nslookup", "host", "telnet", "http"};

std::string lower(std::string s)
{
    std::transform(s.begin(), s.end(), s.begin(), [](unsigned char c) { return char(std::tolower(c)); });
    return s;
}

bool looksLikeHostName(const std::string &w)
{
    // "example.com", "10.0.0.1": letters/digits/-/. with a dot, not a file name
    // we can recognise (a known extension would make "notes.txt" a host).
    if (w.size() < 4 || w.size() > 253 || w.find('.') == std::string::npos || w.front() == '.' || w.back() == '.')
        return false;
    return std::all_of(w.begin(), w.end(), [](unsigned char c) { return std::isalnum(c) || c == '-' || c == '.'; });
}

bool looksLikePath(const std::string &w)
{
    if (w.empty() || w.size() > 4096 || w.front() == '-')
        return false;
    if (w.find("://") != std::string::npos)
        return false;
    if (w.front() == '/' || w.rfind("~/", 0) == 0 || w.rfind("./", 0) == 0 || w.rfind("../", 0) == 0)
        return true;
    // relative "dir/file" or "name.ext" (an extension of 1-8 alphanumerics)
    if (w.find('/') != std::string::npos)
        return w.find_first_of("=$*?") == std::string::npos;
    const auto dot = w.rfind('.');
    if (dot == std::string::npos || dot == 0 || dot + 1 == w.size() || w.size() - dot > 9)
        return false;
    return std::all_of(w.begin() + long(dot) + 1, w.end(), [](unsigned char c) { return std::isalnum(c); });
}

struct Builder {
    ToolIntent &in;

    void addPath(std::string p, bool write, double strength, const char *source)
    {
        if (p.empty() || in.paths.size() >= kMaxPaths)
            return;
        for (auto &r : in.paths)
            if (r.path == p) {
                r.write = r.write || write;
                r.strength = std::max(r.strength, strength);
                return;
            }
        in.paths.push_back({std::move(p), write, strength, source});
    }

    void addHost(HostRef h)
    {
        if (h.host.empty() || in.hosts.size() >= kMaxHosts)
            return;
        for (const auto &r : in.hosts)
            if (r.host == h.host && r.port == h.port)
                return;
        in.hosts.push_back(std::move(h));
    }

    void addCommand(const std::string &text)
    {
        if (text.empty() || in.commandTexts.size() >= kMaxCommandTexts)
            return;
        in.commandTexts.push_back(text);
        for (auto &sc : splitCommands(text)) {
            const bool net = oneOf(std::string(baseName(sc.program)), kNetPrograms);
            for (const auto &w : sc.args) {
                if (w.rfind("http://", 0) == 0 || w.rfind("https://", 0) == 0)
                    addHost(hostOfUrl(w));
                else if (net && looksLikeHostName(w))
                    addHost({lower(w.substr(0, w.find(':'))), 0, "command"});
                else if (looksLikePath(w))
                    addPath(w, false, 0.9, "command");
            }
            if (looksLikePath(sc.program) && sc.program.find('/') != std::string::npos)
                addPath(sc.program, false, 0.9, "command");
            for (const auto &w : sc.writes)
                addPath(w, true, 1.0, "redirect");
            for (const auto &w : sc.reads)
                addPath(w, false, 1.0, "redirect");
            in.commands.push_back(std::move(sc));
        }
    }

    // Any string: URLs anywhere, absolute paths anywhere.
    void scanString(const std::string &key, const std::string &s, bool write)
    {
        if (s.rfind("http://", 0) == 0 || s.rfind("https://", 0) == 0) {
            addHost(hostOfUrl(s));
            return;
        }
        if (oneOf(key, kUrlKeys) && looksLikeHostName(s)) {
            addHost({lower(s), 0, "url"});
            return;
        }
        if (oneOf(key, kPathKeys)) {
            addPath(s, write, 1.0, "path argument");
            return;
        }
        if (!s.empty() && s.front() == '/' && s.find('\n') == std::string::npos && s.size() < 4096)
            addPath(s, false, 0.8, "argument");
    }

    void walk(const QJsonValue &v, const std::string &key, bool write, int depth)
    {
        if (depth > kMaxDepth)
            return;
        if (v.isString()) {
            const std::string s = v.toString().toStdString();
            if (oneOf(key, kCommandKeys))
                addCommand(s);
            else if (oneOf(key, kWorkdirKeys))
                in.workdir = s;
            else
                scanString(key, s, write);
        } else if (v.isArray()) {
            const QJsonArray a = v.toArray();
            if (oneOf(key, kCommandKeys) && !a.isEmpty() && std::all_of(a.begin(), a.end(), [](const QJsonValue &e) { return e.isString(); })) {
                // ["bash", "-lc", "script"] runs the script; ["ls", "-la"] is an argv.
                std::vector<std::string> argv;
                for (const auto &e : a)
                    argv.push_back(e.toString().toStdString());
                if (argv.size() >= 3 && argv[1].size() >= 2 && argv[1][0] == '-' && argv[1].find('c') != std::string::npos) {
                    addCommand(argv[2]);
                } else {
                    std::string joined;
                    for (const auto &w : argv)
                        joined += (joined.empty() ? "" : " ") + (w.find(' ') == std::string::npos ? w : "'" + w + "'");
                    addCommand(joined);
                }
                return;
            }
            for (const auto &e : a)
                walk(e, key, write, depth + 1);
        } else if (v.isObject()) {
            const QJsonObject o = v.toObject();
            for (auto it = o.begin(); it != o.end(); ++it)
                walk(it.value(), it.key().toStdString(), write, depth + 1);
        }
    }
};

} // namespace

const char *categoryName(ToolIntent::Category c)
{
    switch (c) {
    case ToolIntent::Category::Shell: return "shell";
    case ToolIntent::Category::FileWrite: return "file_write";
    case ToolIntent::Category::FileRead: return "file_read";
    case ToolIntent::Category::Fetch: return "fetch";
    case ToolIntent::Category::Other: return "other";
    }
    return "other";
}

HostRef hostOfUrl(const std::string &url)
{
    HostRef h;
    h.source = "url";
    const auto scheme = url.find("://");
    if (scheme == std::string::npos)
        return h;
    std::string rest = url.substr(scheme + 3);
    rest = rest.substr(0, rest.find_first_of("/?#"));
    if (const auto at = rest.rfind('@'); at != std::string::npos)
        rest = rest.substr(at + 1);
    std::string host = rest;
    std::string port;
    if (!rest.empty() && rest.front() == '[') {
        const auto close = rest.find(']');
        host = rest.substr(1, close == std::string::npos ? std::string::npos : close - 1);
        if (close != std::string::npos && close + 1 < rest.size() && rest[close + 1] == ':')
            port = rest.substr(close + 2);
    } else if (const auto colon = rest.rfind(':'); colon != std::string::npos) {
        host = rest.substr(0, colon);
        port = rest.substr(colon + 1);
    }
    h.host = lower(host);
    const std::string sch = lower(url.substr(0, scheme));
    if (!port.empty() && port.size() <= 5 && std::all_of(port.begin(), port.end(), ::isdigit))
        h.port = uint16_t(std::min(65535, std::stoi(port)));
    else if (sch == "https")
        h.port = 443;
    else if (sch == "http")
        h.port = 80;
    return h;
}

ToolIntent readToolIntent(const llm::ToolCall &call)
{
    ToolIntent in;
    in.toolName = call.name;
    const bool write = oneOf(call.name, kWriteTools);
    Builder b{in};
    QJsonObject args = call.arguments;
    if (args.isEmpty() && !call.argumentsRaw.empty()) {
        // Unparsed arguments (cut or invalid JSON): still scan the text.
        const auto doc = QJsonDocument::fromJson(QByteArray::fromStdString(call.argumentsRaw));
        args = doc.object();
    }
    for (auto it = args.begin(); it != args.end(); ++it)
        b.walk(it.value(), it.key().toStdString(), write, 0);
    if (!in.commandTexts.empty())
        in.category = ToolIntent::Category::Shell;
    else if (write)
        in.category = ToolIntent::Category::FileWrite;
    else if (oneOf(call.name, kReadTools))
        in.category = ToolIntent::Category::FileRead;
    else if (oneOf(call.name, kFetchTools) || !in.hosts.empty())
        in.category = ToolIntent::Category::Fetch;
    return in;
}

} // namespace agentsight::correlate
