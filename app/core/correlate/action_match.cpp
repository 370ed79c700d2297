// SPDX-License-Identifier: GPL-2.0-or-later
#include "action_match.h"

#include <algorithm>
#include <array>

#include "model/path_resolve.h"

namespace agentsight::correlate {
namespace {

using model::Action;
using model::ActionKind;

constexpr std::array<std::string_view, 8> kShells = {"sh", "bash", "dash", "zsh", "ksh", "fish", "ash", "busybox"};

bool isShell(std::string_view prog) { return std::find(kShells.begin(), kShells.end(), baseName(prog)) != kShells.end(); }

// Programs that run a script named in their arguments (shebang targets).
bool isInterpreter(std::string_view prog)
{
    static constexpr std::array<std::string_view, 9> names = {"env", "node", "perl", "ruby", "php", "bun", "deno", "tsx", "lua"};
    const std::string_view b = baseName(prog);
    return isShell(b) || std::find(names.begin(), names.end(), b) != names.end() || b.rfind("python", 0) == 0;
}

std::string dropQuotes(std::string_view s)
{
    std::string out;
    for (char c : s)
        if (c != '\'' && c != '"' && c != '\\')
            out += c;
    return squashSpaces(out);
}

// needle in hay, not glued to a word on either side ("ls" is not in "false").
bool containsWord(const std::string &hay, const std::string &needle)
{
    const auto wordChar = [](char c) { return std::isalnum(static_cast<unsigned char>(c)) || c == '_'; };
    for (auto pos = hay.find(needle); pos != std::string::npos; pos = hay.find(needle, pos + 1)) {
        const bool left = pos == 0 || !wordChar(hay[pos - 1]) || !wordChar(needle.front());
        const std::size_t end = pos + needle.size();
        const bool right = end == hay.size() || !wordChar(hay[end]) || !wordChar(needle.back());
        if (left && right)
            return true;
    }
    return false;
}

std::string show(const std::vector<std::string> &argv)
{
    std::string s;
    for (const auto &a : argv) {
        if (s.size() > 120) {
            s += " ...";
            break;
        }
        s += (s.empty() ? "" : " ") + a;
    }
    return s;
}

ArgMatch matchExec(const ToolIntent &in, const Action &a)
{
    ArgMatch best;
    if (a.argv.empty() && a.path.empty())
        return best;
    const std::string prog = std::string(baseName(a.argv.empty() ? a.path : a.argv.front()));

    // The shell running the call's text: sh -c "<text>" (possibly wrapped:
    // Claude Code runs `bash -c -l "... eval '<text>' ..."`).
    if (isShell(prog) || isShell(baseName(a.path))) {
        for (std::size_t i = 1; i + 1 < a.argv.size(); ++i) {
            const std::string &opt = a.argv[i];
            if (opt.size() < 2 || opt[0] != '-' || opt.find('c') == std::string::npos)
                continue;
            // the script is the first non-option word after -c
            std::size_t s = i + 1;
            while (s < a.argv.size() && !a.argv[s].empty() && a.argv[s][0] == '-' && a.argv[s].size() < 4)
                ++s;
            if (s >= a.argv.size())
                break;
            const std::string script = squashSpaces(a.argv[s]);
            for (const auto &text : in.commandTexts) {
                const std::string t = squashSpaces(text);
                if (t.empty())
                    continue;
                if (containsWord(script, t))
                    return {1.0, true, "shell " + prog + " -c runs the command text"};
                if (containsWord(dropQuotes(script), dropQuotes(t)))
                    best = {0.9, true, "shell " + prog + " -c runs the command text (modulo quoting)"};
            }
            break;
        }
    }
    if (best.runner)
        return best;

    for (const auto &sc : in.commands) {
        if (sc.program.empty())
            continue;
        const std::string want(baseName(sc.program));
        std::vector<std::string> args(a.argv.size() > 1 ? a.argv.begin() + 1 : a.argv.end(), a.argv.end());
        double score = 0;
        std::string why;
        if (prog == want || std::string(baseName(a.path)) == want) {
            if (args == sc.args) {
                score = 1.0;
                why = "argv equals `" + show(a.argv) + "`";
            } else {
                std::size_t hit = 0;
                for (const auto &w : sc.args)
                    if (std::find(args.begin(), args.end(), w) != args.end())
                        ++hit;
                if (!sc.args.empty() && hit == sc.args.size()) {
                    score = 0.9;
                    why = "argv has the program and every argument of `" + want + "`";
                } else if (!sc.args.empty() && hit * 2 >= sc.args.size()) {
                    score = 0.75;
                    why = "argv has the program and most arguments of `" + want + "`";
                } else {
                    score = 0.55;
                    why = "program `" + want + "` named by the command";
                }
            }
        } else if (want.find('.') != std::string::npos || isInterpreter(prog)) {
            // Shebangs: ./build.sh -> ["/bin/bash", "./build.sh"]; npm ->
            // ["/usr/bin/env", "node", "/usr/bin/npm", ...] -> ["node", "/usr/bin/npm", ...].
            // The words after the script must be the command's arguments.
            auto script = std::find_if(a.argv.begin() + (a.argv.empty() ? 0 : 1), a.argv.end(),
                                       [&](const std::string &w) { return baseName(w) == want; });
            if (script != a.argv.end()) {
                const std::vector<std::string> rest(script + 1, a.argv.end());
                if (rest == sc.args) {
                    score = 0.85;
                    why = "interpreter " + prog + " runs `" + show(a.argv) + "` as the command says";
                } else {
                    score = 0.45; // the script without its arguments: too weak alone
                    why = "interpreter " + prog + " runs `" + want + "` named by the command";
                }
            }
        }
        if (score > best.score)
            best = {score, false, why};
    }
    return best;
}

bool underDir(const std::string &path, const std::string &dir)
{
    if (dir.empty() || path.size() <= dir.size() || path.compare(0, dir.size(), dir) != 0)
        return false;
    return dir.back() == '/' || path[dir.size()] == '/';
}

double matchPath(const PathRef &ref, ActionKind kind, const std::string &path, const std::string &cwd,
                 const std::string &workdir, std::string &why)
{
    if (path.empty())
        return 0;
    std::string want;
    if (ref.path.front() == '/') {
        want = model::normalizePath(ref.path);
    } else if (ref.path.rfind("~/", 0) == 0) {
        // Home is not known from the capture: match the part after ~/ as a suffix.
        const std::string tail = "/" + model::normalizePath(ref.path.substr(2)).substr(1);
        if (path.size() > tail.size() && path.compare(path.size() - tail.size(), tail.size(), tail) == 0) {
            why = "path matches `" + ref.path + "` (home-relative)";
            return 0.9 * ref.strength;
        }
        return 0;
    } else {
        const std::string base = !workdir.empty() && workdir.front() == '/' ? workdir : cwd;
        want = model::resolvePath(base, ref.path);
        if (want.empty() || want.front() != '/')
            return 0;
    }
    if (path == want) {
        why = "path `" + path + "` named by " + ref.source;
        return ref.strength;
    }
    // Inside a directory a path argument names (Glob/LS/Grep `path`). Not
    // for directories in command text: `ls /tmp` says nothing about /tmp/x.
    if (ref.strength >= 1.0 && ref.source == "path argument" && want != "/" && underDir(path, want)) {
        why = "path inside `" + want + "` named by " + ref.source;
        return 0.8;
    }
    // mkdir of the directory a named file goes into (`-o build/gen.h`).
    if (kind == ActionKind::Mkdir && underDir(want, path) && path != "/") {
        why = "creates the directory of `" + want + "` named by " + ref.source;
        return 0.7 * ref.strength;
    }
    return 0;
}

ArgMatch matchFile(const ToolIntent &in, const Action &a)
{
    ArgMatch best;
    for (const auto &ref : in.paths) {
        for (const std::string *p : {&a.path, &a.path2}) {
            std::string why;
            double s = matchPath(ref, a.kind, *p, a.cwd, in.workdir, why);
            // A call that says it writes a file explains a write of it best.
            if (s > 0 && ref.write && a.kind == ActionKind::FileRead)
                s *= 0.8;
            if (s > best.score)
                best = {s, false, why};
        }
    }
    return best;
}

bool isLoopback(const Action &a) { return a.host == "127.0.0.1" || a.host == "::1" || a.host.rfind("127.", 0) == 0; }

ArgMatch matchNet(const ToolIntent &in, const Action &a)
{
    ArgMatch best;
    if (a.kind == ActionKind::Connect && a.family != 2 && a.family != 10)
        return best;
    for (const auto &h : in.hosts) {
        double s = 0;
        std::string why;
        if (a.kind == ActionKind::Dns) {
            if (a.host == h.host) {
                s = 1.0;
                why = "DNS query for `" + h.host + "` named by the " + h.source;
            }
        } else if (a.host == h.host) {
            s = 1.0;
            why = "connect to `" + h.host + "` named by the " + h.source;
        } else if (!a.hostName.empty() && a.hostName == h.host) {
            s = 0.95;
            why = "connect after a DNS query for `" + h.host + "` named by the " + h.source;
        } else if (h.host == "localhost" && isLoopback(a)) {
            s = 0.8;
            why = "loopback connect for `localhost` named by the " + h.source;
        }
        if (s > 0 && a.kind == ActionKind::Connect && h.port) {
            if (a.port == h.port) {
                why += ", port " + std::to_string(a.port);
            } else {
                s *= 0.7;
                why += ", but port " + std::to_string(a.port) + " not " + std::to_string(h.port);
            }
        }
        if (s > best.score)
            best = {s, false, why};
    }
    return best;
}

} // namespace

std::string squashSpaces(std::string_view s)
{
    std::string out;
    bool space = false;
    for (char c : s) {
        if (c == ' ' || c == '\t' || c == '\n' || c == '\r') {
            space = !out.empty();
            continue;
        }
        if (space)
            out += ' ';
        space = false;
        out += c;
    }
    return out;
}

ArgMatch matchAction(const ToolIntent &in, const Action &a)
{
    switch (a.kind) {
    case ActionKind::Exec:
        return matchExec(in, a);
    case ActionKind::Connect:
    case ActionKind::Dns:
        return matchNet(in, a);
    default:
        return matchFile(in, a);
    }
}

} // namespace agentsight::correlate
